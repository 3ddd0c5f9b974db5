"""Rendered lesson pages, kept per process so a class opening the same step renders it once.

A student's lesson page (the layout with the lesson player in it) depends only on the content (lesson, step,
catalog version), the lesson's language (the player's own words follow it) and the reader's (the page around
it), age band and country, the student's own choices in that step's blocks, and the address asked for (the
language switch sends the student back to it; the view caches a GET of a step's own two addresses only, so
made-up query strings cannot fill the cache); the only per-session part is the CSRF token in its forms.
So the rendered page is stored with the token cut out, under a key made of all of those, and each request puts
its own token back in. Nothing personal is kept: a step holding a reflection the
student wrote is never cached (their words stay out of memory beyond the request), a page with a message for
the student (a flash) or with unanswered checks is rendered afresh, and a key holds only block ids and option
ids (for a card sort, the group index of each card), which any student of the class could choose. The access checks, headers and request log run for every
request as before: only the rendering is saved.

The response that carries every step of a lesson at once (edu/learn/lesson_views.py, ``lesson_steps``, for
static/js/lesson.js) is kept the same way under ``lesson_key``: the same rules over all the lesson's blocks.

The cache itself is edu/page_cache.py. Entries are dropped oldest-first past ``MAX_ENTRIES``; a new content version
makes new keys, so nothing stale is ever served.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from edu.page_cache import PageCache, render_cached

MAX_ENTRIES = 1024


def _key(catalog, lesson, steps, view, *where) -> tuple | None:
    """The key of a student's page of ``steps`` of the lesson, or None when one of their blocks holds the
    student's own reflection. ``where`` names the page among the lesson's (a step and its address, or all)."""
    block_ids = [seg.id for step in steps for seg in step.segments if getattr(seg, "id", None)]
    if any(view.reflection(block_id) for block_id in block_ids):
        return None
    choices = tuple((block_id, view.response(block_id)) for block_id in block_ids if view.response(block_id))
    return (catalog.version, lesson.id, lesson.locale, lesson.version, *where, view.locale, view.age_band,
            view.country, choices, view.reflections_off)


def step_key(catalog, lesson, number: int, view, path: str) -> tuple | None:
    """The cache key of a student's page of one step opened at ``path``, or None when it must not be cached."""
    return _key(catalog, lesson, lesson.steps[number - 1:number], view, number, path)


def lesson_key(catalog, lesson, view) -> tuple | None:
    """The cache key of a student's whole lesson, every step (edu/learn/lesson_views.py, ``lesson_steps``), or None
    when it must not be cached: the same rules as a step's, over all the lesson's blocks."""
    return _key(catalog, lesson, lesson.steps, view, "every step")


def init_step_cache(app: Flask) -> None:
    app.extensions["edu_step_cache"] = PageCache(MAX_ENTRIES)


def render_step_cached(key: tuple | None, render: Callable[[], str]) -> bytes:
    """The page as UTF-8 bytes: from the step cache under ``key``, or rendered afresh when ``key`` is None or
    templates reload (development)."""
    return render_cached("edu_step_cache", key, render)
