"""The student sign-in form, rendered once per language and address: at the class bell a whole school opens the
same empty form, so it comes from a page cache (edu/page_cache.py) with each visitor's own CSRF token put in.

Only a GET by someone signed out is cached, with no message waiting (a flash) (the view renders a rescue page's
words afresh), asked for at the form's own address or with a class code only (a live lesson's QR code fills the code in),
so made-up addresses cannot fill the cache. The key is the page's language and the address: nothing of a person
is in the form, and a class code is printed on every login card of its class."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, get_flashed_messages, request
from flask_login import current_user

from edu.auth.codes import JOIN_CODE_LENGTH
from edu.i18n import language
from edu.page_cache import PageCache, render_cached

CACHE = "edu_signin_page_cache"
MAX_ENTRIES = 256
_CODE = re.compile(rf"[A-Za-z0-9-]{{1,{JOIN_CODE_LENGTH + 1}}}")  # a code as printed, with its dash


def signin_page_key() -> tuple | None:
    """The cache key of the sign-in form as asked for, or None when it must be rendered afresh."""
    if request.method != "GET" or current_user.is_authenticated or get_flashed_messages():
        return None
    if request.query_string and (list(request.args) != ["code"] or not _CODE.fullmatch(request.args["code"])):
        return None
    return language(), request.full_path


def render_signin_page(render: Callable[[], str]) -> bytes:
    """The form as UTF-8 bytes, from the cache when `signin_page_key` allows (the caller has handled a rescue)."""
    return render_cached(CACHE, signin_page_key(), render)


def init_signin_page_cache(app: Flask) -> None:
    app.extensions[CACHE] = PageCache(MAX_ENTRIES)
