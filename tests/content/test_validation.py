"""Every validation error, with its exact ``path:line: message``."""

from __future__ import annotations

from datetime import date

from .conftest import Tree, messages

L = "lessons/en/consent"


def test_valid_tree_has_no_issues(tree: Tree) -> None:
    catalog = tree.load()
    assert [str(i) for i in catalog.issues] == []
    assert catalog.lesson("consent-basics", "en") is not None


def test_front_matter_unknown_and_missing_keys(tree: Tree) -> None:
    tree.add(f"{L}/keys.md", "lesson-keys.md")
    catalog = tree.load()
    assert messages(catalog, f"{L}/keys.md") == [
        "content/lessons/en/consent/keys.md:1: missing key 'minutes' in front matter",
        "content/lessons/en/consent/keys.md:1: missing key 'summary' in front matter",
        "content/lessons/en/consent/keys.md:5: unknown key 'colour' in front matter",
        "content/lessons/en/consent/keys.md:7: unknown age band 'adults' in front matter "
        "(use: middle, high, university)",
    ]
    assert catalog.lesson("broken-keys", "en") is None
    preview = catalog.lesson("broken-keys", "en", include_invalid=True)
    assert preview is not None and preview.step_ids == ("only",)


def test_duplicate_ids(tree: Tree) -> None:
    tree.add(f"{L}/zz-copy.md", text=(tree.root / L / "basics.md").read_text("utf-8"))
    tree.add(
        "quizzes/en/consent/zz-copy.yaml",
        text=(tree.root / "quizzes/en/consent/consent-quiz.yaml").read_text("utf-8"),
    )
    catalog = tree.load()
    assert messages(catalog, f"{L}/zz-copy.md") == [
        "content/lessons/en/consent/zz-copy.md:2: duplicate lesson id 'consent-basics' "
        "(also in content/lessons/en/consent/basics.md)",
    ]
    assert messages(catalog, "quizzes/en/consent/zz-copy.yaml") == [
        "content/quizzes/en/consent/zz-copy.yaml:1: duplicate quiz id 'consent-quiz' "
        "(also in content/quizzes/en/consent/consent-quiz.yaml)",
    ]
    assert catalog.lesson("consent-basics", "en").path == "content/lessons/en/consent/basics.md"


def test_duplicate_ids_inside_a_lesson(tree: Tree) -> None:
    tree.edit(f"{L}/basics.md", "id: photo-check", "id: jun-photo")
    tree.edit(f"{L}/basics.md", "## Where to get help {#help}", "## Where to get help {#photos}")
    assert messages(tree.load(), f"{L}/basics.md") == [
        "content/lessons/en/consent/basics.md:54: duplicate block id 'jun-photo' (first on line 40)",
        "content/lessons/en/consent/basics.md:78: duplicate step id 'photos' (first on line 38)",
    ]


def test_languages_disagree_on_step_block_and_option_ids(tree: Tree) -> None:
    tree.add("lessons/ko/consent/basics.md", "basics-ko-mismatch.md")
    catalog = tree.load()
    en = "content/lessons/en/consent/basics.md"
    assert messages(catalog, "lessons/ko/consent/basics.md") == [
        f"content/lessons/ko/consent/basics.md:16: blocks differ from {en}: missing poll help-poll",
        f"content/lessons/ko/consent/basics.md:23: step ids differ from {en}: missing photos; extra pictures",
        f"content/lessons/ko/consent/basics.md:38: options of check 'photo-check' differ from {en}: "
        "missing yes; extra maybe",
    ]
    assert catalog.lesson("consent-basics", "ko") is None  # the translation that disagrees is not served
    assert catalog.lesson("consent-basics", "en") is not None


def test_languages_disagree_on_correct_answers_and_quiz_options(tree: Tree) -> None:
    tree.edit(
        "quizzes/ko/consent/consent-quiz.yaml",
        '{id: a, text: "사진 찍는 것만", correct: true,',
        '{id: a, text: "사진 찍는 것만",',
    )
    tree.edit(
        "quizzes/ko/consent/consent-quiz.yaml",
        '{id: b, text: "사진과 공유 모두",',
        '{id: b, text: "사진과 공유 모두", correct: true,',
    )
    tree.edit(
        "quizzes/ko/consent/consent-quiz.yaml",
        '{id: c, text: "한 번이면 영원히"}',
        '{id: d, text: "한 번이면 영원히"}',
    )
    tree.edit("lessons/ko/consent/basics.md", "  - id: post\n", "  - id: share\n")
    catalog = tree.load()
    en_quiz = "content/quizzes/en/consent/consent-quiz.yaml"
    assert messages(catalog, "quizzes/ko/consent/consent-quiz.yaml") == [
        "content/quizzes/ko/consent/consent-quiz.yaml:8: correct options of question 'q1' differ from "
        f"{en_quiz}: "
        "missing a; extra b",
        f"content/quizzes/ko/consent/consent-quiz.yaml:16: options of question 'q2' differ from {en_quiz}: "
        "missing c; extra d",
    ]
    assert messages(catalog, "lessons/ko/consent/basics.md") == [
        "content/lessons/ko/consent/basics.md:41: options of scenario 'jun-photo' differ from "
        "content/lessons/en/consent/basics.md: missing post; extra share",
    ]


def test_quiz_with_wrong_number_of_correct_answers(tree: Tree) -> None:
    tree.add("quizzes/en/consent/bad-quiz.yaml", "bad-quiz.yaml")
    assert messages(tree.load(), "quizzes/en/consent/bad-quiz.yaml") == [
        "content/quizzes/en/consent/bad-quiz.yaml:10: question 'q1' (single) needs exactly one correct "
        "option, "
        "it has 2",
        "content/quizzes/en/consent/bad-quiz.yaml:18: question 'q2' (multiple) needs at least one correct "
        "and "
        "one wrong option",
        "content/quizzes/en/consent/bad-quiz.yaml:26: 'answer' must be true or false in question 'q3'",
        "content/quizzes/en/consent/bad-quiz.yaml:29: missing key 'situation' in question 'q4'",
        "content/quizzes/en/consent/bad-quiz.yaml:32: question 'q4' (scenario) needs exactly one correct "
        "option, "
        "it has 0",
    ]


def test_check_block_without_a_correct_option(tree: Tree) -> None:
    tree.edit(f"{L}/basics.md", "    correct: true\n  - id: yes", "  - id: yes")
    assert messages(tree.load(), f"{L}/basics.md") == [
        "content/lessons/en/consent/basics.md:57: no option is marked 'correct: true' in ':::check' block",
    ]


def test_missing_help_and_legal_references_and_broken_links(tree: Tree) -> None:
    tree.add(f"{L}/refs.md", "refs.md")
    topics = "removal, counselling, police, school, youth, emergency, own-behaviour, crisis"
    assert messages(tree.load(), f"{L}/refs.md") == [
        "content/lessons/en/consent/refs.md:16: broken link 'lesson:consent-basics#no-such-step': "
        "lesson 'consent-basics' has no step 'no-such-step'",
        "content/lessons/en/consent/refs.md:16: broken link 'lesson:no-such-lesson': there is no lesson "
        "'no-such-lesson'",
        "content/lessons/en/consent/refs.md:17: broken link 'page:no-such-page': there is no page "
        "'no-such-page'",
        "content/lessons/en/consent/refs.md:20: no help resource has topic 'school' (in help/KR.yaml)",
        f"content/lessons/en/consent/refs.md:20: unknown topic 'weather' in ':::help' block (use: {topics})",
        "content/lessons/en/consent/refs.md:21: unknown help resource key 'nope' (not in help/KR.yaml)",
        "content/lessons/en/consent/refs.md:21: unknown help resource key 'take-it-down' (not in "
        "help/KR.yaml)",
        "content/lessons/en/consent/refs.md:25: unknown legal fact key 'art99' (not in legal/KR.yaml)",
    ]


def test_help_key_for_all_regions_may_come_from_either_file(tree: Tree) -> None:
    tree.edit("lessons/en/consent/kr.md", "region: KR\n", "")
    tree.edit("lessons/en/consent/kr.md", "keys: [acosav, police-112]", "keys: [acosav, take-it-down, nope]")
    assert messages(tree.load(), "lessons/en/consent/kr.md") == [
        "content/lessons/en/consent/kr.md:21: unknown help resource key 'nope' "
        "(not in help/KR.yaml or help/INTL.yaml)",
    ]


def test_structure_mistakes_are_all_reported_with_lines(tree: Tree) -> None:
    tree.add(f"{L}/structure.md", "structure.md")
    blocks = "scenario, check, reflection, mythfact, content-note, help, legal, audience, stepout, poll, law, sort, "
    blocks += "reveal, flip, chat"
    assert messages(tree.load(), f"{L}/structure.md") == [
        "content/lessons/en/consent/structure.md:12: text before the first step: a lesson starts with a "
        "heading "
        "'## Title {#step-id}'",
        "content/lessons/en/consent/structure.md:14: step heading has no id: write '## Title {#step-id}'",
        "content/lessons/en/consent/structure.md:19: invalid YAML: mapping values are not allowed in this "
        "context "
        "in ':::scenario' block",
        f"content/lessons/en/consent/structure.md:23: unknown block ':::quizz' (use: {blocks})",
        "content/lessons/en/consent/structure.md:27: ':::' closes no block",
        "content/lessons/en/consent/structure.md:31: block ':::audience' is not closed before ':::help' "
        "on line 33 "
        "(blocks do not nest)",
        "content/lessons/en/consent/structure.md:38: block ':::reflection' is not closed: add a line "
        "':::' after it",
    ]


def test_bad_yaml_in_a_later_block_reports_the_file_line(tree: Tree) -> None:
    tree.edit(f"{L}/basics.md", "label: Skip this scenario", "label: [Skip this scenario")
    assert messages(tree.load(), f"{L}/basics.md") == [
        "content/lessons/en/consent/basics.md:74: invalid YAML: did not find expected ',' or ']' in "
        "':::stepout' "
        "block",
    ]


def test_block_keys_are_checked(tree: Tree) -> None:
    tree.edit(f"{L}/basics.md", "question: What could Jun do?\n", "prompt: What could Jun do?\n")
    tree.edit(f"{L}/basics.md", "    feedback: Yes. Mina decides about photos of herself.\n", "")
    assert messages(tree.load(), f"{L}/basics.md") == [
        "content/lessons/en/consent/basics.md:41: missing key 'question' in ':::scenario' block",
        "content/lessons/en/consent/basics.md:44: unknown key 'prompt' in ':::scenario' block",
        "content/lessons/en/consent/basics.md:46: missing key 'feedback' in choice 'ask' in ':::scenario' "
        "block",
    ]


def test_legal_fact_and_help_file_past_review_by(tree: Tree) -> None:
    catalog = tree.load(today=date(2027, 6, 1))
    how = "then update last_verified and review_by"
    assert messages(catalog, "legal/KR.yaml") == [
        f"content/legal/KR.yaml:8: legal fact 'art14-2-viewing' is past the review date 2027-05-24: "
        f"check it against the law, {how}",
    ]
    assert messages(catalog, "help/KR.yaml") == [
        "content/help/KR.yaml:4: help resources are past the review date 2027-05-24: check every entry, "
        f"{how}",
    ]
    assert messages(catalog, "help/INTL.yaml") == [
        "content/help/INTL.yaml:4: help resources are past the review date 2027-05-24: check every "
        f"entry, {how}",
    ]
    # help must stay reachable even when overdue
    assert [r.key for r in catalog.help_for("KR", "en")] == ["acosav", "police-112"]
    assert catalog.legal_facts("KR", ["art14-2-viewing"], "en")


def test_review_due_soon_is_a_warning(tree: Tree) -> None:
    catalog = tree.load(today=date(2027, 5, 1))
    assert catalog.errors == []
    assert messages(catalog, "legal/KR.yaml", "warning") == [
        "content/legal/KR.yaml:8: legal fact 'art14-2-viewing' is due for review by 2027-05-24",
    ]


def test_help_file_mistakes(tree: Tree) -> None:
    tree.edit("help/KR.yaml", "topics: [police, emergency]", "topics: [police, sirens]")
    tree.edit(
        "help/KR.yaml",
        'text: {en: "Counselling and deletion of the material.", ko: "상담과 영상물 삭제 지원."}',
        'text: {en: "Counselling and deletion of the material."}',
    )
    catalog = tree.load()
    topics = "removal, counselling, police, school, youth, emergency, own-behaviour, crisis"
    assert messages(catalog, "help/KR.yaml") == [
        "content/help/KR.yaml:11: 'text' has no 'ko' text in resource 'acosav'",
        f"content/help/KR.yaml:17: unknown topic 'sirens' in resource 'police-112' (use: {topics})",
    ]
    assert catalog.help_for("KR", "en") == []  # broken entries are left out, never half-shown


def test_modules_yaml_references(tree: Tree) -> None:
    tree.edit(
        "modules.yaml", "lessons: [consent-basics, consent-kr]", "lessons: [consent-basics, consent-kr, gone]"
    )
    tree.edit("modules.yaml", "quiz: consent-quiz", "quiz: [consent-quiz, gone-quiz]")
    tree.edit("lessons/en/consent/kr.md", "module: consent", "module: deepfakes")
    catalog = tree.load()
    assert messages(catalog, "modules.yaml") == [
        "content/modules.yaml:8: module 'consent' lists lesson 'gone' but there is no such lesson",
        "content/modules.yaml:9: module 'consent' names quiz 'gone-quiz' but there is no such quiz",
    ]
    assert messages(catalog, "lessons/en/consent/kr.md") == [
        "content/lessons/en/consent/kr.md:3: module 'deepfakes' does not match the folder 'consent'",
        "content/lessons/en/consent/kr.md:3: unknown module 'deepfakes' (not in modules.yaml)",
    ]


def test_guide_needs_disclosure_and_live_case_sections(tree: Tree) -> None:
    tree.edit("guides/en/consent.md", "{#live-case}", "{#live}")
    catalog = tree.load()
    assert messages(catalog, "guides/en/consent.md") == [
        "content/guides/en/consent.md:1: teacher guide has no section '{#live-case}'",
    ]
    assert messages(catalog, "guides/ko/consent.md") == [
        "content/guides/ko/consent.md:19: section ids differ from content/guides/en/consent.md: missing "
        "live; "
        "extra live-case",
    ]


def test_files_in_the_wrong_place(tree: Tree) -> None:
    tree.add("lessons/fr/consent/basics.md", text="---\nid: x\n---\n")
    tree.add("lessons/en/basics.md", text="")
    tree.add("README.md", text="not content")
    catalog = tree.load()
    assert messages(catalog, "lessons/fr/consent/basics.md") == [
        "content/lessons/fr/consent/basics.md:1: unknown language folder 'fr' (use: ko, en)",
    ]
    assert messages(catalog, "lessons/en/basics.md") == [
        "content/lessons/en/basics.md:1: unexpected file: lessons files go in "
        "lessons/<locale>/<module>/<slug>.md",
    ]
    assert messages(catalog, "README.md") == []


def test_front_matter_problems(tree: Tree) -> None:
    tree.add(f"{L}/no-fm.md", text="## Step {#step}\n")
    tree.add(f"{L}/open-fm.md", text="---\nid: open\n")
    tree.add(f"{L}/bad-fm.md", text="---\nid: bad\ntitle: [oops\n---\n## Step {#s}\n")
    tree.add(
        f"{L}/dup-fm.md",
        text=(tree.root / L / "kr.md")
        .read_text("utf-8")
        .replace("minutes: 10\n", "minutes: 10\nminutes: 12\n")
        .replace("consent-kr", "consent-dup"),
    )
    catalog = tree.load()
    assert messages(catalog, f"{L}/no-fm.md")[0] == (
        "content/lessons/en/consent/no-fm.md:1: missing front matter: the file must start with a line '---'"
    )
    assert messages(catalog, f"{L}/open-fm.md")[0] == (
        "content/lessons/en/consent/open-fm.md:1: front matter is not closed: add a line '---' after it"
    )
    assert (
        "content/lessons/en/consent/bad-fm.md:3: invalid YAML: did not find expected ',' or ']' in front "
        "matter" in messages(catalog, f"{L}/bad-fm.md")
    )
    assert messages(catalog, f"{L}/dup-fm.md") == [
        "content/lessons/en/consent/dup-fm.md:9: duplicate key 'minutes' in front matter",
    ]


def test_link_lines_after_blocks_and_code_fences(tree: Tree) -> None:
    tree.edit(
        f"{L}/basics.md",
        ":::help\ntopics: [removal]",
        "```\n## not a step {#x}\n:::poll\n```\nSee [gone](page:gone).\n\n:::help\ntopics: [removal]",
    )
    tree.edit(f"{L}/basics.md", ":::poll\nid: help-poll", ":::poll\nid: help-poll\n# [x](page:nope) is YAML")
    assert messages(tree.load(), f"{L}/basics.md") == [
        "content/lessons/en/consent/basics.md:88: broken link 'page:gone': there is no page 'gone'",
    ]


def test_an_objective_with_an_unquoted_colon_is_an_error_not_a_mapping(tree: Tree) -> None:
    """YAML reads `- Say this: that` as a mapping; students would see "{'Say this': 'that'}" on the module-end page."""
    path = tree.root / L / "basics.md"
    text = path.read_text("utf-8")
    assert "objectives:\n" in text
    path.write_text(text.replace("objectives:\n", "objectives:\n  - Name the acts: making and sharing.\n", 1), "utf-8")
    catalog = tree.load()
    found = [m for m in messages(catalog, f"{L}/basics.md") if "objectives" in m]
    assert len(found) == 1 and found[0].endswith(
        "each item of 'objectives' must be text in front matter: put quotes around one with a colon")
