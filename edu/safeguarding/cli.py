"""``flask --app edu safeguarding remind``: the safeguarding emails, run by cron every 15 minutes."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from edu.safeguarding import notify

safeguarding_group = AppGroup("safeguarding", help="Safeguarding cases: emails to staff.")


@safeguarding_group.command("remind")
def remind():
    """Email the class teacher and the safeguarding leads about new cases, and remind them (and the admins)
    about cases still new past the school's escalation hours. Run every 15 minutes (docs/deploy.md)."""
    url = current_app.config["EDU_SMTP_URL"]
    if not url:
        click.echo("EDU_SMTP_URL is not set: no email sent (cases still show in the app).", err=True)
        raise SystemExit(1)
    try:
        notices, reminders = notify.run(url, current_app.config["EDU_PUBLIC_URL"])
    except notify.BadSmtpUrl as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Safeguarding emails: {notices} new case notices, {reminders} reminders.")
