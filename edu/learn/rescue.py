"""Work a student sent after their session (or its CSRF token) expired: kept when it came from the app's own
pages, refused when it came from anywhere else. Used by the login manager's unauthorized handler, the idle-session
check (edu/identity.py), the CSRF error handler (edu/web.py) and the student sign-in (edu/auth/views.py).

Private words (a reflection, a step-out note) are never put in the cookie or stored on the server until the
student saves them: they travel in the page. The rescue page holds them in its form; signed out, that form is the
student sign-in form, which carries them through the sign-in (and back, after a wrong PIN); signed in, the words
are back in a text box that saves to the same place the lesson's box does."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from edu.auth.forms import StudentSigninForm
from edu.segment_view import REFLECTION_MAX

RESCUED_TEXT, RESCUED_TO = "rescued_text", "rescued_to"


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

    - A reflection (or a step-out note) comes back in a text box with a Save button, after signing in again when
      the session ended (returned, with ``status``). Nothing is stored: private words never go into the cookie.
    - Quiz answers are kept in the (new) session, so after signing in again the student finds them filled in on
      the quiz page; nothing is saved until they press Save (returns None: the caller redirects).
    None for any other request."""
    if request.method != "POST":
        return None
    if not same_origin():
        return refuse_post_without_session()
    if request.endpoint == "learn.lesson_block" and "text" in request.form:
        text = request.form["text"][:REFLECTION_MAX]
        if current_user.is_authenticated:
            return restore_page(text, request.path), status
        return signin_page(StudentSigninForm(formdata=None), text, request.path), status
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


def _lesson_url(block_path: str) -> str | None:
    """The lesson page of a lesson block's address (``/learn/lesson/<id>/block/<block>``), None for any other."""
    try:
        endpoint, args = current_app.url_map.bind_to_environ(request.environ).match(block_path, method="POST")
    except HTTPException:
        return None
    return url_for("learn.lesson", lesson_id=args["lesson_id"]) if endpoint == "learn.lesson_block" else None


def carried_text() -> tuple[str, str] | None:
    """(words, block address) a rescue page's sign-in form carries, or None when it carries none."""
    text, block_path = request.form.get(RESCUED_TEXT), request.form.get(RESCUED_TO, "")
    if text is None or _lesson_url(block_path) is None:
        return None
    return text[:REFLECTION_MAX], block_path


def signin_page(form, text: str, block_path: str) -> str:
    """Signed out: the words, with the student sign-in form around them (it sends them along)."""
    lesson_url = _lesson_url(block_path) or url_for("learn.home")
    return render_template("learn/unsaved_text.html", form=form, text=text, block_path=block_path,
                           lesson_url=lesson_url, signed_out=True, text_max=REFLECTION_MAX,
                           signin_url=url_for("auth.student_signin", next=lesson_url))


def restore_page(text: str, block_path: str) -> str:
    """Signed in: the words back in a text box that saves where the lesson's box saves (the block's address)."""
    return render_template("learn/unsaved_text.html", text=text, block_path=block_path,
                           lesson_url=_lesson_url(block_path) or url_for("learn.home"), signed_out=False,
                           text_max=REFLECTION_MAX)
