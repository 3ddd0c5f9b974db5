"""A synthetic data set for benchmarks and scale tests: schools, classes, students and their answers, at any
scale.

    .venv/bin/python -m bench.datagen --students 100000 --answers 2000000 [--schools N] [--seed S]

The shape follows a real school year: each school has classes of 25-30 students in both languages and the
three age bands, each class is assigned the pre/post survey and three or four curriculum modules (ids, quiz
questions and survey items come from the content catalog, so every page renders), and each class is at one
stage of the programme (finished, midway, just started, or only assigned). Students answer the pre survey,
work through lessons (lesson progress), take quizzes (attempts and answers) and answer the post survey, with
plausible gains that differ by item. "Answers" are survey answers (linked and anonymous) plus quiz answers;
the stage mix is chosen so that their total comes close to ``answers``.

Privacy and speed:
- no real names: pseudonyms as the app makes them (adjective, animal, number), staff emails at
  ``generated.boundaries.test``;
- every generated student shares one PIN (:data:`GENERATED_PIN`) and every generated staff account one password
  (:data:`GENERATED_PASSWORD`): each is hashed once, not 100,000 times;
- rows go in with SQLAlchemy Core ``insert()`` and lists of dicts, in chunks, with ids assigned here (PostgreSQL
  sequences are moved past them at the end), one transaction per school;
- the same seed gives the same data; a second run with a seed already in the database changes nothing.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from edu.auth.codes import ADJECTIVES, ANIMALS, JOIN_CODE_ALPHABET
from edu.content.model import AGE_BANDS
from edu.domain import LOCALES, REGIONS, SURVEY_ID, region_of
from edu.extensions import db
from edu.insights import completions
from edu.models import (
    Account,
    AnonymousSurveyAnswer,
    Assignment,
    Classroom,
    ClassTeacher,
    LessonProgress,
    ModuleCompletion,
    QuizAnswer,
    QuizAttempt,
    School,
    Student,
    SurveyAnswer,
    SurveySubmission,
)

GENERATED_PIN = "246810"
GENERATED_PASSWORD = "generated-pass-2026"
EMAIL_DOMAIN = "generated.boundaries.test"
TERM_START = datetime(2026, 3, 2, 9, 0)  # a Monday: the Korean school year starts in March
CHUNK = 20_000
CLASS_SIZE = (25, 30)
MODULES_PER_CLASS = (3, 4)  # the first three or four modules of the curriculum
INTL_COUNTRIES = ("US", "GB", "AU", "SG", "CA")

# Tables in insertion order (parents first).
TABLES = (School, Account, Classroom, ClassTeacher, Student, Assignment, LessonProgress, ModuleCompletion, QuizAttempt,
          QuizAnswer, SurveySubmission, SurveyAnswer, AnonymousSurveyAnswer)


@dataclass(frozen=True)
class Stage:
    """How far a class has got: the share of students doing each activity."""

    name: str
    pre: float  # answered the pre survey
    modules: float  # share of the assigned modules reached
    lesson_done: float  # a reached lesson was finished (else in progress)
    quiz: float  # took a reached module's quiz
    retry: float  # took it a second time
    post: float  # answered the post survey (only students who answered the pre survey)


STAGES = (
    Stage("finished", pre=0.92, modules=1.0, lesson_done=0.88, quiz=0.85, retry=0.15, post=0.86),
    Stage("midway", pre=0.92, modules=0.5, lesson_done=0.8, quiz=0.7, retry=0.1, post=0.0),
    Stage("started", pre=0.85, modules=0.25, lesson_done=0.4, quiz=0.2, retry=0.0, post=0.0),
    Stage("assigned", pre=0.0, modules=0.0, lesson_done=0.0, quiz=0.0, retry=0.0, post=0.0),
)
STAGE_MIX = {"finished": 0.35, "midway": 0.3, "started": 0.2, "assigned": 0.15}


@dataclass
class Report:
    created: bool
    seed: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def answers(self) -> int:
        return sum(self.counts.get(t, 0) for t in ("survey_answers", "anonymous_survey_answers", "quiz_answers"))


# ---- the catalog, reduced to what generation needs ---------------------------------------------------------


@dataclass(frozen=True)
class QuizShape:
    id: str
    version: str
    questions: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...]  # (id, option ids, correct ids)


@dataclass(frozen=True)
class ModuleShape:
    id: str
    lessons: tuple[tuple[str, str, int], ...]  # (lesson id, version, number of steps)
    quiz: QuizShape | None


@dataclass(frozen=True)
class SurveyShape:
    version: str
    items: tuple  # SurveyItem objects of the catalog
    id: str = SURVEY_ID

    def items_for(self, phase: str) -> tuple:
        return tuple(item for item in self.items if item.shown_in(phase))


class Curriculum:
    """Modules per (locale, region, age band) and the survey per locale, read once from the catalog."""

    def __init__(self, catalog):
        self.modules: dict[tuple[str, str, str], list[ModuleShape]] = {}
        self.surveys: dict[str, SurveyShape] = {}
        for locale in LOCALES:
            survey = catalog.survey(SURVEY_ID, locale)
            if survey is None:
                raise RuntimeError(f"the {SURVEY_ID} survey is missing in {locale}")
            self.surveys[locale] = SurveyShape(survey.version, tuple(survey.items))
            for region, band in ((region, band) for region in REGIONS for band in AGE_BANDS):
                shapes = []
                for module in sorted(catalog.modules, key=lambda m: m.order):
                    lessons = tuple((ls.id, ls.version, len(ls.steps))
                                    for ls in catalog.lessons_for(module.id, locale, region=region, band=band))
                    quiz = catalog.quiz_for(module.id, locale, region)
                    quiz_shape = QuizShape(quiz.id, quiz.version, tuple(
                        (q.id, tuple(o.id for o in q.options), frozenset(q.correct_ids)) for q in quiz.questions
                    )) if quiz is not None else None
                    if lessons:
                        shapes.append(ModuleShape(module.id, lessons, quiz_shape))
                self.modules[(locale, region, band)] = shapes

    def mean_quiz_length(self) -> float:
        lengths = [len(m.quiz.questions) for shapes in self.modules.values() for m in shapes if m.quiz]
        return sum(lengths) / len(lengths) if lengths else 0.0


# ---- planning: how many schools, classes, and which stage each class is at ---------------------------------


def expected_answers(stage: Stage, survey_items: int, quiz_length: float) -> float:
    """Expected answers per student of a class at this stage (classes are assigned 3 or 4 modules)."""
    survey = survey_items * stage.pre * (1 + stage.post)
    modules = sum(math.ceil(stage.modules * m) for m in MODULES_PER_CLASS) / len(MODULES_PER_CLASS)
    return survey + modules * stage.quiz * (1 + stage.retry) * quiz_length


def stage_shares(rate: float, per_stage: dict[str, float]) -> dict[str, float]:
    """The stage mix whose expected answers per student come to ``rate``: the default mix, scaled down
    towards "assigned" (no answers) or up towards "finished" (the most answers)."""
    mixed = sum(STAGE_MIX[s] * per_stage[s] for s in STAGE_MIX)
    if rate <= mixed:
        factor = rate / mixed if mixed else 0.0
        shares = {s: STAGE_MIX[s] * factor for s in STAGE_MIX}
        shares["assigned"] += 1.0 - sum(shares.values())
        return shares
    top = per_stage["finished"]
    weight = min(1.0, (rate - mixed) / (top - mixed)) if top > mixed else 1.0
    return {s: (1 - weight) * STAGE_MIX[s] + (weight if s == "finished" else 0.0) for s in STAGE_MIX}


def class_sizes(students: int, rng: random.Random) -> list[int]:
    """Sizes of 25-30 that add up to ``students`` exactly (a last smaller class when needed)."""
    sizes = []
    left = students
    while left > 0:
        size = min(left, rng.randint(*CLASS_SIZE))
        sizes.append(size)
        left -= size
    return sizes


# ---- the generator ----------------------------------------------------------------------------------------


def school_name(index: int, seed: int) -> str:
    return f"Generated school {index + 1:03d} · seed {seed}"


def already_generated(seed: int) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(School).where(
        School.name.like(f"Generated school % · seed {seed}"))))


class Generator:
    def __init__(self, catalog, students: int, answers: int, schools: int, seed: int, pin_hash: str,
                 password_hash: str):
        self.rng = random.Random(seed)
        self.seed = seed
        self.catalog = catalog
        self.curriculum = Curriculum(catalog)
        # Into an empty database every completion is generated here, with its module_completions row; else
        # the lesson sets not yet recorded as complete are derived from the lesson progress at the end.
        self.fresh = not db.session.scalar(select(func.count()).select_from(Student))
        self.students, self.answers, self.schools = students, answers, max(1, schools)
        self.pin_hash, self.password_hash = pin_hash, password_hash
        self.rows: dict[str, list[dict]] = {m.__tablename__: [] for m in TABLES}
        self.counts: dict[str, int] = {m.__tablename__: 0 for m in TABLES}
        self.next_id = {m.__tablename__: (db.session.scalar(select(func.max(m.id))) or 0) + 1
                        for m in TABLES if m not in (AnonymousSurveyAnswer, ClassTeacher)}
        self.item_gain = {}  # how much each Likert item moves from pre to post (what to teach again differs)

    # -- ids and buffered inserts --

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, model, **row) -> dict:
        table = model.__tablename__
        if table in self.next_id and "id" not in row:
            row["id"] = self.new_id(table)
        self.rows[table].append(row)
        if len(self.rows[table]) >= CHUNK:
            self.flush()
        return row

    def flush(self) -> None:
        for model in TABLES:
            rows = self.rows[model.__tablename__]
            if rows:
                db.session.execute(insert(model.__table__), rows)
                self.counts[model.__tablename__] += len(rows)
                rows.clear()

    # -- planning --

    def plan(self) -> list[list[tuple[int, str]]]:
        """Per school, its classes as (size, stage name)."""
        sizes = class_sizes(self.students, self.rng)
        survey_items = len(self.curriculum.surveys["en"].items_for("pre"))
        per_stage = {s.name: expected_answers(s, survey_items, self.curriculum.mean_quiz_length())
                     for s in STAGES}
        shares = stage_shares(self.answers / self.students if self.students else 0.0, per_stage)
        stages: list[str] = []
        for name, share in shares.items():
            stages += [name] * round(share * len(sizes))
        stages = (stages + ["assigned"] * len(sizes))[:len(sizes)]
        self.rng.shuffle(stages)
        classes = list(zip(sizes, stages, strict=True))
        per_school = math.ceil(len(classes) / self.schools)
        return [classes[i:i + per_school] for i in range(0, len(classes), per_school)]

    # -- run --

    def run(self, progress: Callable[[int], None] | None = None) -> Report:
        for item in self.curriculum.surveys["en"].items:
            self.item_gain[item.id] = self.rng.uniform(0.05, 0.9)
        for index, classes in enumerate(self.plan()):
            self.school(index, classes, progress)
            self.flush()
            db.session.commit()
        self.record_completion_sets()
        self.move_sequences()
        db.session.execute(text("ANALYZE"))  # fresh planner statistics after a bulk load
        db.session.commit()
        counts = dict(self.counts)
        return Report(created=True, seed=self.seed, counts=counts)

    def record_completion_sets(self) -> None:
        """Record the lesson sets module_completions is now complete for (see edu/insights/completions.py)."""
        if self.fresh:
            completions.register_sets(completions.catalog_sets(self.catalog))
        else:
            completions.fill(self.catalog)
        db.session.commit()

    def move_sequences(self) -> None:
        if db.engine.dialect.name != "postgresql":
            return
        for table in self.next_id:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))

    def school(self, index: int, classes: list[tuple[int, str]], progress) -> None:
        rng = self.rng
        korean = rng.random() < 0.8
        country = "KR" if korean else rng.choice(INTL_COUNTRIES)
        university = rng.random() < 0.15
        school = self.add(School, name=school_name(index, self.seed), country=country,
                          timezone="Asia/Seoul" if korean else "UTC", retention_days=90,
                          created_at=TERM_START - timedelta(days=30))
        admin_id = self.new_id("accounts")
        self.add(Account, id=admin_id, school_id=school["id"], role="admin", email=f"admin{admin_id}@{EMAIL_DOMAIN}",
                 password_hash=self.password_hash, locale="ko" if korean else "en", session_version=1,
                 is_safeguarding_lead=True, created_at=school["created_at"])
        teacher = None
        for number, (size, stage) in enumerate(classes):
            if number % 4 == 0:
                account_id = self.new_id("accounts")
                teacher = self.add(Account, id=account_id, school_id=school["id"], role="teacher",
                                   email=f"teacher{account_id}@{EMAIL_DOMAIN}",
                                   password_hash=self.password_hash, locale="ko" if korean else "en",
                                   session_version=1, is_safeguarding_lead=False, created_at=school["created_at"])
            locale = ("ko" if rng.random() < 0.85 else "en") if korean else "en"
            band = "university" if university else rng.choice(("middle", "high"))
            self.classroom(school, teacher, number, size, locale, band, next(s for s in STAGES if s.name == stage))
            if progress:
                progress(size)

    def classroom(self, school: dict, teacher: dict, number: int, size: int, locale: str, band: str,
                  stage: Stage) -> None:
        rng = self.rng
        region = region_of(school["country"])
        name = f"Section {number + 1}" if band == "university" else f"Class {number // 8 + 1}-{number % 8 + 1}"
        classroom_id = self.new_id("classrooms")
        classroom = self.add(Classroom, id=classroom_id, school_id=school["id"],
                             name=name, locale=locale, age_band=band, country=school["country"],
                             join_code=join_code(classroom_id), joining_open=False,
                             quiz_policy="best" if rng.random() < 0.8 else "latest",
                             created_at=TERM_START - timedelta(days=7))
        self.add(ClassTeacher, classroom_id=classroom_id, account_id=teacher["id"], added_at=classroom["created_at"])
        shapes = self.curriculum.modules[(locale, region, band)]
        modules = shapes[:rng.choice(MODULES_PER_CLASS)]
        self.add(Assignment, classroom_id=classroom["id"], kind="pre_survey", target_id=SURVEY_ID, position=0,
                 opens_at=TERM_START, due_at=TERM_START + timedelta(days=7), created_at=TERM_START)
        for position, module in enumerate(modules, start=1):
            opens = TERM_START + timedelta(weeks=2 * position - 1)
            self.add(Assignment, classroom_id=classroom["id"], kind="module", target_id=module.id,
                     position=position, opens_at=opens, due_at=opens + timedelta(weeks=2), created_at=TERM_START)
        self.add(Assignment, classroom_id=classroom["id"], kind="post_survey", target_id=SURVEY_ID,
                 position=len(modules) + 1, opens_at=TERM_START + timedelta(weeks=10),
                 due_at=TERM_START + timedelta(weeks=11), created_at=TERM_START)
        reached = modules[:math.ceil(stage.modules * len(modules))]
        taken: set[str] = set()
        for _ in range(size):
            ability = rng.gauss(0.0, 1.0)
            student = self.add(Student, classroom_id=classroom["id"], pseudonym=pseudonym(rng, locale, taken),
                               pin_hash=self.pin_hash, locale=locale, session_version=1,
                               created_at=TERM_START - timedelta(days=rng.randint(0, 6)), last_active_at=None)
            if stage.pre and rng.random() < stage.pre:
                self.survey(student, classroom, "pre", ability)
                if stage.post and rng.random() < stage.post:
                    self.survey(student, classroom, "post", ability)
            for position, module in enumerate(reached, start=1):
                week_start = TERM_START + timedelta(weeks=2 * position - 1)
                self.lessons(student, module, stage, week_start)
                if module.quiz is not None and rng.random() < stage.quiz:
                    self.quiz(student, module.quiz, ability + 0.4, 1, week_start + timedelta(days=9))
                    if rng.random() < stage.retry:
                        self.quiz(student, module.quiz, ability + 0.8, 2, week_start + timedelta(days=11))

    def moment(self, start: datetime) -> datetime:
        return start + timedelta(days=self.rng.randint(0, 4), minutes=self.rng.randint(0, 420))

    def lessons(self, student: dict, module: ModuleShape, stage: Stage, week_start: datetime) -> None:
        finished = []
        for lesson_id, version, steps in module.lessons:
            done = self.rng.random() < stage.lesson_done
            when = self.moment(week_start)
            step = steps - 1 if done else self.rng.randint(0, max(0, steps - 2))
            self.add(LessonProgress, student_id=student["id"], lesson_id=lesson_id, content_version=version,
                     last_step=step, furthest_step=step, completed_at=when if done else None, updated_at=when)
            if done:
                finished.append(when)
        if len(finished) == len(module.lessons):  # as finish_lesson writes it, at the last lesson finished
            self.add(ModuleCompletion, student_id=student["id"], module_id=module.id,
                     lessons=completions.lessons_key(lesson_id for lesson_id, _v, _s in module.lessons),
                     completed_at=max(finished))

    def quiz(self, student: dict, quiz: QuizShape, ability: float, attempt_no: int, day: datetime) -> None:
        rng = self.rng
        when = self.moment(day)
        answers = []
        for question_id, options, correct in quiz.questions:
            right = rng.random() < logistic(0.6 + 0.9 * ability)
            chosen = set(correct) if right else wrong_choice(rng, options, correct)
            answers.append((question_id, ",".join(sorted(chosen)), right))
        attempt = self.add(QuizAttempt, student_id=student["id"], quiz_id=quiz.id, attempt_no=attempt_no,
                           content_version=quiz.version, started_at=when, submitted_at=when + timedelta(minutes=6),
                           score=sum(right for _q, _o, right in answers), max_score=len(quiz.questions))
        for question_id, option_ids, right in answers:
            self.add(QuizAnswer, attempt_id=attempt["id"], question_id=question_id, option_ids=option_ids,
                     correct=right, updated_at=when)

    def survey(self, student: dict, classroom: dict, phase: str, ability: float) -> None:
        rng = self.rng
        shape = self.curriculum.surveys[classroom["locale"]]
        weeks = 0 if phase == "pre" else 10
        when = self.moment(TERM_START + timedelta(weeks=weeks))
        self.add(SurveySubmission, student_id=student["id"], survey_id=SURVEY_ID, phase=phase,
                 content_version=shape.version, submitted_at=when)
        year, week, _ = when.isocalendar()
        linked: dict[str, str | None] = {}
        for item in shape.items_for(phase):
            value = None if rng.random() < 0.03 else item_answer(rng, item, ability, phase,
                                                                  self.item_gain[item.id])
            if item.identity == "linked":
                linked[item.id] = value
                self.add(SurveyAnswer, student_id=student["id"], survey_id=SURVEY_ID, phase=phase,
                         item_id=item.id, value=value, updated_at=when)
            else:
                self.add(AnonymousSurveyAnswer, id=f"{rng.getrandbits(128):032x}", classroom_id=classroom["id"],
                         survey_id=SURVEY_ID, phase=phase, item_id=item.id, value=value,
                         week=f"{year}-W{week:02d}")


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def wrong_choice(rng: random.Random, options: tuple[str, ...], correct: frozenset[str]) -> set[str]:
    wrong = [o for o in options if o not in correct]
    if len(correct) > 1:  # a multiple-answer question: one correct option missed, sometimes a wrong one added
        chosen = set(correct) - {rng.choice(sorted(correct))}
        if wrong and rng.random() < 0.5:
            chosen.add(rng.choice(wrong))
        return chosen
    return {rng.choice(wrong)} if wrong else set(correct)


def item_answer(rng: random.Random, item, ability: float, phase: str, gain: float) -> str:
    """A plausible answer: knowledge right more often after the lessons; Likert answers move towards the
    helpful end (reverse-keyed attitude items towards "disagree") by an amount that differs per item."""
    if item.type == "knowledge":
        correct = next(o.id for o in item.options if o.correct)
        if rng.random() < logistic(-0.3 + 0.8 * ability + (0.6 if phase == "post" else 0.0)):
            return correct
        return rng.choice([o.id for o in item.options if not o.correct])
    helpful = 3.2 + 0.45 * ability + (gain if phase == "post" else 0.0)
    score = min(5, max(1, round(rng.gauss(helpful, 0.9))))
    if item.type == "rating":  # 0..100 in steps of 10
        return str(min(100, max(0, 10 * round(rng.gauss(helpful * 20 - 20, 15) / 10))))
    return str(6 - score if item.reverse else score)


def pseudonym(rng: random.Random, locale: str, taken: set[str]) -> str:
    index = 1 if locale == "ko" else 0
    while True:
        name = f"{rng.choice(ADJECTIVES)[index]} {rng.choice(ANIMALS)[index]} {rng.randint(10, 99)}"
        if name not in taken:
            taken.add(name)
            return name


def join_code(classroom_id: int) -> str:
    """8 characters (real codes have 6, so they never collide): G and the class id in the code alphabet."""
    digits = []
    value = classroom_id
    base = len(JOIN_CODE_ALPHABET)
    while value:
        value, rest = divmod(value, base)
        digits.append(JOIN_CODE_ALPHABET[rest])
    return "G" + "".join(reversed(digits)).rjust(7, JOIN_CODE_ALPHABET[0])


def shared_hashes() -> tuple[str, str]:
    """The PIN and password hashes every generated student and staff account shares (hashed once each)."""
    from edu.auth import secrets

    if hasattr(secrets, "hash_pin"):
        return secrets.hash_pin(GENERATED_PIN), secrets.hash_password(GENERATED_PASSWORD)
    return secrets.hash_secret(GENERATED_PIN), secrets.hash_secret(GENERATED_PASSWORD)  # older edu.auth


def generate(catalog, students: int, answers: int, schools: int | None = None, seed: int = 1,
             progress: Callable[[int], None] | None = None) -> Report:
    """Generate the data set (see the module docstring); nothing happens if this seed is already there."""
    if already_generated(seed):
        return Report(created=False, seed=seed)
    schools = schools or max(1, round(students / 2500))
    pin_hash, password_hash = shared_hashes()
    generator = Generator(catalog, students, answers, schools, seed, pin_hash, password_hash)
    return generator.run(progress)
