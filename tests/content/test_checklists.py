"""The incident playbook's content: checklists/<COUNTRY>.yaml (steps in every language, the law and services they
name, follow-up modules) and playbook/<locale>/<slug>.md templates, checked like every other content file."""

from __future__ import annotations

from edu.content_service import catalog
from tests.content.conftest import messages

GOOD = """country: KR
steps:
  - key: police
    title: {ko: "경찰에 신고하기", en: "Report to the police"}
    text: {ko: "곧바로 신고해요.", en: "Report at once."}
    legal: [art14-2-viewing]
    help: [police-112]
follow_up: [consent]
"""


def test_a_checklist_is_read_in_order_for_its_country(tree):
    tree.add("checklists/KR.yaml", text=GOOD)
    loaded = tree.load()
    assert not messages(loaded, "checklists/KR.yaml")
    checklist = loaded.checklist("KR")
    assert [s.title for s in checklist.steps["ko"]] == ["경찰에 신고하기"]
    assert checklist.steps["en"][0].legal == ("art14-2-viewing",) and checklist.follow_up == ("consent",)
    assert loaded.checklist("GB") is None  # no INTL checklist in this tree


def test_unknown_references_missing_languages_and_duplicates_are_errors(tree):
    broken = (GOOD.replace("art14-2-viewing", "art-99").replace("police-112", "nope")
              .replace("[consent]", "[no-module]").replace('en: "Report at once."', 'en: ""')
              .replace("follow_up:", '  - key: police\n    title: {ko: a, en: b}\n    text: {ko: a, en: b}\nfollow_up:'))
    tree.add("checklists/KR.yaml", text=broken)
    found = "\n".join(messages(tree.load(), "checklists/KR.yaml"))
    for words in ("legal fact 'art-99'", "help resource 'nope'", "module 'no-module'", "duplicate step key 'police'"):
        assert words in found, found
    assert tree.load().checklist("KR") is None  # a checklist with errors is not served


def test_templates_are_playbook_documents_checked_like_pages(tree):
    tree.add("playbook/ko/letter-families.md", text="---\nid: letter-families\ntitle: 안내문\nstatus: published\n"
             "updated: 2026-12-01\n---\n\n## 안내 {#a}\n\n피해는 50% 늘었어요.\n")
    found = "\n".join(messages(tree.load(), "playbook/ko/letter-families.md"))
    assert "50%" in found  # the number rule applies: figures come from the facts registry


def test_the_real_curriculum_has_both_checklists_and_every_template_in_both_languages(app):
    with app.app_context():
        current = catalog()
        korea, other = current.checklist("KR"), current.checklist("GB")
        assert [s.key for s in korea.steps["ko"]][:4] == ["no-images", "safety", "police", "school-violence"]
        assert {"removal", "separation"} <= {s.key for s in korea.steps["en"]}
        assert other is not None and "police" not in {s.key for s in other.steps["en"]}
        for slug in ("letter-families", "support-targeted", "support-witnesses", "support-responsible"):
            for locale in ("ko", "en"):
                assert current.playbook(slug, locale) is not None, (slug, locale)
