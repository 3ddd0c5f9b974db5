"""Every user-facing string is in the catalogs, and the Korean catalog has no missing or fuzzy entry."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def extracted_ids() -> set[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        ids.add(message if isinstance(message, str) else message[0])
    return {i for i in ids if i}


def catalog(locale: str):
    with (ROOT / "edu" / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def test_every_string_in_the_code_and_templates_is_translated_to_korean():
    korean = catalog("ko")
    translated = {}
    for message in korean:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        value = message.string if isinstance(message.string, str) else message.string[0]
        translated[key] = (value, message.fuzzy)
    missing = sorted(i for i in extracted_ids() if i not in translated or not translated[i][0])
    fuzzy = sorted(i for i, (_, is_fuzzy) in translated.items() if is_fuzzy)
    assert missing == [], f"untranslated strings (run `make extract-messages` and translate): {missing[:10]}"
    assert fuzzy == [], f"fuzzy Korean translations: {fuzzy[:10]}"


def test_catalog_headers_are_not_fuzzy():
    """pybabel compile skips a catalog whose header is fuzzy: the app would silently show English."""
    assert not catalog("ko").fuzzy and not catalog("en").fuzzy


def test_placeholders_survive_translation():
    import re

    for message in catalog("ko"):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert set(re.findall(r"%\(\w+\)\w", source)) == set(re.findall(r"%\(\w+\)\w", target)), source
