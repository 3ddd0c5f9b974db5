"""Importing a class list (issue 42): a CSV of the teacher's own labels, or a OneRoster 1.2 zip. Every row gets a
pseudonym and PIN, the cards map labels to pseudonyms once, and nothing about a label, a name or a sourcedId is
stored (OneRoster: a keyed hash only, so a re-import finds the same students). Name columns are refused; a bad
file reports each row and adds nobody."""

from __future__ import annotations

import io
import re
import zipfile

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from edu.extensions import db
from edu.models import AuditEvent, PinSheet, RosterLink, Student
from edu.teach.roster_files import looks_identifying
from tests import factories


def _class(app, age_band: str = "high"):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner, name="2-3", age_band=age_band)
    db.session.commit()
    client = factories.signed_in_staff(app, "owner@school.kr")
    return classroom, client


def _post(client, classroom, data: bytes, filename: str = "class.csv", **fields):
    form = {"roster": (io.BytesIO(data), filename), **fields}
    return client.post(f"/teach/classes/{classroom.id}/students/import", data=form,
                       content_type="multipart/form-data")


def _students(classroom) -> list[Student]:
    return list(db.session.scalars(select(Student).where(Student.classroom_id == classroom.id)))


def _everything_stored() -> str:
    """Every text the database holds in the tables an import writes (students, pin sheets, roster links, audit)."""
    parts = []
    for model in (Student, RosterLink, AuditEvent):
        for row in db.session.scalars(select(model)):
            parts += [str(v) for v in vars(row).values() if isinstance(v, str | int)]
    parts += [row.sealed.hex() for row in db.session.scalars(select(PinSheet))]
    return "\n".join(parts)


def test_a_25_row_csv_gives_25_students_and_cards_with_the_labels_shown_once(app, ctx):
    classroom, client = _class(app)
    labels = [f"번호-{n:02d}" for n in range(1, 26)]
    data = ("출석번호\n" + "\n".join(labels) + "\n").encode("utf-8-sig")
    response = _post(client, classroom, data, import_id="first-import-id")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count('class="login-card"') == 25
    students = _students(classroom)
    assert len(students) == 25
    for label in labels:
        assert label in page  # on its card, once
    for student in students:
        assert student.pseudonym in page
    assert len(re.findall(r'class="pin">\d{6}<', page)) == 25
    stored = _everything_stored()
    assert not any(label in stored for label in labels) and "번호" not in stored
    assert db.session.scalar(select(RosterLink.student_id)) is None  # a plain CSV links nothing
    assert db.session.query(AuditEvent).filter_by(action="roster_import").count() == 1
    again = _post(client, classroom, data, import_id="first-import-id")  # the browser sends the form again
    assert again.status_code == 302 and len(_students(classroom)) == 25


def test_a_list_of_numbers_without_a_heading_keeps_its_first_row(app, ctx):
    classroom, client = _class(app)
    page = _post(client, classroom, b"1\n2\n3\n").get_data(as_text=True)
    assert page.count('class="login-card"') == 3 and len(_students(classroom)) == 3


def test_cp949_csv_from_korean_excel_is_read(app, ctx):
    classroom, client = _class(app)
    response = _post(client, classroom, "번호\n1\n2\n3\n".encode("cp949"))
    assert response.status_code == 200 and len(_students(classroom)) == 3


@given(st.sampled_from(["name", "Name", "NAME", "First Name", "last_name", "givenName", "family name", "Surname",
                        "full name", "이름", "성명", "학생 이름", "학생명", "성", "Email", "e-mail", "휴대폰 번호",
                        "생년월일", "username"]))
def test_headers_that_name_or_reach_a_person_are_identifying(header):
    assert looks_identifying(header)


@given(st.from_regex(r"[A-Za-z0-9 _]{0,12}", fullmatch=True), st.sampled_from(["name", "Name", "NAME", "nAmE"]),
       st.from_regex(r"[A-Za-z0-9 _]{0,12}", fullmatch=True), st.sampled_from([" ", "_", "-"]))
def test_any_header_with_the_word_name_in_it_is_identifying(before, word, after, separator):
    assert looks_identifying(f"{before}{separator}{word}{separator}{after}")


def test_ordinary_label_headers_are_not_identifying():
    for header in ("number", "Class number", "No.", "번호", "출석번호", "label", "학번", "seat", "id"):
        assert not looks_identifying(header), header


def test_a_file_with_a_name_column_is_refused_with_a_clear_message_and_adds_nobody(app, ctx):
    classroom, client = _class(app)
    client.post("/language", data={"locale": "en", "next": "/"})
    response = _post(client, classroom, "번호,이름\n1,김민수\n2,이서연\n".encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was imported" in page
    assert "The column 이름 looks like a name" in page and "김민수" not in page
    english = _post(client, classroom, b"Number,First Name\n1,Alex\n").get_data(as_text=True)
    assert "The column First Name looks like a name" in english
    assert _students(classroom) == []


def test_bad_rows_are_reported_one_by_one_and_nothing_is_added(app, ctx):
    classroom, client = _class(app)
    client.post("/language", data={"locale": "en", "next": "/"})
    data = b"number\n1\n2\n1\n" + b"x" * 50 + b"\n5\n"
    page = _post(client, classroom, data).get_data(as_text=True)
    assert "Row 4: the label 1 is also on row 2" in page
    assert "Row 5: the label is longer than 40 characters" in page
    assert _students(classroom) == []
    assert "exactly one column" in _post(client, classroom, b"number,seat\n1,2\n").get_data(as_text=True)
    assert "no student rows" in _post(client, classroom, b"number\n").get_data(as_text=True)
    too_many = b"number\n" + b"\n".join(str(n).encode() for n in range(61))
    assert "at most 60" in _post(client, classroom, too_many).get_data(as_text=True)
    assert "Choose a file" in client.post(f"/teach/classes/{classroom.id}/students/import",
                                          data={}).get_data(as_text=True)
    assert _students(classroom) == []


def _bundle(students: list[tuple[str, str, str, str]], classes=(("c1", "2-3 Consent", "K23"),), extra=()) -> bytes:
    """A OneRoster 1.2 CSV zip: classes, enrollments (students in c1, a teacher, students in other classes) and
    users with names and identifiers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("manifest.csv", "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n")
        bundle.writestr("classes.csv", "sourcedId,status,dateLastModified,title,classCode,schoolSourcedId\n"
                        + "".join(f"{sid},active,2026-09-01,{title},{code},s1\n" for sid, title, code in classes))
        rows = [f"e-{sid},active,2026-09-01,c1,s1,{sid},student,false\n" for sid, *_ in students]
        rows += ["e-t1,active,2026-09-01,c1,s1,t1,teacher,true\n"]
        rows += [f"e-x{n},active,2026-09-01,{cls},s1,{sid},student,false\n" for n, (cls, sid) in enumerate(extra)]
        bundle.writestr("enrollments.csv", "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
                        "userSourcedId,role,primary\n" + "".join(rows))
        bundle.writestr("users.csv", "sourcedId,status,enabledUser,username,givenName,familyName,identifier,email\n"
                        + "".join(f"{sid},active,true,{given.lower()}{family.lower()},{given},{family},{ident},"
                                  f"{given.lower()}@school.kr\n" for sid, given, family, ident in students)
                        + "t1,active,true,teach,Teacher,Person,T-1,t@school.kr\n")
    return buffer.getvalue()


ROSTER = [(f"u-{n}", given, family, f"2026{n:04d}") for n, (given, family) in enumerate(
    [("Minsu", "Kim"), ("Seoyeon", "Lee"), ("Jiho", "Park"), ("Hana", "Choi")], start=1)]


def test_a_oneroster_bundle_is_imported_without_names_and_a_reimport_finds_the_same_students(app, ctx):
    classroom, client = _class(app)
    client.post("/language", data={"locale": "en", "next": "/"})
    response = _post(client, classroom, _bundle(ROSTER), "roster.zip")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count('class="login-card"') == 4
    for _sid, first_name, last_name, ident in ROSTER:
        assert ident in page  # the school's student number is the label on the card
        assert first_name not in page and last_name not in page and f"{first_name.lower()}@" not in page
    first = {s.id for s in _students(classroom)}
    assert len(first) == 4
    stored = _everything_stored()
    for sid, first_name, _last_name, ident in ROSTER:
        assert sid not in stored.split() and first_name not in stored and ident not in stored
    assert len(list(db.session.scalars(select(RosterLink)))) == 4

    more = [*ROSTER, ("u-9", "Yuna", "Jung", "20260009")]
    again = _post(client, classroom, _bundle(more), "roster.zip").get_data(as_text=True)
    assert "1 new student added" in again and "4 students were already in the class" in again
    after = {s.id for s in _students(classroom)}
    assert first < after and len(after) == 5  # the four found again, one new
    assert again.count('class="pin">') == 5 and len(re.findall(r'class="pin">\d{6}<', again)) == 1


def test_a_bundle_with_several_classes_asks_which_and_reports_bad_enrolments(app, ctx):
    classroom, client = _class(app)
    client.post("/language", data={"locale": "en", "next": "/"})
    two = _bundle(ROSTER, classes=(("c1", "2-3 Consent", "K23"), ("c2", "2-4 Consent", "K24")),
                  extra=(("c2", "u-50"),))
    page = _post(client, classroom, two, "roster.zip").get_data(as_text=True)
    assert "several classes: 2-3 Consent, 2-4 Consent" in page and _students(classroom) == []
    chosen = _post(client, classroom, two, "roster.zip", class_ref="K24")
    assert chosen.status_code == 200 and len(_students(classroom)) == 1
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as bundle:
        bundle.writestr("classes.csv", "sourcedId,title\nc1,A\n")
        bundle.writestr("enrollments.csv", "sourcedId,classSourcedId,userSourcedId,role\ne1,c1,,student\n"
                        "e2,c1,u1,student\ne3,c1,u1,student\n")
    page = _post(client, classroom, broken.getvalue(), "roster.zip").get_data(as_text=True)
    assert "enrollments.csv row 2: userSourcedId is empty" in page
    assert "enrollments.csv row 4: the student is enrolled twice" in page
    assert len(_students(classroom)) == 1
    assert "must hold classes.csv" in _post(client, classroom, _zip_with_only_users(), "r.zip").get_data(as_text=True)


def _zip_with_only_users() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("users.csv", "sourcedId,givenName\nu1,A\n")
    return buffer.getvalue()


def test_import_needs_guardian_consent_for_a_middle_school_class_and_another_teacher_gets_404(app, ctx):
    owner = factories.teacher("owner@school.kr", consent=False)
    classroom = factories.classroom(owner, name="1-1", age_band="middle")
    db.session.commit()
    client = factories.signed_in_staff(app, "owner@school.kr")
    client.post("/language", data={"locale": "en", "next": "/"})
    page = _post(client, classroom, b"number\n1\n").get_data(as_text=True)
    assert "guardian consent" in page and _students(classroom) == []
    factories.teacher("other@school.kr", school_name="Elsewhere")
    db.session.commit()
    other = factories.signed_in_staff(app, "other@school.kr")
    assert _post(other, classroom, b"number\n1\n").status_code == 404
