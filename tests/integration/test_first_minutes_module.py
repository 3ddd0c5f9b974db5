"""The first-minutes module (issue 33): the app-specific steps wait in the facts registry, unverified and never
cited. The parts every module has are checked in test_module_parts.py."""

from __future__ import annotations

from pathlib import Path

from edu.content_service import catalog

ROOT = Path(__file__).resolve().parents[2]
APP_FACTS = ("app-kakaotalk-autodownload", "app-kakaotalk-report-leave", "app-telegram-autodownload",
             "app-telegram-report-leave", "phone-recently-deleted-iphone", "phone-trash-android",
             "app-whatsapp-autodownload", "app-whatsapp-report-leave")















def test_app_specific_steps_wait_unverified_and_are_never_cited(ctx):
    for fact_id in APP_FACTS:
        fact = catalog().fact(fact_id)
        assert fact is not None and not fact.verified and fact.note, fact_id
    cited = "".join(path.read_text("utf-8") for path in (ROOT / "content").rglob("*")
                    if path.is_file() and path.suffix in (".md", ".yaml") and "facts" not in path.parts)
    for fact_id in APP_FACTS:
        assert f"[[fact:{fact_id}]]" not in cited and f"fact: {fact_id}" not in cited
