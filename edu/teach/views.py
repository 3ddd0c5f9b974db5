"""The teacher's classroom pages."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from edu.access import roles
from edu.auth.codes import format_join_code
from edu.extensions import db
from edu.teach import services
from edu.teach.forms import ClassroomForm, country_choices

bp = Blueprint("teach", __name__, url_prefix="/teach")


def _owned(classroom_id: int):
    try:
        return services.owned_classroom(current_user, classroom_id)
    except services.NotFound:
        abort(404)


@bp.route("/")
@roles("teacher")
def home():
    return render_template("teach/home.html", classrooms=services.classes_of(current_user))


@bp.route("/classes/new", methods=["GET", "POST"])
@roles("teacher")
def new_class():
    form = ClassroomForm()
    form.country.choices = country_choices(str(get_locale()))
    if request.method == "GET":
        form.locale.data = str(get_locale())
        form.country.data = current_user.school.country if current_user.school else "KR"
    if form.validate_on_submit():
        classroom = services.create_classroom(
            current_user, form.name.data, form.locale.data, form.age_band.data, form.country.data
        )
        db.session.commit()
        return redirect(url_for("teach.classroom", classroom_id=classroom.id))
    return render_template("teach/new_class.html", form=form), 422 if form.errors else 200


@bp.route("/classes/<int:classroom_id>")
@roles("teacher")
def classroom(classroom_id: int):
    classroom = _owned(classroom_id)
    return render_template(
        "teach/classroom.html", classroom=classroom, join_code=format_join_code(classroom.join_code),
        join_url=url_for("auth.join", code=classroom.join_code, _external=True),
    )
