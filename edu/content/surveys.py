"""Read one survey file (YAML): its declared scales and sources, then its items.

- ``scales:`` declares every scale (``type: knowledge | likert | rating``, a ``label`` for staff pages,
  ``class_page: true`` for the few the class page shows). An item's ``type`` must be its scale's type; the
  privacy budget is computed over the declared scales (edu/insights/dp.py), never over a fixed list.
- Knowledge items come in parallel forms: ``form: pre`` and ``form: post`` items sharing a ``pair`` id ask the
  same fact in other words (survey_forms.py checks the pairs). Other items are shown in both phases.
- ``sources:`` lists the published scales the items are adapted from; every opinion or rating item names one.
- In the Korean file every item carries a ``back_translation`` (English written from the Korean alone), for
  reviewers only: it is checked for presence and never shown.
"""

from __future__ import annotations

from .fields import FileResult
from .model import Option, Survey, SurveyItem, SurveyScale, SurveySource
from .survey_forms import check_forms
from .versioning import version_of
from .yamlio import LDict, LList

SURVEY_REQUIRED = {"id", "title", "intro", "status", "updated", "likert", "prefer_not", "scales", "sources", "items"}
SURVEY_OPTIONAL = {"translated_from", "rating"}
ITEM_TYPES = ("knowledge", "likert", "rating")
IDENTITIES = ("linked", "none")
FORMS = ("both", "pre", "post")
BACK_TRANSLATED = "ko"  # the file whose items carry a back-translation


def _scales(res: FileResult, d: LDict) -> tuple[SurveyScale, ...]:
    raw = d.get("scales")
    if "scales" in d and (not isinstance(raw, LList) or not raw):
        res.error(d.line_of("scales"), "'scales' must be a non-empty list")
        return ()
    scales: list[SurveyScale] = []
    for i, entry in enumerate(raw if isinstance(raw, LList) else []):
        s = res.mapping(entry, raw.line_of(i), "each scale")
        if s is None:
            continue
        sid, stype = str(s.get("id", "")), str(s.get("type", ""))
        where = f" in scale '{sid}'"
        res.keys(s, {"id", "type", "label"}, {"class_page"}, where)
        if not sid.replace("_", "").isalnum() or sid.lower() != sid:
            res.error(s.line_of("id"), f"scale id '{sid}' is not valid: use lowercase letters, digits and _")
        if stype not in ITEM_TYPES:
            res.error(s.line_of("type"), f"unknown type '{stype}'{where} (use: {', '.join(ITEM_TYPES)})")
        if any(x.id == sid for x in scales):
            res.error(s.line_of("id"), f"duplicate scale '{sid}'")
        scales.append(SurveyScale(sid, stype, res.text(s, "label", where), res.flag(s, "class_page", where)))
    if scales and sum(s.type == "knowledge" for s in scales) > 1:
        res.error(d.line_of("scales"), "a survey has at most one knowledge scale")
    res.signature["scales"] = ([f"{s.id} ({s.type}, class_page={s.class_page})" for s in scales], d.line_of("scales"))
    return tuple(scales)


def _sources(res: FileResult, d: LDict) -> tuple[SurveySource, ...]:
    raw = d.get("sources")
    if "sources" in d and not isinstance(raw, LList):
        res.error(d.line_of("sources"), "'sources' must be a list")
        return ()
    sources: list[SurveySource] = []
    for i, entry in enumerate(raw if isinstance(raw, LList) else []):
        s = res.mapping(entry, raw.line_of(i), "each source")
        if s is None:
            continue
        sid = res.ident(s, "id", " in a source")
        res.keys(s, {"id", "citation"}, {"url"}, f" in source '{sid}'")
        url = res.raw_text(s, "url", f" in source '{sid}'") or None
        if url and not url.startswith("https://"):
            res.error(s.line_of("url"), f"the url of source '{sid}' must start with https://")
        sources.append(SurveySource(sid, res.raw_text(s, "citation", f" in source '{sid}'"), url))
    res.signature["sources"] = ([s.id for s in sources], d.line_of("sources"))
    return tuple(sources)


def _options(res: FileResult, it: LDict, where: str) -> list[Option]:
    options: list[Option] = []
    raw = it.get("options")
    if isinstance(raw, LList):
        for i, entry in enumerate(raw):
            o = res.mapping(entry, raw.line_of(i), f"each option{where}")
            if o is not None:
                oid = res.ident(o, "id", where)
                res.keys(o, {"id", "text"}, {"correct"}, f" in option '{oid}'{where}")
                options.append(Option(oid, res.text(o, "text", where), res.flag(o, "correct", where)))
    elif raw is not None:
        res.error(it.line_of("options"), f"'options' must be a list{where}")
    if len({o.id for o in options}) != len(options):
        res.error(it.line_of("options"), f"duplicate option id{where}")
    return options


def _item(res: FileResult, it: LDict, scales: dict[str, SurveyScale], sources: set[str]) -> SurveyItem:
    iid = res.ident(it, "id", " in item")
    where = f" in item '{iid}'"
    itype, scale, identity = (str(it.get(k, "")) for k in ("type", "scale", "identity"))
    knowledge = itype == "knowledge"
    required = {"id", "type", "scale", "identity", "prompt"} | ({"options"} if knowledge else {"source"})
    required |= {"back_translation"} if res.locale == BACK_TRANSLATED else set()
    optional = {"reverse", "sensitive", "module", "source"} | ({"form", "pair"} if knowledge else set())
    res.keys(it, required, optional, where)
    if "back_translation" in it and res.locale != BACK_TRANSLATED:
        res.error(it.line_of("back_translation"), f"a back-translation belongs in the Korean file only{where}")
    res.raw_text(it, "back_translation", where)  # checked, never shown
    for key, value, allowed in (("type", itype, ITEM_TYPES), ("identity", identity, IDENTITIES)):
        if key in it and value not in allowed:
            res.error(it.line_of(key), f"unknown {key} '{value}'{where} (use: {', '.join(allowed)})")
    if "scale" in it and scales and scale not in scales:
        res.error(it.line_of("scale"), f"unknown scale '{scale}'{where} (declare it under 'scales')")
    elif scale in scales and itype in ITEM_TYPES and scales[scale].type != itype:
        res.error(it.line_of("scale"), f"scale '{scale}' holds {scales[scale].type} items, this is {itype}{where}")
    source = str(it["source"]) if "source" in it else None
    if source is not None and source not in sources:
        res.error(it.line_of("source"), f"unknown source '{source}'{where} (list it under 'sources')")
    form = str(it.get("form", "both"))
    if form not in FORMS:
        res.error(it.line_of("form"), f"unknown form '{form}'{where} (use: {', '.join(FORMS)})")
    options = _options(res, it, where)
    if knowledge and options and sum(o.correct for o in options) != 1:
        res.error(it.line_of("options"), f"knowledge item '{iid}' needs exactly one correct option")
    if not knowledge and "options" in it:
        res.error(it.line_of("options"), f"only knowledge items have options (the survey's labels are used){where}")
    module = it.get("module")
    item = SurveyItem(iid, itype, scale, identity, res.flag(it, "reverse", where), res.flag(it, "sensitive", where),
                      str(module) if module else None, res.text(it, "prompt", where), tuple(options), form,
                      str(it["pair"]) if "pair" in it else None, source)
    res.signature[f"options of item '{iid}'"] = ([o.id for o in options], it.line)
    res.signature[f"correct options of item '{iid}'"] = ([o.id for o in options if o.correct], it.line)
    res.signature[f"settings of item '{iid}'"] = (
        [f"type={itype}", f"scale={scale}", f"identity={identity}", f"reverse={item.reverse}",
         f"sensitive={item.sensitive}", f"module={item.module}", f"form={form}", f"pair={item.pair}",
         f"source={source}"],
        it.line,
    )
    return item


def parse_survey(res: FileResult, text: str, locale: str, slug: str) -> None:
    d = res.document(text)
    if d is None:
        return
    res.keys(d, SURVEY_REQUIRED, SURVEY_OPTIONAL, "", line=1)
    survey_id = res.ident(d, "id", "")
    if survey_id and survey_id != slug:
        res.error(d.line_of("id"), f"id '{survey_id}' does not match the file name '{slug}'")
    status, updated, translated_from = res.header(d, locale, "")
    likert = res.str_list(d, "likert", "")
    if "likert" in d and len(likert) != 5:
        res.error(
            d.line_of("likert"),
            f"'likert' needs 5 labels (strongly disagree .. strongly agree), it has {len(likert)}",
        )
    rating = res.str_list(d, "rating", "")
    if "rating" in d and len(rating) != 2:
        res.error(d.line_of("rating"), f"'rating' needs 2 labels (the meaning of 0 and of 100), it has {len(rating)}")
    scales = _scales(res, d)
    sources = _sources(res, d)
    by_id = {s.id: s for s in scales}
    items: list[SurveyItem] = []
    seen: set[str] = set()
    raw = d.get("items")
    if "items" in d and (not isinstance(raw, LList) or not raw):
        res.error(d.line_of("items"), "'items' must be a non-empty list")
    for i, entry in enumerate(raw if isinstance(raw, LList) else []):
        it = res.mapping(entry, raw.line_of(i), "each item")
        if it is None:
            continue
        item = _item(res, it, by_id, {s.id for s in sources})
        if item.id in seen:
            res.error(it.line_of("id"), f"duplicate item id '{item.id}'")
        seen.add(item.id)
        res.item_lines[("items", f"{item.id} ({item.type})")] = it.line
        items.append(item)
    check_forms(res, items, {i.id: res.item_lines[("items", f"{i.id} ({i.type})")] for i in items})
    if any(i.type == "rating" for i in items) and "rating" not in d:
        res.error(1, "rating items need the survey's 'rating' labels (the meaning of 0 and of 100)")
    for scale in scales:
        if not any(i.scale == scale.id for i in items):
            res.error(d.line_of("scales"), f"scale '{scale.id}' has no items")
    res.signature["items"] = ([f"{i.id} ({i.type})" for i in items], d.line_of("items"))
    res.obj = Survey(survey_id, locale, res.text(d, "title", ""), res.md_field(d, "intro", ""), status,
                     version_of(d), likert, res.text(d, "prefer_not", ""), tuple(items), updated, res.path,
                     translated_from, scales, sources, rating)
