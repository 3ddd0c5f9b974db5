"""The teacher's outcome page: frozen, differentially private survey releases and the weekly quiz results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit, mixing
from edu.access import roles
from edu.content_service import catalog
from edu.domain import SURVEY_ID
from edu.extensions import db
from edu.i18n import language
from edu.insights import dp
from edu.insights.charts import PrePost, pre_post_chart
from edu.insights.pages import class_page, close_and_release
from edu.insights.releases import BudgetSpent, class_release_refusal
from edu.insights.service import quiz_results_over_time
from edu.insights.wording import scale_names
from edu.models import utcnow
from edu.teach.blueprint import bp
from edu.teach.blueprint import owned as _owned
from edu.teach.reports import most_missed
from edu.teach.stepouts import STEPOUT_MIN, shown_stepouts


@bp.route("/classes/<int:classroom_id>/outcomes")
@roles("teacher")
def outcomes(classroom_id: int):
    """The class's survey releases (nothing before one exists) and quiz results."""

    classroom = _owned(classroom_id)
    survey = catalog().survey(SURVEY_ID, language())
    if survey is None:
        abort(404)
    phases = class_page(classroom)
    names = scale_names(survey)
    return render_template("teach/outcomes.html", classroom=classroom, phases=phases,
                           chart=knowledge_chart(phases, str(names[dp.KNOWLEDGE])), scale_names=names,
                           budget=dp.class_term_budget(survey),
                           figure_epsilon=dp.FIGURE_EPSILON,
                           quiz_weeks=quiz_results_over_time(classroom, catalog(), language()),
                           stepouts=shown_stepouts(classroom, catalog(), language(), utcnow()),
                           stepout_min=STEPOUT_MIN, section="outcomes", moved=knowledge_move(phases),
                           missed=most_missed(classroom, catalog(), language()))


@bp.route("/classes/<int:classroom_id>/outcomes/release", methods=["POST"])
@roles("teacher")
def release_outcomes(classroom_id: int):
    """Close a survey window now and release its figures, once per class, phase and term."""

    classroom = _owned(classroom_id)
    survey = catalog().survey(SURVEY_ID, language())
    phase = request.form.get("phase")
    if survey is None or phase not in ("pre", "post"):
        abort(404)
    if class_release_refusal(classroom, survey, phase) is None:
        # the answers still waiting in the mixing buffer are written first, in their own transaction (not when
        # the release would be refused: the window then stays open and its batch keeps waiting)
        mixing.flush_group_now(classroom.id, mixing.survey_group(SURVEY_ID, phase))
    try:
        close_and_release(classroom, survey, phase)
    except LookupError:
        abort(404)
    except BudgetSpent as spent:
        db.session.rollback()
        flash(budget_message(spent.reason), "error")
        return redirect(url_for("teach.outcomes", classroom_id=classroom.id))
    audit.record(current_user, "survey_release", f"classroom:{classroom.id}:{phase}")
    db.session.commit()
    flash(_("The survey is closed and its figures are released. They will not change."), "success")
    return redirect(url_for("teach.outcomes", classroom_id=classroom.id))


def knowledge_move(phases) -> tuple[float, float] | None:
    """The released knowledge score before and after, when both releases show it."""
    shown = {view.phase: next((f for f in view.release.figures if f.scale == dp.KNOWLEDGE and f.shown), None)
             for view in phases if view.release}
    if not (shown.get("pre") and shown.get("post")):
        return None
    return shown["pre"].value, shown["post"].value


def knowledge_chart(phases, label: str) -> str | None:
    """The knowledge score before and after as a chart, when both releases show it."""

    moved = knowledge_move(phases)
    if moved is None:
        return None
    pre, post = moved
    return pre_post_chart([PrePost(label, pre, post, f"{pre:.0f}", f"{post:.0f}")],
                          title=_("Knowledge score before and after (0–100)"), min_value=0, max_value=100,
                          description=_("Before the lessons: %(pre)d out of 100. After: %(post)d out of 100.",
                                        pre=round(pre), post=round(post)),
                          legend=(_("Before"), _("After")), chart_id="chart-knowledge")


def budget_message(reason: str) -> str:
    if reason == "released":
        return _("These figures were already released this term. Each survey is released once per term, so "
                 "that comparing two releases can never reveal one student's answers.")
    return _("This term's privacy budget for these students is spent, so nothing more can be released until "
             "next term.")
