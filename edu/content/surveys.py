"""Read one survey file (YAML)."""

from __future__ import annotations

from .fields import FileResult
from .model import Option, Survey, SurveyItem
from .versioning import version_of
from .yamlio import LDict, LList

SURVEY_REQUIRED = {"id", "title", "intro", "status", "updated", "likert", "prefer_not", "items"}
SURVEY_OPTIONAL = {"translated_from"}
ITEM_TYPES = ("knowledge", "likert")
SCALES = ("knowledge", "attitudes", "bystander_confidence", "bystander_intention")
IDENTITIES = ("linked", "none")


def _item(res: FileResult, it: LDict) -> SurveyItem:
    iid = res.ident(it, "id", " in item")
    where = f" in item '{iid}'"
    itype, scale, identity = (str(it.get(k, "")) for k in ("type", "scale", "identity"))
    required = {"id", "type", "scale", "identity", "prompt"} | (
        {"options"} if itype == "knowledge" else set()
    )
    optional = {"reverse", "sensitive", "module"}
    res.keys(it, required, optional, where)
    for key, value, allowed in (
        ("type", itype, ITEM_TYPES),
        ("scale", scale, SCALES),
        ("identity", identity, IDENTITIES),
    ):
        if key in it and value not in allowed:
            res.error(it.line_of(key), f"unknown {key} '{value}'{where} (use: {', '.join(allowed)})")
    if itype in ITEM_TYPES and scale in SCALES and (itype == "knowledge") != (scale == "knowledge"):
        res.error(
            it.line_of("scale"),
            f"knowledge items use scale 'knowledge' and likert items another scale{where}",
        )
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
    if itype == "knowledge" and options and sum(o.correct for o in options) != 1:
        res.error(it.line_of("options"), f"knowledge item '{iid}' needs exactly one correct option")
    if itype == "likert" and raw is not None:
        res.error(
            it.line_of("options"),
            f"likert items have no options (the survey's likert labels are used){where}",
        )
    if len({o.id for o in options}) != len(options):
        res.error(it.line_of("options"), f"duplicate option id{where}")
    module = it.get("module")
    item = SurveyItem(
        iid,
        itype,
        scale,
        identity,
        res.flag(it, "reverse", where),
        res.flag(it, "sensitive", where),
        str(module) if module else None,
        res.text(it, "prompt", where),
        tuple(options),
    )
    res.signature[f"options of item '{iid}'"] = ([o.id for o in options], it.line)
    res.signature[f"correct options of item '{iid}'"] = ([o.id for o in options if o.correct], it.line)
    res.signature[f"settings of item '{iid}'"] = (
        [
            f"scale={scale}",
            f"identity={identity}",
            f"reverse={item.reverse}",
            f"sensitive={item.sensitive}",
            f"module={item.module}",
        ],
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
    items: list[SurveyItem] = []
    seen: set[str] = set()
    raw = d.get("items")
    if "items" in d and (not isinstance(raw, LList) or not raw):
        res.error(d.line_of("items"), "'items' must be a non-empty list")
    for i, entry in enumerate(raw if isinstance(raw, LList) else []):
        it = res.mapping(entry, raw.line_of(i), "each item")
        if it is None:
            continue
        item = _item(res, it)
        if item.id in seen:
            res.error(it.line_of("id"), f"duplicate item id '{item.id}'")
        seen.add(item.id)
        res.item_lines[("items", f"{item.id} ({item.type})")] = it.line
        items.append(item)
    res.signature["items"] = ([f"{i.id} ({i.type})" for i in items], d.line_of("items"))
    res.obj = Survey(
        survey_id,
        locale,
        res.text(d, "title", ""),
        res.md_field(d, "intro", ""),
        status,
        version_of(d),
        likert,
        res.text(d, "prefer_not", ""),
        tuple(items),
        updated,
        res.path,
        translated_from,
    )
