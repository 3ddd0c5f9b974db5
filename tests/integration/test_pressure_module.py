"""The pressure module (issue 34): the law is taught as protection. The parts every module has, for `pressure`
and `illegal-filming` alike, are checked in test_module_parts.py."""

from __future__ import annotations

from edu.content_service import catalog


def test_the_pressured_student_is_a_victim_never_threatened(ctx):
    """The law is taught as protection: each language says the pressured young person is a victim and that
    keeping or forwarding a classmate's image is possession or distribution."""
    for locale, victim, keep in (("ko", "피해자", "소지"), ("en", "victim", "possession")):
        lesson = catalog().lesson("pressure-if-sent", locale)
        html = " ".join(getattr(seg, "html", "") for seg in lesson.step("law").segments)
        assert victim in html and keep in html, locale




