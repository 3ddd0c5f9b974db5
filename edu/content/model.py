"""Immutable objects the catalog hands out. Pure data: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

LOCALES: tuple[str, ...] = ("ko", "en")
AGE_BANDS: tuple[str, ...] = ("middle", "high", "university")
REGIONS: tuple[str, ...] = ("KR", "INTL")
STATUSES: tuple[str, ...] = ("draft", "published")
HELP_TOPICS: tuple[str, ...] = (
    "removal",
    "counselling",
    "police",
    "school",
    "youth",
    "emergency",
    "own-behaviour",
    "crisis",
)

Severity = Literal["error", "warning", "note"]  # note: listed for the author, never fails


@dataclass(frozen=True)
class Issue:
    """One problem in one file. ``str(issue)`` is ``path:line: message``."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.title}, {self.url}" if self.url else self.title


@dataclass(frozen=True)
class Module:
    id: str
    order: int
    title: dict[str, str]
    summary: dict[str, str]
    lesson_ids: tuple[str, ...]
    quiz_id: str | None  # the first quiz; the law module has one per region (see quiz_ids, Catalog.quiz_for)
    quiz_ids: tuple[str, ...] = ()


# ---- lesson segments --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Html:
    kind: ClassVar[str] = "html"
    html: str


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    feedback_html: str


@dataclass(frozen=True)
class Scenario:
    kind: ClassVar[str] = "scenario"
    id: str
    situation_html: str
    question: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Check:
    kind: ClassVar[str] = "check"
    id: str
    question: str
    options: tuple[Option, ...]
    explanation_html: str


@dataclass(frozen=True)
class Reflection:
    kind: ClassVar[str] = "reflection"
    id: str
    prompt: str


@dataclass(frozen=True)
class MythFact:
    kind: ClassVar[str] = "mythfact"
    myth: str
    fact_html: str
    source: Source | None = None


@dataclass(frozen=True)
class ContentNote:
    kind: ClassVar[str] = "content-note"
    html: str


@dataclass(frozen=True)
class HelpBox:
    kind: ClassVar[str] = "help"
    topics: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class LegalBox:
    kind: ClassVar[str] = "legal"
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Audience:
    kind: ClassVar[str] = "audience"
    bands: tuple[str, ...]
    html: str


@dataclass(frozen=True)
class StepOut:
    kind: ClassVar[str] = "stepout"
    id: str
    label: str
    alternative_html: str


@dataclass(frozen=True)
class PollOption:
    id: str
    text: str


@dataclass(frozen=True)
class Poll:
    kind: ClassVar[str] = "poll"
    id: str
    question: str
    options: tuple[PollOption, ...]


Segment = (
    Html
    | Scenario
    | Check
    | Reflection
    | MythFact
    | ContentNote
    | HelpBox
    | LegalBox
    | Audience
    | StepOut
    | Poll
)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    segments: tuple[Segment, ...]

    def blocks(self, kind: str) -> list[Segment]:
        return [s for s in self.segments if s.kind == kind]


@dataclass(frozen=True)
class Lesson:
    id: str
    locale: str
    module: str
    order: int
    title: str
    summary: str
    age_bands: tuple[str, ...]
    minutes: int
    region: str | None
    sensitivity: tuple[str, ...]
    content_note: str | None
    objectives: tuple[str, ...]
    sources: tuple[Source, ...]
    status: str
    updated: date
    version: str
    path: str
    steps: tuple[Step, ...]
    translated_from: str | None = None

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def blocks(self, kind: str) -> list[Segment]:
        """Every segment of this kind (``"check"``, ``"scenario"``, ...) in lesson order."""
        return [seg for step in self.steps for seg in step.segments if seg.kind == kind]

    @property
    def check_ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.blocks("check"))  # type: ignore[union-attr]

    @property
    def reflection_ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.blocks("reflection"))  # type: ignore[union-attr]


# ---- quizzes and surveys ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizOption:
    id: str
    text: str
    correct: bool
    feedback_html: str = ""
    pinned: bool = False  # keeps its place when the quiz player shuffles the options (e.g. "none of these")


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # single | multiple | truefalse | scenario
    prompt_html: str
    situation_html: str
    options: tuple[QuizOption, ...]
    explanation_html: str
    source: Source | None
    transfer: bool = False  # a situation the lessons did not show: tests whether the idea carries over

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)


@dataclass(frozen=True)
class Quiz:
    id: str
    locale: str
    module: str
    title: str
    status: str
    version: str
    questions: tuple[Question, ...]
    updated: date | None = None
    path: str = ""
    translated_from: str | None = None
    region: str | None = None  # KR | INTL | None (all classes), as for lessons

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class SurveyItem:
    id: str
    type: str  # knowledge | likert | rating (0..100 in steps of 10)
    scale: str
    identity: str  # linked | none
    reverse: bool
    sensitive: bool
    module: str | None
    prompt: str
    options: tuple[Option, ...] = ()
    form: str = "both"  # pre | post | both: the phases that show the item (parallel knowledge forms)
    pair: str | None = None  # the pre and post items of one parallel pair share this id
    source: str | None = None  # id of the survey's source the item is adapted from

    def shown_in(self, phase: str) -> bool:
        return self.form in ("both", phase)


@dataclass(frozen=True)
class SurveyScale:
    """A scale the survey file declares: its item type, a plain label for staff pages, and whether the class
    page shows it (each class figure spends privacy budget, edu/insights/dp.py)."""

    id: str
    type: str  # knowledge | likert | rating
    label: str
    class_page: bool = False


@dataclass(frozen=True)
class SurveySource:
    id: str
    citation: str
    url: str | None = None


@dataclass(frozen=True)
class Survey:
    id: str
    locale: str
    title: str
    intro_html: str
    status: str
    version: str
    likert: tuple[str, ...]
    prefer_not: str
    items: tuple[SurveyItem, ...]
    updated: date | None = None
    path: str = ""
    translated_from: str | None = None
    scales: tuple[SurveyScale, ...] = ()
    sources: tuple[SurveySource, ...] = ()
    rating: tuple[str, ...] = ()  # what 0 and 100 mean on a rating item

    def items_for(self, phase: str) -> tuple[SurveyItem, ...]:
        """The items a phase shows: its knowledge form and every item of both phases, in the file's order."""
        return tuple(item for item in self.items if item.shown_in(phase))


# ---- guides, family sheets, worksheets, pages -----------------------------------------------------------


@dataclass(frozen=True)
class Document:
    id: str  # module id for guides, family sheets and worksheets, slug for pages
    locale: str
    title: str
    status: str
    version: str
    sections: tuple[Step, ...]
    kind: str = "page"  # guide | family | worksheet | page | playbook
    updated: date | None = None
    path: str = ""
    translated_from: str | None = None

    def section(self, section_id: str) -> Step | None:
        return next((s for s in self.sections if s.id == section_id), None)


# ---- help and law -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpResource:
    key: str
    name: str
    phone: str | None
    url: str | None
    hours: str | None
    text: str
    topics: tuple[str, ...]
    ages: str | None
    last_verified: date | None
    review_by: date | None
    countries: tuple[str, ...] = ()  # INTL only: shown just to classes in these countries (e.g. a crisis line)


@dataclass(frozen=True)
class LegalFact:
    key: str
    title: str
    text: str
    source: Source | None
    last_verified: date | None
    review_by: date | None
    text_html: str = ""


@dataclass(frozen=True)
class TranslationRow:
    kind: str  # lesson | quiz | survey | guide | family | worksheet | page
    id: str
    locale: str
    status: str  # ok | missing | stale
    path: str | None = None
