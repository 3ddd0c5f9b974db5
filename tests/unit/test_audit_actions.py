"""Every action the app writes to the audit log has a name for the admin's page (edu/admin/audit_actions.py)."""

from __future__ import annotations

import re
from pathlib import Path

from flask_babel import force_locale

from edu.admin.audit_actions import ACTION_NAMES, action_name

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r'audit\.record\([^,]+,\s*"([a-z_]+)"')


def test_every_action_recorded_with_a_literal_has_a_name():
    recorded = {action for path in (ROOT / "edu").rglob("*.py")
                for action in RECORDED.findall(path.read_text("utf-8"))}
    assert len(recorded) > 40  # the pattern still finds the calls
    assert recorded - set(ACTION_NAMES) == set()


def test_names_follow_the_page_language_and_unknown_actions_show_their_code():
    from edu import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        with force_locale("en"):
            assert action_name("reset_pins") == "Gave new PINs"
        with force_locale("ko"):
            korean = action_name("reset_pins")
        assert korean != "Gave new PINs" and korean
        assert action_name("something_new") == "something_new"
