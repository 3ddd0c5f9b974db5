"""Read one quiz file (YAML)."""

from __future__ import annotations

from .fields import FileResult, LintText
from .model import Question, Quiz, QuizOption
from .versioning import version_of
from .yamlio import LDict, LList

QUIZ_REQUIRED = {"id", "module", "title", "status", "updated", "questions"}
QUIZ_OPTIONAL = {"translated_from", "region"}
QUESTION_TYPES = ("single", "multiple", "truefalse", "scenario")
_BASE = {"id", "type", "prompt", "explanation", "source"}
_TF_TEXT = {"en": ("True", "False"), "ko": ("참", "거짓")}


def _options(res: FileResult, q: LDict, qid: str, where: str) -> list[QuizOption]:
    raw = q.get("options")
    if not isinstance(raw, LList):
        if raw is not None:
            res.error(q.line_of("options"), f"'options' must be a list{where}")
        return []
    options: list[QuizOption] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        o = res.mapping(item, raw.line_of(i), f"each option{where}")
        if o is None:
            continue
        oid = res.ident(o, "id", where)
        res.keys(o, {"id", "text"}, {"correct", "feedback", "pin"}, f" in option '{oid}'{where}")
        if oid and oid in seen:
            res.error(o.line_of("id"), f"duplicate option id '{oid}'{where}")
        seen.add(oid)
        option = QuizOption(
            oid,
            res.text(o, "text", where),
            res.flag(o, "correct", where),
            res.md_field(o, "feedback", where, required=False),
            res.flag(o, "pin", where),
        )
        if "feedback" in o:
            res.lint_texts.append(
                LintText(
                    o.line_of("feedback"),
                    f"feedback of option '{oid}' in question '{qid}'",
                    str(o["feedback"]),
                )
            )
        if option.correct:
            res.lint_texts.append(
                LintText(o.line_of("text"), f"correct option '{oid}' in question '{qid}'", option.text)
            )
        options.append(option)
    return options


def _question(res: FileResult, q: LDict, locale: str) -> Question:
    qid = res.ident(q, "id", " in question")
    qtype = str(q.get("type", ""))
    where = f" in question '{qid}'"
    if qtype not in QUESTION_TYPES:
        res.error(
            q.line_of("type"), f"unknown question type '{qtype}'{where} (use: {', '.join(QUESTION_TYPES)})"
        )
    if qtype == "truefalse":
        res.keys(q, _BASE | {"answer"}, {"feedback_true", "feedback_false", "transfer"}, where)
        answer = q.get("answer")
        if "answer" in q and not isinstance(answer, bool):
            res.error(q.line_of("answer"), f"'answer' must be true or false{where}")
        texts = _TF_TEXT.get(locale, _TF_TEXT["en"])
        options = [
            QuizOption(value, text, answer is (value == "true"), res.md_field(q, key, where, required=False))
            for value, text, key in (
                ("true", texts[0], "feedback_true"),
                ("false", texts[1], "feedback_false"),
            )
        ]
        for key in ("feedback_true", "feedback_false"):
            if key in q:
                res.lint_texts.append(LintText(q.line_of(key), f"{key} of question '{qid}'", str(q[key])))
    else:
        required = _BASE | {"options"} | ({"situation"} if qtype == "scenario" else set())
        res.keys(q, required, {"transfer"}, where)
        options = _options(res, q, qid, where)
        correct = sum(o.correct for o in options)
        if qtype in ("single", "scenario") and options and correct != 1:
            res.error(
                q.line_of("options"),
                f"question '{qid}' ({qtype}) needs exactly one correct option, it has {correct}",
            )
        if qtype == "multiple" and options and not 0 < correct < len(options):
            res.error(
                q.line_of("options"),
                f"question '{qid}' (multiple) needs at least one correct and one wrong option",
            )
        if qtype and len(options) < 2 and "options" in q:
            res.error(q.line_of("options"), f"question '{qid}' needs at least 2 options")
    explanation = res.text(q, "explanation", where)
    res.lint_texts.append(LintText(q.line_of("explanation"), f"explanation of question '{qid}'", explanation))
    source = res.source(q, "source", where)
    for key, value in (("explanation", explanation), ("source", str(source or ""))):
        if "TODO" in value:
            res.warn(q.line_of(key), f"placeholder 'TODO' left in {key}{where}")
    res.signature[f"options of question '{qid}'"] = ([o.id for o in options], q.line)
    res.signature[f"correct options of question '{qid}'"] = ([o.id for o in options if o.correct], q.line)
    return Question(
        qid,
        qtype,
        res.md_field(q, "prompt", where),
        res.md_field(q, "situation", where, required=False),
        tuple(options),
        res.md_field(q, "explanation", where),
        source,
        res.flag(q, "transfer", where),
    )


def parse_quiz(res: FileResult, text: str, locale: str, module_dir: str) -> None:
    d = res.document(text)
    if d is None:
        return
    res.keys(d, QUIZ_REQUIRED, QUIZ_OPTIONAL, "", line=1)
    quiz_id = res.ident(d, "id", "")
    module = res.text(d, "module", "")
    if module and module != module_dir:
        res.error(d.line_of("module"), f"module '{module}' does not match the folder '{module_dir}'")
    status, updated, translated_from = res.header(d, locale, "")
    questions: list[Question] = []
    seen: dict[str, int] = {}
    raw = d.get("questions")
    if "questions" in d and (not isinstance(raw, LList) or not raw):
        res.error(d.line_of("questions"), "'questions' must be a non-empty list")
    for i, item in enumerate(raw if isinstance(raw, LList) else []):
        q = res.mapping(item, raw.line_of(i), "each question")
        if q is None:
            continue
        question = _question(res, q, locale)
        if question.id in seen:
            res.error(
                q.line_of("id"), f"duplicate question id '{question.id}' (first on line {seen[question.id]})"
            )
        seen.setdefault(question.id, q.line_of("id"))
        res.item_lines[("questions", f"{question.id} ({question.type})")] = q.line
        questions.append(question)
    res.signature["questions"] = ([f"{q.id} ({q.type})" for q in questions], d.line_of("questions"))
    res.obj = Quiz(
        quiz_id,
        locale,
        module,
        res.text(d, "title", ""),
        status,
        version_of(d),
        tuple(questions),
        updated,
        res.path,
        translated_from,
        res.region(d),
    )
