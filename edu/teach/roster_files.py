"""Reading a class list a teacher uploads, keeping nothing that names a student.

Two kinds of file:
- a CSV with one row per student and one column the teacher labels their own way (a class number, "A1"): the
  label is read only to print it on the student's card, once, and is never stored;
- a OneRoster 1.2 CSV bundle (a zip with ``classes.csv`` and ``enrollments.csv``, maybe ``users.csv``): the
  students enrolled in one class, keyed by their ``sourcedId`` (kept only as a keyed hash, so a second import of
  the same roster finds the same students). Name fields of ``users.csv`` are never read; its ``identifier`` (a
  school's student number), when present, is the label printed on the card, once.

A plain CSV with a column that looks like a name (name, first/last/given/family, 이름, 성명 …) or another direct
identifier (email, phone, birth date) is refused as a whole, with a message naming the column. Every problem is
reported per row, and a file with any problem creates nobody (the caller imports in one transaction).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

MAX_ROWS = 60  # as many as "add students" allows at once
MAX_LABEL = 40
MAX_MEMBER = 1024 * 1024  # bytes of one file inside a zip, read at most (a zip bomb stops here)

_NAME_WORDS = ("name", "first", "last", "given", "family", "surname", "forename", "middle", "email", "e-mail",
               "mail", "phone", "mobile", "birth", "dob", "address")
_KOREAN_NAME_WORDS = ("이름", "성명", "성함", "학생명", "이메일", "전화", "휴대폰", "연락처", "생년월일", "생일", "주소")
_KOREAN_EXACT = ("성", "명")


class RosterFileError(Exception):
    """The file cannot be imported; ``messages`` says why, per row where it can."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class RosterRow:
    label: str  # printed on the card, never stored
    source_id: str | None = None  # OneRoster sourcedId (stored only as a keyed hash)


def looks_identifying(header: str) -> bool:
    """A column header that names a person or reaches them: English words in any case or spacing
    ("First Name", "given_name", "E-mail") and Korean ones (이름, 성명, 학생명, 연락처 …)."""
    text = (header or "").strip().casefold()
    compact = re.sub(r"[\s_\-.()]", "", text)
    if compact in _KOREAN_EXACT:
        return True
    if any(word in compact for word in _KOREAN_NAME_WORDS):
        return True
    words = re.findall(r"[a-z]+", text)  # "givenName" is one word here, and ends with "name"
    return any(w in _NAME_WORDS or w.endswith("name") for w in words) or any(
        word in compact for word in ("firstname", "lastname", "fullname", "givenname", "familyname", "surname"))


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):  # Excel in Korea saves CSV as CP949 unless told otherwise
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError([_("The file is not text in UTF-8 or a Korean encoding. Save it as CSV (UTF-8) and try again.")])


def _rows(data: bytes) -> list[list[str]]:
    try:
        return [row for row in csv.reader(io.StringIO(_text(data))) if any(cell.strip() for cell in row)]
    except csv.Error:
        raise RosterFileError([_("The file is not a CSV file.")]) from None


def _label_problems(labels: list[tuple[int, str]]) -> list[str]:
    problems, seen = [], {}
    for line, label in labels:
        if not label:
            problems.append(_("Row %(row)d: the label is empty.", row=line))
        elif len(label) > MAX_LABEL:
            problems.append(_("Row %(row)d: the label is longer than %(max)d characters.", row=line, max=MAX_LABEL))
        elif label in seen:
            problems.append(_("Row %(row)d: the label %(label)s is also on row %(other)d; each student needs their own.",
                              row=line, label=label, other=seen[label]))
        else:
            seen[label] = line
    if len(labels) > MAX_ROWS:
        problems.append(_("The file has %(count)d students; import at most %(max)d at a time.", count=len(labels),
                          max=MAX_ROWS))
    if not labels:
        problems.append(_("The file has no student rows."))
    return problems


def read_class_csv(data: bytes) -> list[RosterRow]:
    """A CSV with a header row and a label column: the only column, or the one not refused. Columns that look
    like names or contact details refuse the whole file."""
    rows = _rows(data)
    if not rows:
        raise RosterFileError([_("The file is empty.")])
    header, body, first_line = [cell.strip() for cell in rows[0]], rows[1:], 2
    if len(header) == 1 and re.fullmatch(r"[\d\s.\-]+", header[0]):  # no heading: the first row is a class number
        header, body, first_line = ["label"], rows, 1
    refused = [h for h in header if looks_identifying(h)]
    if refused:
        raise RosterFileError([_("The column %(column)s looks like a name or contact detail. Boundaries never "
                                 "stores students' names: delete that column and keep only your own label, such as "
                                 "a class number.", column=column) for column in refused])
    if len([h for h in header if h]) != 1:
        raise RosterFileError([_("The file must have exactly one column with a heading: your own label for each "
                                 "student, such as a class number.")])
    index = next(i for i, h in enumerate(header) if h)
    labels = []
    for line, row in enumerate(body, start=first_line):
        extra = [cell for i, cell in enumerate(row) if i != index and cell.strip()]
        if extra:
            raise RosterFileError([_("Row %(row)d has more than one value; only the label column is read.", row=line)])
        labels.append((line, row[index].strip() if index < len(row) else ""))
    problems = _label_problems(labels)
    if problems:
        raise RosterFileError(problems)
    return [RosterRow(label) for _line, label in labels]


# ---- OneRoster 1.2 ------------------------------------------------------------------------------------------


def _member(bundle: zipfile.ZipFile, name: str) -> list[dict[str, str]] | None:
    found = next((info for info in bundle.infolist() if info.filename.rsplit("/", 1)[-1].lower() == name), None)
    if found is None:
        return None
    if found.file_size > MAX_MEMBER:
        raise RosterFileError([_("%(file)s in the zip is too large.", file=name)])
    with bundle.open(found) as handle:
        text = _text(handle.read(MAX_MEMBER + 1)[:MAX_MEMBER])
    reader = csv.DictReader(io.StringIO(text))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items() if not isinstance(v, list)}
            for row in reader]


def _choose_class(classes: list[dict[str, str]], wanted: str) -> dict[str, str]:
    live = [c for c in classes if c.get("status", "active").lower() != "tobedeleted"]
    if wanted:
        matches = [c for c in live if wanted in (c.get("sourcedId"), c.get("classCode"), c.get("title"))]
        if len(matches) == 1:
            return matches[0]
    elif len(live) == 1:
        return live[0]
    names = ", ".join(c.get("title") or c.get("classCode") or c.get("sourcedId", "") for c in live[:20])
    if wanted:
        raise RosterFileError([_("No single class in the file matches %(wanted)s. Its classes: %(names)s.",
                                 wanted=wanted, names=names)])
    raise RosterFileError([_("The file has several classes: %(names)s. Type the one to import (its title, code or "
                             "sourcedId) in \"Class in the file\".", names=names)])


def read_oneroster(data: bytes, wanted_class: str = "") -> list[RosterRow]:
    """The active student enrolments of one class of a OneRoster 1.2 CSV bundle, keyed by the user's sourcedId,
    labelled with the user's ``identifier`` when users.csv has one (else the sourcedId). Names are never read."""
    try:
        bundle = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RosterFileError([_("The file is neither a CSV file nor a OneRoster zip.")]) from None
    with bundle:
        classes, enrollments = _member(bundle, "classes.csv"), _member(bundle, "enrollments.csv")
        if classes is None or enrollments is None:
            raise RosterFileError([_("A OneRoster zip must hold classes.csv and enrollments.csv.")])
        users = _member(bundle, "users.csv") or []
    chosen = _choose_class(classes, wanted_class.strip())
    identifiers = {u.get("sourcedId", ""): u.get("identifier", "") for u in users}
    problems, rows, seen = [], [], set()
    for line, enrolment in enumerate(enrollments, start=2):
        if enrolment.get("classSourcedId") != chosen.get("sourcedId"):
            continue
        if enrolment.get("role", "").lower() != "student" or enrolment.get("status", "active").lower() == "tobedeleted":
            continue
        source = enrolment.get("userSourcedId", "")
        if not source:
            problems.append(_("enrollments.csv row %(row)d: userSourcedId is empty.", row=line))
        elif source in seen:
            problems.append(_("enrollments.csv row %(row)d: the student is enrolled twice.", row=line))
        else:
            seen.add(source)
            rows.append(RosterRow(label=(identifiers.get(source) or source)[:MAX_LABEL], source_id=source))
    if not rows and not problems:
        problems.append(_("The class has no students enrolled in the file."))
    if len(rows) > MAX_ROWS:
        problems.append(_("The file has %(count)d students; import at most %(max)d at a time.", count=len(rows),
                          max=MAX_ROWS))
    if problems:
        raise RosterFileError(problems)
    return rows


def read_roster(data: bytes, wanted_class: str = "") -> tuple[str, list[RosterRow]]:
    """("oneroster" | "csv", rows): a zip is a OneRoster bundle, anything else a class CSV."""
    if data[:4] == b"PK\x03\x04":
        return "oneroster", read_oneroster(data, wanted_class)
    return "csv", read_class_csv(data)
