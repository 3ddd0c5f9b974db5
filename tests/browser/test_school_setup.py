"""A school sets itself up, on a 360 px phone: its admin signs up creating a school in English for the UK
(Europe/London), invites a teacher, who joins by the link and creates a class that shows UK dates. Both languages,
axe clean, no sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import press
from tests.browser.school_setup import invitation_link, join_by_link, sign_in, sign_up_school

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_a_uk_school_sets_itself_up_and_its_teacher_sees_uk_dates(browser, live_server, axe):
    problems: list[str] = []
    admin_context = browser.new_context(viewport=PHONE, locale="en-GB")
    admin = admin_context.new_page()
    admin.goto(live_server + "/signup")
    tour.set_language(admin, "en")
    problems += tour.check_page(admin, axe, "[en] sign-up at 360 px", "en")
    assert "invitation link" in admin.content()  # a colleague is sent to their admin, not to a new school
    sign_up_school(admin, live_server, "head@riverside.sch.uk", "Riverside Academy", country="GB",
                   timezone="Europe/London", languages=("en",))
    sign_in(admin, live_server, "head@riverside.sch.uk")
    assert admin.url.endswith("/admin/")

    admin.goto(live_server + "/admin/settings")
    assert admin.locator("select[name=timezone]").input_value() == "Europe/London"
    assert admin.locator("select[name=country]").input_value() == "GB"
    link = invitation_link(admin, live_server)
    assert "/invite/" in link
    for lang in tour.LANGUAGES:
        tour.set_language(admin, lang)
        problems += tour.check_page(admin, axe, f"[{lang}] staff page at 360 px", lang)
        admin.goto(live_server + "/admin/settings")
        problems += tour.check_page(admin, axe, f"[{lang}] school settings at 360 px", lang)
        admin.goto(live_server + "/admin/staff")
    tour.set_language(admin, "en")

    teacher_context = browser.new_context(viewport=PHONE, locale="en-GB")
    teacher = teacher_context.new_page()
    teacher.goto(link)
    tour.set_language(teacher, "en")
    assert "Riverside Academy" in teacher.content()
    problems += tour.check_page(teacher, axe, "[en] invitation at 360 px", "en")
    join_by_link(teacher, link, "maths@riverside.sch.uk")
    sign_in(teacher, live_server, "maths@riverside.sch.uk")
    assert teacher.url.endswith("/teach/")
    assert teacher.goto(link).status == 410  # the link worked once

    teacher.goto(live_server + "/teach/classes/new")
    assert teacher.get_by_label("Language of the lessons").locator("option").all_inner_texts() == ["English"]
    teacher.get_by_label("Class name").fill("Year 9 Maple")
    teacher.get_by_label("Country").select_option("GB")
    teacher.get_by_label("Age band").select_option("high")
    press(teacher.get_by_role("button", name="Create class"))
    class_url = teacher.url
    teacher.goto(class_url + "/assignments")
    teacher.get_by_label("Module", exact=True).select_option("consent")
    teacher.get_by_label("Due on (optional)").fill("2027-01-15")
    press(teacher.get_by_role("button", name="Assign", exact=True))
    teacher.goto(class_url + "/assignments")
    assert "15 Jan 2027" in teacher.content() and "Jan 15, 2027" not in teacher.content()  # en_GB, not en_US
    for lang in tour.LANGUAGES:
        tour.set_language(teacher, lang)
        for section in ("/assignments", "/settings"):
            teacher.goto(class_url + section)
            problems += tour.check_page(teacher, axe, f"[{lang}] class {section} at 360 px", lang)
            if lang == "ko" and section == "/assignments":
                assert "2027. 1. 15." in teacher.content()  # the same day, written the Korean way

    # The admin's class list names the class and its teacher, and says how many have joined (no student names).
    admin.goto(live_server + "/admin/")
    home = admin.locator("main").inner_text()
    assert "Year 9 Maple" in home and "maths@riverside.sch.uk" in home
    admin.goto(live_server + "/admin/audit")
    assert "Made an invitation link" in admin.content() and "Joined the school with an invitation link" in admin.content()
    assert not problems, "\n".join(problems)
    teacher_context.close()
    admin_context.close()
