"""Authoring warnings: victim-blaming phrases, missing content notes, stale translations; drafts."""

from __future__ import annotations

from pathlib import Path

from edu.content.checker import check_tree

from .conftest import TODAY, Tree, messages

ADVICE = "put the responsibility on whoever made, shared or viewed it"


def test_victim_blaming_phrases_and_missing_content_note(tree: Tree) -> None:
    tree.add("lessons/en/consent/blame.md", "blame.md")
    tree.add("quizzes/ko/consent/blame-quiz.yaml", "blame-quiz-ko.yaml")
    catalog = tree.load()
    path = "content/lessons/en/consent/blame.md"
    assert messages(catalog, "lessons/en/consent/blame.md", "warning") == [
        f"{path}:2: lesson 'consent-blame' is not listed under module 'consent' in modules.yaml",
        f"{path}:9: lesson is marked sensitive (images) but has no content_note",
        # the curly apostrophe in the file still matches
        f"{path}:23: victim-blaming phrase \"shouldn't have posted\" in feedback of choice 'mina' in "
        "scenario "
        f"'mina': {ADVICE}",
        f"{path}:34: victim-blaming phrase \"should have been more careful\" in correct option 'victim' "
        "in check "
        f"'who': {ADVICE}",
        f"{path}:38: victim-blaming phrase \"asking for it\" in explanation of check 'who': {ADVICE}",
    ]
    assert messages(catalog, "quizzes/ko/consent/blame-quiz.yaml", "warning") == [
        "content/quizzes/ko/consent/blame-quiz.yaml:11: "
        f"victim-blaming phrase \"올리지 말았어야\" in feedback_true of question 'q1': {ADVICE}",
    ]
    assert messages(catalog, "lessons/en/consent/blame.md") == []  # warnings only: the lesson is served
    assert catalog.lesson("consent-blame", "en") is not None


def test_lint_list_of_the_file_language_only(tree: Tree) -> None:
    tree.edit(
        "lessons/ko/consent/basics.md",
        "feedback: 맞아요. 자기 사진은 미나가 결정해요.",
        "feedback: asking for it 조심했어야",
    )
    assert messages(tree.load(), "lessons/ko/consent/basics.md", "warning") == [
        'content/lessons/ko/consent/basics.md:49: victim-blaming phrase "조심했어야" '
        f"in feedback of choice 'ask' in scenario 'jun-photo': {ADVICE}",
    ]


def test_translation_older_than_source_is_stale(tree: Tree) -> None:
    tree.edit("lessons/en/consent/basics.md", "updated: 2026-11-24", "updated: 2026-11-30")
    catalog = tree.load()
    assert messages(catalog, "lessons/ko/consent/basics.md", "warning") == [
        "content/lessons/ko/consent/basics.md:17: translation is older than its source "
        "content/lessons/en/consent/basics.md (updated 2026-11-24, source updated 2026-11-30)",
    ]
    rows = {(r.kind, r.id, r.locale): r.status for r in catalog.translation_status()}
    assert rows[("lesson", "consent-basics", "ko")] == "stale"
    assert rows[("lesson", "consent-basics", "en")] == "ok"
    assert catalog.lesson("consent-basics", "ko") is not None  # stale is still served


def test_translation_status_missing(tree: Tree) -> None:
    (tree.root / "pages/ko/class-agreement.md").unlink()
    rows = {(r.kind, r.id, r.locale): r.status for r in tree.load().translation_status()}
    assert rows[("page", "class-agreement", "ko")] == "missing"
    assert set(rows) == {
        (k, i, loc)
        for k, i in [
            ("lesson", "consent-basics"),
            ("lesson", "consent-kr"),
            ("quiz", "consent-quiz"),
            ("survey", "prepost"),
            ("guide", "consent"),
            ("family", "consent"),
            ("worksheet", "consent"),
            ("page", "class-agreement"),
        ]
        for loc in ("ko", "en")
    }


def test_warnings_in_drafts_are_never_fatal_errors_always_are(tree: Tree) -> None:
    tree.add("lessons/en/consent/blame.md", "blame.md")
    assert check_tree(Path("content"), today=TODAY)[0] == 0
    assert check_tree(Path("content"), today=TODAY, strict=True)[0] == 1  # published file with warnings
    tree.edit("lessons/en/consent/blame.md", "status: published", "status: draft")
    code, report = check_tree(Path("content"), today=TODAY, strict=True)
    assert code == 0
    assert "content/lessons/en/consent/blame.md:38: warning: victim-blaming phrase" in report
    tree.edit("lessons/en/consent/blame.md", "minutes: 5", "minutes: five")
    code, report = check_tree(Path("content"), today=TODAY)
    assert code == 1
    assert "content/lessons/en/consent/blame.md:8: 'minutes' must be a whole number" in report.splitlines()


def test_drafts_hidden_from_students_but_previewable(tree: Tree) -> None:
    tree.edit("lessons/en/consent/kr.md", "status: published", "status: draft")
    catalog = tree.load()
    assert [lesson.id for lesson in catalog.lessons_for("consent", "en", "KR")] == ["consent-basics"]
    assert [lesson.id for lesson in catalog.lessons_for("consent", "en", "KR", include_drafts=True)] == [
        "consent-basics",
        "consent-kr",
    ]
    assert catalog.lesson("consent-kr", "en").is_draft


STYLE = """victim_blaming: ["조심했어야"]
terms:
  - avoid: ["성적 딥페이크"]
    use: "딥페이크 성범죄"
  - avoid: ["방관자"]
    use: "주변인"
    fine_when: {with: ["주변인"], inside: ["방관자 효과"]}
  - avoid: ["차시"]
    use: "수업"
    fine_when: {with: ["교시"], in: [guide]}
register:
  - {style: 해요체, kinds: [lesson, quiz, survey], avoid_endings: ["다"]}
  - {style: 합니다체, kinds: [guide, family], avoid_endings: ["요"], fine_endings: ["세요"]}
stepout_words: ["건너뛰", "쉬어"]
"""


def _style_warnings(catalog, path: str) -> list[str]:
    return [m.split(": ", 1)[1] for m in messages(catalog, path, "warning")]


def test_terms_warn_with_what_to_use_and_respect_their_exceptions(tree: Tree) -> None:
    tree.add("lint/ko.yaml", text=STYLE)
    tree.edit("quizzes/ko/consent/consent-quiz.yaml", "준이가 단톡방에서", "방관자였던 준이가 성적 딥페이크 단톡방에서")
    tree.edit(
        "quizzes/ko/consent/consent-quiz.yaml",
        "복사본 하나하나가 피해를 넓혀요.",
        "주변인 가운데 방관자도 있어요. 방관자 효과를 알아요. 이번 차시에 배워요. 한 차시는 한 교시예요.",
    )
    path = "quizzes/ko/consent/consent-quiz.yaml"
    assert messages(tree.load(), path, "warning") == [
        f'content/{path}:28: term "성적 딥페이크": use 딥페이크 성범죄',
        f'content/{path}:37: term "방관자": use 주변인',
        f'content/{path}:37: term "성적 딥페이크": use 딥페이크 성범죄',
        f'content/{path}:42: term "차시": use 수업',
    ]
    # the same word in a kind of file where it is fine
    tree.edit("guides/ko/consent.md", "\n## ", "\n이번 차시에서 다룹니다.\n\n## ")
    assert [m for m in _style_warnings(tree.load(), "guides/ko/consent.md") if m.startswith("term")] == []


def test_register_of_each_kind_of_file(tree: Tree) -> None:
    tree.add("lint/ko.yaml", text=STYLE)
    tree.edit(
        "quizzes/ko/consent/consent-quiz.yaml",
        'text: "친구들에게 전달해서 물어봐요"',
        'text: "친구들에게 전달해서 물어본다"',
    )
    # a character's words in quotation marks, and a citation at the end, are left alone
    tree.edit(
        "quizzes/ko/consent/consent-quiz.yaml",
        "복사본 하나하나가 피해를 넓혀요.",
        "준이는 “그냥 장난이다”라고 말했어요. 준이는 “그냥 장난이다. 별거 아니다.” 복사본이 피해를 넓힌다.",
    )
    tree.edit("guides/ko/consent.md", "\n## ", "\n먼저 학급 약속을 확인하세요. 이 수업은 15분이에요.\n\n## ")
    catalog = tree.load()
    quiz = "sentence ending in another register ({}): quiz files are written in 해요체"
    assert _style_warnings(catalog, "quizzes/ko/consent/consent-quiz.yaml")[1:] == [
        quiz.format('"친구들에게 전달해서 물어본다"'),
        quiz.format('"복사본이 피해를 넓힌다"'),
    ]
    assert _style_warnings(catalog, "guides/ko/consent.md") == [
        'sentence ending in another register ("15분 수업 두 개예요"): guide files are written in 합니다체',
        'sentence ending in another register ("이 수업은 15분이에요"): guide files are written in 합니다체',
    ]


def test_content_note_must_name_the_real_step_out_label(tree: Tree) -> None:
    tree.add("lint/ko.yaml", text=STYLE)
    path = "lessons/ko/consent/basics.md"
    tree.edit(path, "다음 단계는 허락 없이 공유된 사진 이야기예요.", "힘들면 아래 '쉬어 가기'를 눌러도 괜찮아요.")
    assert _style_warnings(tree.load(), path) == [
        "content note names the step-out button '쉬어 가기', but no :::stepout block in this lesson has that "
        'label (labels: "이 시나리오 건너뛰기")',
    ]
    tree.edit(path, "'쉬어 가기'", "'이 시나리오 건너뛰기'")
    tree.edit(path, "자극적인 내용은 없어요.", "자극적인 내용은 없어요. '건너뛰기'를 눌러도 돼요.")
    assert _style_warnings(tree.load(), path) == [
        "content_note names the step-out button '건너뛰기', but no :::stepout block in this lesson has that "
        'label (labels: "이 시나리오 건너뛰기")',
    ]


def test_a_broken_style_entry_is_an_error_in_the_lint_file(tree: Tree) -> None:
    tree.add(
        "lint/ko.yaml",
        text='victim_blaming: []\nterms:\n  - avoid: ["x"]\n    fine_when: {in: [poster]}\nregister: [{style: a}]\n',
    )
    assert messages(tree.load(), "lint/ko.yaml") == [
        "content/lint/ko.yaml:3: missing key 'use' in term 1",
        "content/lint/ko.yaml:4: unknown kind of file 'poster' in term 1 (use: lesson, quiz, survey, guide, "
        "family, worksheet, page, playbook)",
        "content/lint/ko.yaml:5: missing key 'avoid_endings' in register 1",
        "content/lint/ko.yaml:5: missing key 'kinds' in register 1",
    ]


def test_sentence_endings_skip_quotations_headings_tables_and_titles() -> None:
    from edu.content.terms import sentences

    text = (
        "## 3단계: 책임감 느끼기\n"
        "| 수업 | 내용 |\n"
        "**첫째 수업: 동의란 무엇일까요** (`consent-basics`, 15분)\n"
        "\n"
        '**열기.** "오늘은 법을 배워요. 핑계에 흔들리지 않기\n'
        '위해서예요." 도움 안내를 보여 줍니다. 준이는 “장난이다”라고 했다.\n'
        "- 방을 나와서 신고하기\n"
        "\n"
        "X가 답했어요."
    )
    assert [(line, ending) for line, _sentence, ending in sentences(text)] == [
        (0, ""),
        (1, ""),
        (2, ""),
        (4, "**열기"),
        (4, ""),  # the teacher's script, in quotation marks across two lines
        (4, ""),
        (4, "도움 안내를 보여 줍니다"),
        (4, "준이는 “장난이다”라고 했다"),  # the sentence ends outside the quotation
        (6, "- 방을 나와서 신고하기"),
        (8, "X가 답했어요"),
    ]


def test_terms_and_register_must_be_lists(tree: Tree) -> None:
    tree.add("lint/ko.yaml", text='victim_blaming: []\nterms: "방관자"\nregister: {style: 해요체}\n')
    assert messages(tree.load(), "lint/ko.yaml") == [
        "content/lint/ko.yaml:2: 'terms' must be a list",
        "content/lint/ko.yaml:3: 'register' must be a list",
    ]
