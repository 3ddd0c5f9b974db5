"""Words a teacher reads instead of codes: assignment and module names."""

from __future__ import annotations

from flask_babel import gettext as _


def module_title(catalog, module_id: str, locale: str) -> str:
    module = catalog.module(module_id)
    return module.title.get(locale, module_id) if module is not None else module_id


def assignment_title(assignment, catalog, locale: str) -> str:
    if assignment.kind == "pre_survey":
        return _("Pre-survey (before the first module)")
    if assignment.kind == "post_survey":
        return _("Post-survey (after the last module)")
    return module_title(catalog, assignment.target_id, locale)
