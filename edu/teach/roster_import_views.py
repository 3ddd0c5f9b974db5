"""Importing a class list (a CSV of the teacher's own labels, or a OneRoster bundle): one POST, one transaction.

The cards that map the teacher's labels to pseudonyms and PINs are the answer to that POST, shown once and never
stored (a label is in no table, no log, no session); the new PINs alone are also kept as the usual 10-minute
login-card sheet. The form carries a random import id, remembered in the teacher's session after a successful
import, so sending the same form again (a reload) adds nobody."""

from __future__ import annotations

from flask import flash, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import roles
from edu.auth.codes import format_join_code
from edu.extensions import db
from edu.teach import pin_sheets, services
from edu.teach.blueprint import back, bp, owned, read_only
from edu.teach.roster_files import RosterFileError, read_roster
from edu.teach.roster_import import import_rows
from edu.teach.roster_views import students_page

_DONE = "roster_imports"  # import ids already used in this session (at most the last 20)


@bp.route("/classes/<int:classroom_id>/students/import", methods=["POST"])
@roles("teacher")
def import_roster(classroom_id: int):
    classroom = owned(classroom_id)
    import_id = request.form.get("import_id", "")[:64]
    if import_id and import_id in session.get(_DONE, []):
        flash(_("This class list was already imported. Its cards were shown once; print new login cards here if "
                "they are lost."), "error")
        return back(classroom, "students")
    upload = request.files.get("roster")
    data = upload.read() if upload else b""
    if not data:
        return students_page(classroom, [_("Choose a file to import.")], 422)
    try:
        kind, rows = read_roster(data, request.form.get("class_ref", "")[:200])
        cards = import_rows(classroom, rows)
    except RosterFileError as refused:
        db.session.rollback()
        return students_page(classroom, refused.messages, 422)
    except services.ArchivedClass:
        return read_only(classroom)
    except services.ConsentMissing:
        db.session.rollback()
        return students_page(classroom, [_("Record guardian consent for your school first: this class may have "
                                           "students under 14.")], 422)
    new = [(card.student, card.pin) for card in cards if card.pin]
    sheet_key = pin_sheets.keep(classroom, current_user, new) if new else None
    audit.record(current_user, "roster_import", f"classroom:{classroom.id}")
    session[_DONE] = [*session.get(_DONE, [])[-19:], import_id] if import_id else session.get(_DONE, [])
    db.session.commit()
    return render_template("teach/roster_cards.html", classroom=classroom, cards=cards, kind=kind,
                           sheet_key=sheet_key, join_code=format_join_code(classroom.join_code),
                           new_count=len(new), kept_count=len(cards) - len(new))
