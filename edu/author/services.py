"""Catalog overview rows and preview state for the author pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from edu.domain import LOCALES, REGIONS


@dataclass
class CatalogRow:
    kind: str
    id: str
    module_id: str
    titles: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)  # locale -> draft | published
    translation: dict[str, str] = field(default_factory=dict)  # locale -> ok | missing | stale


def catalog_rows(catalog) -> list[CatalogRow]:
    """One row per lesson and quiz (both regions), with status and translation state per language."""
    translation = {(t.kind, t.id, t.locale): t.status for t in catalog.translation_status()}
    rows: list[CatalogRow] = []
    for module in catalog.modules:
        seen: set[tuple[str, str]] = set()
        for locale in LOCALES:
            items = [("lesson", lesson) for region in REGIONS
                     for lesson in catalog.lessons_for(module.id, locale, region=region, include_drafts=True)]
            items += [("quiz", quiz) for quiz_id in module.quiz_ids
                      if (quiz := catalog.quiz(quiz_id, locale, include_invalid=True)) is not None]
            for kind, item in items:
                if (kind, item.id) in seen:
                    continue
                seen.add((kind, item.id))
                row = CatalogRow(kind, item.id, module.id)
                for other in LOCALES:
                    found = catalog.lesson(item.id, other) if kind == "lesson" else catalog.quiz(item.id, other)
                    if found is not None:
                        row.titles[other] = found.title
                        row.status[other] = found.status
                    row.translation[other] = translation.get((kind, item.id, other),
                                                             "ok" if found is not None else "missing")
                rows.append(row)
    return rows


def preview_state(args, lesson=None) -> dict[str, str]:
    """Choices made in a preview travel in the URL (r.<block>=<choice>), never in the database. A card sort
    sends its cards as item.<item id>=<group id>, kept in the form a student's sort is stored in."""
    responses = {key[2:]: value for key, value in args.items() if key.startswith("r.")}
    block, choice = args.get("block"), args.get("choice")
    placed = {key[5:]: value for key, value in args.items() if key.startswith("item.")}
    sort = next((seg for seg in lesson.blocks("sort") if seg.id == block), None) if lesson and placed else None
    answer = sort.encode(placed) if sort is not None else None
    if block and answer:
        responses[block] = answer
    if block and choice:
        if choice == "return":
            responses.pop(block, None)
        else:
            responses[block] = choice
    return responses
