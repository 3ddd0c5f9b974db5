"""Work a student sent after their session (or its CSRF token) expired: kept when it came from the app's own
pages, refused when it came from anywhere else. Used by the login manager's unauthorized handler, the idle-session
check (edu/identity.py) and the CSRF error handler (edu/web.py)."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user

from edu.segment_view import REFLECTION_MAX


def same_origin() -> bool:
    """Whether the request comes from one of this app's own pages: the browser says so (``Sec-Fetch-Site``), or
    its ``Origin`` is the app's own."""
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin == request.host_url.rstrip("/")


def refuse_post_without_session():
    """403 for a POST without a valid session that did not come from the app's own pages (another site, a
    forged form): nothing is stored, no session is created or ended, no cookie is set."""
    page = render_template("errors/post_refused.html")
    session.modified = False  # the page's forms asked for a CSRF token: that must not start a session
    return page, 403


def rescue_unsent_work(status: int):
    """A POST that arrived after the session (or its CSRF token) expired: nothing it carries is lost, when it
    came from the app's own pages; from anywhere else it is refused (`refuse_post_without_session`).

    - A reflection comes back on a page to copy and paste after signing in again (returned, with ``status``).
      Nothing is stored: private words never go into the cookie.
    - Quiz answers are kept in the (new) session, so after signing in again the student finds them filled in on
      the quiz page; nothing is saved until they press Save (returns None: the caller redirects).
    None for any other request."""
    if request.method != "POST":
        return None
    if not same_origin():
        return refuse_post_without_session()
    if request.endpoint == "learn.lesson_block" and "text" in request.form:
        lesson_url = url_for("learn.lesson", lesson_id=(request.view_args or {}).get("lesson_id", ""))
        signed_out = not current_user.is_authenticated
        back_url = url_for("auth.student_signin", next=lesson_url) if signed_out else lesson_url
        page = render_template("learn/unsaved_text.html", text=request.form["text"][:REFLECTION_MAX],
                               back_url=back_url, signed_out=signed_out)
        return page, status
    if request.endpoint == "learn.quiz":
        answers = {key[2:]: request.form.getlist(key)[:10] for key in list(request.form)[:50]
                   if key.startswith("q-")}
        session["pending_quiz"] = {"quiz": (request.view_args or {}).get("quiz_id"), "answers": answers}
    return None


def unauthorized():
    """The login manager's answer to a signed-out request for a page that needs a user: its unsent work rescued,
    else the right sign-in page."""
    rescued = rescue_unsent_work(401)
    if rescued is not None:
        return rescued
    if request.blueprint == "learn":
        return redirect(url_for("auth.student_signin", next=request.full_path))
    return redirect(url_for("auth.signin", next=request.full_path))
