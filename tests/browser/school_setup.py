"""Setting up a school in the browser, as a school does: its admin signs up (a new school), sets up two-step
sign-in, and makes an invitation link; a teacher opens the link, creates an account and signs in."""

from __future__ import annotations

from tests.browser.actions import press
from tests.browser.site_tour import totp_code

PASSWORD = "a-long-password"


def sign_up_school(page, base: str, email: str, school: str, country: str = "KR", timezone: str = "Asia/Seoul",
                   languages: tuple[str, ...] = ("ko", "en")) -> None:
    """The sign-up form, by field name (the page may be in either language); ends on the 'sign in' page."""
    page.goto(base + "/signup")
    page.locator("input[name=school_name]").fill(school)
    page.locator("select[name=country]").select_option(country)
    page.locator("select[name=timezone]").select_option(timezone)
    for box in page.locator("input[name=languages]").all():
        box.set_checked(box.get_attribute("value") in languages)
    page.locator("input[name=retention_days]").fill("90")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    press(page.locator("main form button[type=submit]"))


def sign_in(page, base: str, email: str) -> str | None:
    """Email and password; an admin's first sign-in sets up the authenticator (its key read from the page, as a
    person types it into an app) and passes the recovery codes. Returns that key, if one was set up."""
    page.goto(base + "/signin")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    press(page.locator("main form button[type=submit]"))
    if "/signin/setup-code" not in page.url:
        return None
    secret = page.locator("code.secret-key").first.inner_text().strip()
    page.locator("input[name=code]").fill(totp_code(secret))
    press(page.locator("main form button[type=submit]"))
    press(page.locator("main a.button"))  # past the recovery codes
    return secret


def invitation_link(admin_page, base: str, role: str = "teacher") -> str:
    admin_page.goto(base + "/admin/staff")
    admin_page.locator("#invite-role").select_option(role)
    press(admin_page.locator("form[action$='/admin/staff/invite'] button[type=submit]"))
    return admin_page.locator("#invite-link").input_value()


def join_by_link(page, link: str, email: str) -> None:
    page.goto(link)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    press(page.locator("main form button[type=submit]"))


def school_with_teacher(browser, base: str, teacher_page, teacher_email: str, school: str, **setup) -> None:
    """A new school (its admin in a browser context of their own) and ``teacher_page`` signed in as its teacher,
    who joined by the admin's invitation link."""
    admin_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    admin = admin_context.new_page()
    admin_email = "admin-" + teacher_email
    sign_up_school(admin, base, admin_email, school, **setup)
    sign_in(admin, base, admin_email)
    link = invitation_link(admin, base)
    admin_context.close()
    join_by_link(teacher_page, link, teacher_email)
    sign_in(teacher_page, base, teacher_email)
