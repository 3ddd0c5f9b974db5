"""Worksheets (content/worksheets/<locale>/<module>.md): a document like a family sheet with ``:::write`` blocks,
ruled lines to write on by hand once printed. What the content check accepts and rejects."""

from __future__ import annotations

from tests.content.conftest import Tree, messages

KO = "worksheets/ko/consent.md"
EN = "worksheets/en/consent.md"


def test_a_valid_worksheet_loads_with_its_write_blocks(tree: Tree) -> None:
    catalog = tree.load()
    assert not catalog.errors and not catalog.warnings
    sheet = catalog.worksheet("consent", "ko")
    assert sheet is not None and sheet.kind == "worksheet" and sheet.title == "활동지: 동의"
    writes = [seg for section in sheet.sections for seg in section.segments if seg.kind == "write"]
    assert [(w.label, w.lines) for w in writes] == [("내가 보낼 메시지", 3)]
    assert catalog.worksheet("consent", "en").translated_from == "ko"
    assert catalog.worksheet("no-such-module", "ko") is None


def test_lines_must_be_a_whole_number_from_1_to_20(tree: Tree) -> None:
    for bad in ("0", "21", "three", "2.5"):
        tree.edit(KO, "lines: 3", f"lines: {bad}")
        assert messages(tree.load(), KO) == [
            f"content/{KO}:14: 'lines' must be a whole number from 1 to 20 in ':::write' block"
        ], bad
        tree.edit(KO, f"lines: {bad}", "lines: 3")
    tree.edit(KO, "lines: 3", "lines: 20")
    assert messages(tree.load(), KO) == []


def test_lines_is_required_and_label_optional(tree: Tree) -> None:
    tree.edit(KO, 'label: "내가 보낼 메시지"\nlines: 3', "lines: 3")
    assert messages(tree.load(), KO) == []
    tree.edit(KO, "lines: 3", 'label: "메시지"')
    assert messages(tree.load(), KO) == [f"content/{KO}:13: missing key 'lines' in ':::write' block"]


def test_a_worksheet_needs_a_write_block(tree: Tree) -> None:
    tree.edit(EN, ':::write\nlabel: "My message"\nlines: 3\n:::\n', "")
    assert messages(tree.load(), EN) == [
        f"content/{EN}:8: worksheet has no ':::write' block: give students room to write"
    ]


def test_write_is_for_worksheets_only_and_interactive_blocks_are_not_for_worksheets(tree: Tree) -> None:
    tree.edit("guides/en/consent.md", "\n## ", "\n:::write\nlines: 2\n:::\n\n## ")
    found = messages(tree.load(), "guides/en/consent.md")
    assert any("block ':::write' can only be used in worksheets" in m for m in found), found
    tree.edit(EN, ":::help", ":::reflection\nid: r1\nprompt: Why?\n:::\n\n:::help")
    found = messages(tree.load(), EN)
    assert any("block ':::reflection' can only be used in lessons" in m for m in found), found


def test_the_module_must_exist_and_match_the_file_name(tree: Tree) -> None:
    tree.add("worksheets/en/nothing.md", text=(tree.root / EN).read_text("utf-8").replace("module: consent",
                                                                                          "module: nothing"))
    assert "unknown module 'nothing' (not in modules.yaml)" in " ".join(messages(tree.load(), "worksheets/en/nothing.md"))
    tree.edit(EN, "module: consent", "module: respect")
    assert "module 'respect' does not match the file name 'consent'" in " ".join(messages(tree.load(), EN))


def test_translation_status_and_section_ids_are_checked_like_other_documents(tree: Tree) -> None:
    (tree.root / EN).unlink()
    rows = {(r.kind, r.id, r.locale): r.status for r in tree.load().translation_status()}
    assert rows[("worksheet", "consent", "en")] == "missing" and rows[("worksheet", "consent", "ko")] == "ok"


def test_a_worksheet_in_the_wrong_place_is_an_error(tree: Tree) -> None:
    tree.add("worksheets/consent.md", text="---\n---\n")
    assert messages(tree.load(), "worksheets/consent.md") == [
        "content/worksheets/consent.md:1: unexpected file: worksheets files go in worksheets/<locale>/<module>.md"
    ]


def test_worksheets_are_held_to_the_house_register_and_citation_rules(tree: Tree) -> None:
    tree.edit(EN, "Write how you would ask", "In 2024, 89% wrote how they would ask")
    found = " ".join(messages(tree.load(), EN, "warning") + messages(tree.load(), EN))
    assert "89%" in found
