"""LTI 1.3 routes: OIDC login initiation, the launch, the launch's landing page (course mapping, the deep-linking
picker, the student's sign-in), and the tool's JWKS.

/lti/login and /lti/launch take no CSRF token: the platform sends them from its own site, so they cannot carry
one. What protects them instead is the protocol: a state value in a short-lived cookie that must match the posted
state, and a nonce inside the signed id_token that is stored at login and works once.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException

from edu.access import public, roles
from edu.auth.signing_in import start_session
from edu.content_service import catalog
from edu.database import writing
from edu.extensions import csrf, db, limiter
from edu.i18n import language
from edu.identity import signed_in_user
from edu.lti import adapters, services
from edu.lti.forms import LinkClassForm, NewClassForm, PickForm
from edu.lti.keys import jwks as key_set
from edu.lti.pages import deep_link_return, framed_login, refused
from edu.lti.session_flag import mark_lti_session
from edu.teach import services as teach
from edu.teach.forms import country_choices

bp = Blueprint("lti", __name__, url_prefix="/lti")
logger = logging.getLogger("edu.lti")
@bp.route("/login", methods=["GET", "POST"])
@public
@csrf.exempt
@limiter.limit("60 per minute")
def login():
    """OIDC third-party login initiation: the platform sends the browser here; we answer with a redirect to the
    platform's authorisation endpoint, carrying a new state (also set as a cookie) and a nonce (stored)."""
    objects = adapters.tool_objects(request)
    if request.headers.get("Sec-Fetch-Dest") in ("iframe", "frame") and not objects[0].get_param("lti1p3_new_window"):
        return framed_login(objects[0])
    try:
        with writing():
            response = adapters.LtiLogin(*objects).redirect(services.launch_url())
    except OIDCException as error:
        logger.warning("lti login refused", extra={"fields": {"reason": str(error)[:80]}})
        return refused("invalid", 400)
    return response


@bp.route("/launch", methods=["POST"])
@public
@csrf.exempt
@limiter.limit("60 per minute")
def launch():
    """The platform's signed id_token (form_post). Checked (state cookie, signature against the platform's
    JWKS, issuer, client, deployment, nonce once, expiry), reduced to `services.LaunchFacts`, and handed to
    /lti/start in a one-time ticket cookie: that GET carries the browser's own (SameSite=Lax) session."""
    objects = adapters.tool_objects(request)
    try:
        with writing():
            message = adapters.LtiLaunch(objects[0], objects[1], session_service=objects[2],
                                         cookie_service=objects[3])
            facts = services.facts_of(message)
            ticket = services.issue_ticket(facts)
    except (LtiException, AttributeError, KeyError, TypeError, ValueError) as error:
        logger.warning("lti launch refused", extra={"fields": {"reason": str(error)[:80]}})
        return refused("invalid", 400)
    except services.Refused as refusal:
        return refused(refusal.reason, 400)
    response = redirect(url_for("lti.start"), code=303)
    response.set_cookie(services.TICKET_COOKIE, ticket, max_age=services.TICKET_SECONDS, httponly=True,
                        secure=request.is_secure, samesite="Lax", path="/lti/")
    return response


def _ticket() -> tuple[str, services.LaunchFacts | None]:
    ticket = request.cookies.get(services.TICKET_COOKIE, "")
    return ticket, services.read_ticket(ticket)


@bp.route("/start")
@public
def start():
    ticket, facts = _ticket()
    if facts is None:
        return refused("expired", 400)
    if facts.instructor:
        return _instructor(facts)
    if not facts.learner:
        return refused("role", 403)
    try:
        with writing():
            if not services.spend_ticket(ticket):
                return refused("expired", 400)
            student = services.student_for(facts)
    except services.Refused as refusal:
        return refused(refusal.reason, 403)
    start_session(student)
    mark_lti_session()
    return _to_module(student.classroom, facts.module)


def _to_module(classroom, module_id: str):
    assigned = {a.target_id for a in teach.assignments(classroom) if a.kind == "module"}
    lessons = catalog().lessons_for(module_id, classroom.locale, region=classroom.region) if module_id in assigned else []
    if not lessons:
        return redirect(url_for("learn.home"))
    return redirect(url_for("learn.lesson", lesson_id=lessons[0].id))


def _instructor(facts: services.LaunchFacts):
    """A teacher comes from the LMS: signed in to Boundaries as a teacher of the registering school, they link
    the course to a class (once), then pick a module (deep linking) or see the class."""
    teacher = signed_in_user()
    if not teacher.is_authenticated or teacher.role != "teacher":
        flash(_("Sign in to Boundaries with your teacher account to continue from your LMS."), "info")
        return redirect(url_for("auth.signin", next=url_for("lti.start")))
    if not services.may_map(teacher, facts):
        return refused("not_yours", 403)
    course = services.course_for(facts)
    if course is None:
        return _link_page(teacher)
    if not teach.is_teacher_of(teacher, course.classroom):
        return refused("not_yours", 403)
    if facts.deep_link:
        return _pick_page(course.classroom)
    return redirect(url_for("teach.classroom", classroom_id=course.classroom_id))


def _link_page(teacher, link_form=None, new_form=None, status=200):
    link_form = link_form or LinkClassForm()
    link_form.classroom.choices = _class_choices(teacher)
    new_form = new_form or NewClassForm()
    new_form.country.choices = country_choices(language())
    return render_template("lti/link_course.html", link_form=link_form, new_form=new_form), status


def _class_choices(teacher) -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in teach.classes_of(teacher)]


def _module_choices() -> list[tuple[str, str]]:
    return [(m.id, m.title.get(language(), m.id)) for m in catalog().modules]


def _pick_page(classroom, form=None, status=200):
    form = form or PickForm()
    form.module.choices = _module_choices()
    return render_template("lti/pick.html", form=form, classroom=classroom), status


def _teacher_facts() -> tuple[str, services.LaunchFacts]:
    ticket, facts = _ticket()
    if facts is None or not facts.instructor or not services.may_map(signed_in_user(), facts):
        abort(make_response(*refused("expired", 400)))
    return ticket, facts


def _unlinked_facts() -> services.LaunchFacts:
    """The launch of a course not linked yet (a linked course keeps its class)."""
    _ticket_value, facts = _teacher_facts()
    if services.course_for(facts) is not None:
        abort(make_response(*refused("not_yours", 403)))
    return facts


@bp.route("/course/link", methods=["POST"])
@roles("teacher")
def link_class():
    facts = _unlinked_facts()
    teacher = signed_in_user()
    form = LinkClassForm()
    form.classroom.choices = _class_choices(teacher)
    if not form.validate_on_submit():
        return _link_page(teacher, link_form=form, status=422)
    services.map_course(teacher, facts, teach.owned_classroom(teacher, form.classroom.data))
    db.session.commit()
    return redirect(url_for("lti.start"))


@bp.route("/course/new", methods=["POST"])
@roles("teacher")
def new_class():
    facts = _unlinked_facts()
    teacher = signed_in_user()
    form = NewClassForm()
    form.country.choices = country_choices(language())
    if not form.validate_on_submit():
        return _link_page(teacher, new_form=form, status=422)
    classroom = teach.create_classroom(teacher, form.name.data, form.locale.data, form.age_band.data,
                                       form.country.data)
    services.map_course(teacher, facts, classroom)
    db.session.commit()
    return redirect(url_for("lti.start"))


@bp.route("/pick", methods=["POST"])
@roles("teacher")
def pick():
    """The teacher's choice: the module is assigned to the class, and a deep-linking response signed with the
    school's key goes back to the platform (an LtiResourceLink whose custom parameter names the module)."""
    ticket, facts = _teacher_facts()
    course = services.course_for(facts)
    if not facts.deep_link or course is None or not teach.is_teacher_of(signed_in_user(), course.classroom):
        abort(make_response(*refused("not_yours", 403)))
    form = PickForm()
    form.module.choices = _module_choices()
    if not form.validate_on_submit():
        return _pick_page(course.classroom, form, 422)
    module = catalog().module(form.module.data)
    teach.assign(course.classroom, "module", module.id)
    objects = adapters.tool_objects(request)
    try:
        message = adapters.LtiLaunch.from_cache(facts.launch_id, objects[0], objects[1],
                                                session_service=objects[2], cookie_service=objects[3])
        deep_link = message.get_deep_link()
    except LtiException:
        db.session.rollback()
        return refused("expired", 400)
    resource = (DeepLinkResource().set_url(services.launch_url(course.classroom.school)).set_title(module.title.get(course.classroom.locale, module.id))
                .set_custom_params({"module": module.id}))
    token = deep_link.get_response_jwt([resource])
    services.spend_ticket(ticket)
    db.session.commit()
    return deep_link_return(message.get_launch_data()[
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]["deep_link_return_url"], token)


@bp.route("/jwks.json")
@public
def jwks():
    """The tool's public keys: platforms check the deep-linking responses against them."""
    return jsonify(key_set())

