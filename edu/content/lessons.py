"""Read one Markdown file with front matter: a lesson, a teacher guide, a family sheet, a worksheet or a page."""

from __future__ import annotations

from . import blocks, frontmatter, segments, yamlio
from .fields import FileResult, LintText
from .model import AGE_BANDS, Document, Html, Lesson, Step
from .steps import check_steps
from .versioning import version_of
from .yamlio import LDict, LList

_FM = " in front matter"
LESSON_REQUIRED = {"id", "module", "order", "title", "summary", "age_bands", "minutes", "status", "updated"}
LESSON_OPTIONAL = {"region", "sensitivity", "content_note", "objectives", "sources", "translated_from"}
DOC_REQUIRED = {"title", "status", "updated"}
DOC_OPTIONAL = {"translated_from"}
GUIDE_SECTIONS = ("disclosure", "live-case")


def _front_matter(res: FileResult, text: str) -> tuple[LDict, list[str], int]:
    split = frontmatter.split(text)
    if split.error:
        res.error(*split.error)
    data: object = None
    if split.front_matter is not None:
        data, problems = yamlio.load(split.front_matter, split.front_matter_line)
        for problem in problems:
            res.error(problem.line, f"{problem.message}{_FM}")
        if data is not None and not isinstance(data, LDict):
            res.error(split.front_matter_line, "front matter must be a mapping of keys (key: value)")
    if not isinstance(data, LDict):
        data = LDict()
        data.line, data.lines = 1, {}
    res.data = data
    return data, split.body, split.body_line


def _sections(res: FileResult, body: list[str], body_line: int, *, lesson: bool) -> tuple[Step, ...]:
    structure = blocks.parse(body, body_line, lesson=lesson)
    for line, message in structure.problems:
        res.error(line, message)
    allowed = (segments.LESSON_BLOCKS if lesson
               else segments.WORKSHEET_BLOCKS if res.kind == "worksheet" else segments.DOCUMENT_BLOCKS)
    block_ids: dict[str, int] = {}
    sig_blocks: list[str] = []
    steps = []
    for section in structure.sections:
        parts = []
        for item in section.items:
            if isinstance(item, blocks.RawText):
                html = res.markdown(item.text, item.line)
                if html:
                    parts.append(Html(html))
                continue
            segment = segments.build(res, item, allowed)
            if segment is None:
                continue
            parts.append(segment)
            block_id = getattr(segment, "id", None)
            if segment.kind in segments.ID_BLOCKS and block_id:
                if block_id in block_ids:
                    res.error(
                        item.line, f"duplicate block id '{block_id}' (first on line {block_ids[block_id]})"
                    )
                block_ids.setdefault(block_id, item.line)
                sig_blocks.append(f"{segment.kind} {block_id}")
                res.item_lines[("blocks", sig_blocks[-1])] = item.line
                _option_signature(res, segment, item.line)
        steps.append(Step(section.id, section.title, tuple(parts)))
    label = "step ids" if lesson else "section ids"
    with_ids = [s for s in structure.sections if s.id]
    for section in with_ids:
        res.item_lines[(label, section.id)] = section.line
    first = with_ids[0].line if with_ids else body_line
    res.signature[label] = ([s.id for s in with_ids], first)
    res.signature["blocks"] = (sig_blocks, first)
    return tuple(steps)


def _option_signature(res: FileResult, segment: object, line: int) -> None:
    label = f"{segment.kind} '{segment.id}'"  # type: ignore[attr-defined]
    options = getattr(segment, "choices", None) or getattr(segment, "options", None) or ()
    if options:
        res.signature[f"options of {label}"] = ([o.id for o in options], line)
    if segment.kind == "check":  # type: ignore[attr-defined]
        res.signature[f"correct options of {label}"] = ([o.id for o in options if o.correct], line)
    if segment.kind == "sort":  # type: ignore[attr-defined]
        res.signature[f"groups of {label}"] = ([g.id for g in segment.groups], line)  # type: ignore[attr-defined]
        res.signature[f"items of {label}"] = (
            [f"{i.id} in {i.group}" for i in segment.items], line)  # type: ignore[attr-defined]
    if segment.kind == "chat":  # type: ignore[attr-defined]
        res.signature[f"decisions of {label}"] = (  # each decision's id and moves, in order
            [f"{x.id}: {' '.join(c.id for c in x.choices)}" for x in segment.decisions], line)  # type: ignore[attr-defined]
    if segment.kind == "flip":  # type: ignore[attr-defined]
        res.signature[f"answer of {label}"] = ([segment.answer], line)  # type: ignore[attr-defined]


def _unseen_audiences(res: FileResult, body: list[str], body_line: int, age_bands: tuple[str, ...]) -> None:
    """Warn on an ``:::audience`` block that names none of the lesson's bands: no student would ever see it."""
    for offset, line in enumerate(body):
        words = line.split()
        if words and words[0] == ":::audience" and len(words) > 1 and not set(words[1:]) & set(age_bands):
            res.warn(body_line + offset, f"':::audience {' '.join(words[1:])}' is never shown: the lesson is "
                        f"for {', '.join(age_bands)} only (age_bands)")


def parse_lesson(res: FileResult, text: str, locale: str, module_dir: str) -> None:
    fm, body, body_line = _front_matter(res, text)
    res.keys(fm, LESSON_REQUIRED, LESSON_OPTIONAL, _FM, line=1)
    status, updated, translated_from = res.header(fm, locale, _FM)
    lesson_id = res.ident(fm, "id", _FM)
    module = res.text(fm, "module", _FM)
    if module and module != module_dir:
        res.error(fm.line_of("module"), f"module '{module}' does not match the folder '{module_dir}'")
    order, minutes = fm.get("order", 0), fm.get("minutes", 0)
    for key, value in (("order", order), ("minutes", minutes)):
        if key in fm and (
            not isinstance(value, int) or isinstance(value, bool) or value < (1 if key == "minutes" else 0)
        ):
            res.error(fm.line_of(key), f"'{key}' must be a whole number")
    region = res.region(fm)
    age_bands = res.str_list(fm, "age_bands", _FM, AGE_BANDS, "age band")
    if "age_bands" in fm and not age_bands:
        res.error(fm.line_of("age_bands"), "'age_bands' is empty")
    if age_bands:
        # A class sees only the lessons for its band, so the language versions must agree on the bands.
        res.signature["age bands"] = (sorted(age_bands), fm.line_of("age_bands"))
        _unseen_audiences(res, body, body_line, age_bands)
    sources = []
    raw_sources = fm.get("sources") or []
    if not isinstance(raw_sources, list):
        res.error(fm.line_of("sources"), "'sources' must be a list of {title: ..., url: ...}")
        raw_sources = []
    for i, raw in enumerate(raw_sources):
        holder = LDict(source=raw)
        holder.line = fm.line_of("sources")
        holder.lines = {"source": raw_sources.line_of(i) if isinstance(raw_sources, LList) else holder.line}
        source = res.source(holder, "source", " in 'sources'")
        if source:
            sources.append(source)
    steps = _sections(res, body, body_line, lesson=True)
    if isinstance(fm.get("content_note"), str):
        res.notes.append(LintText(fm.line_of("content_note"), "content_note", fm["content_note"]))
    if not steps:
        res.error(body_line if body else 1, "lesson has no steps: add a heading '## Title {#step-id}'")
    res.obj = Lesson(
        id=lesson_id,
        locale=locale,
        module=module,
        order=order if isinstance(order, int) else 0,
        title=res.text(fm, "title", _FM),
        summary=res.text(fm, "summary", _FM),
        age_bands=age_bands,
        minutes=minutes if isinstance(minutes, int) else 0,
        region=region,
        sensitivity=res.str_list(fm, "sensitivity", _FM),
        content_note=res.text(fm, "content_note", _FM) or None,
        objectives=res.str_list(fm, "objectives", _FM),
        sources=tuple(sources),
        status=status,
        updated=updated,
        version=version_of(fm, "\n".join(body)),  # type: ignore[arg-type]
        path=res.path,
        steps=steps,
        translated_from=translated_from,
    )
    step_lines = {step_id: line for (label, step_id), line in res.item_lines.items() if label == "step ids"}
    res.issues.extend(check_steps(res.obj, res.path, step_lines))


def parse_document(res: FileResult, text: str, locale: str, slug: str) -> None:
    """``res.kind`` is guide, family, worksheet or page; all but pages are named after their module."""
    fm, body, body_line = _front_matter(res, text)
    id_key = "id" if res.kind in ("page", "playbook") else "module"
    res.keys(fm, DOC_REQUIRED | {id_key}, DOC_OPTIONAL, _FM, line=1)
    status, updated, translated_from = res.header(fm, locale, _FM)
    doc_id = res.ident(fm, id_key, _FM)
    if doc_id and doc_id != slug:
        res.error(fm.line_of(id_key), f"{id_key} '{doc_id}' does not match the file name '{slug}'")
    sections = _sections(res, body, body_line, lesson=False)
    if res.kind == "guide":
        ids = {s.id for s in sections}
        for required in GUIDE_SECTIONS:
            if required not in ids:
                res.error(1, f"teacher guide has no section '{{#{required}}}'")
    if res.kind == "worksheet" and not any(seg.kind == "write" for s in sections for seg in s.segments):
        res.error(body_line if body else 1, "worksheet has no ':::write' block: give students room to write")
    res.obj = Document(
        id=doc_id or slug,
        locale=locale,
        title=res.text(fm, "title", _FM),
        status=status,
        version=version_of(fm, "\n".join(body)),
        sections=sections,
        kind=res.kind,
        updated=updated,
        path=res.path,
        translated_from=translated_from,
    )
