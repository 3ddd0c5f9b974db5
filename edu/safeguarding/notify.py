"""Safeguarding emails through the operator's SMTP server (``EDU_SMTP_URL``), sent by the 15-minute job
``flask --app edu safeguarding remind``: a new case to the class teacher and the school's leads; a case still
new past the school's escalation hours, to them and the school's admins.

An email carries no student text and no time finer than the case's hour: only the class's name and a link.
Sending from the job rather than from the student's request means a mail server's log cannot time a question.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from edu.extensions import db
from edu.models import SafeguardingCase, utcnow
from edu.safeguarding import cases

logger = logging.getLogger("edu.safeguarding")
SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class BadSmtpUrl(ValueError):
    pass


@dataclass(frozen=True)
class Smtp:
    scheme: str
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> Smtp:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise BadSmtpUrl("EDU_SMTP_URL must be smtp://, smtp+starttls:// or smtps:// with a host")
    sender = (parse_qs(parts.query).get("from") or [""])[0]
    if "@" not in sender:
        raise BadSmtpUrl("EDU_SMTP_URL needs ?from=address")
    return Smtp(parts.scheme, parts.hostname, parts.port or SCHEMES[parts.scheme], sender,
                unquote(parts.username) if parts.username else None,
                unquote(parts.password) if parts.password else None)


def send(smtp: Smtp, to: list[str], subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, ", ".join(to), subject
    message.set_content(body)
    client_class = smtplib.SMTP_SSL if smtp.scheme == "smtps" else smtplib.SMTP
    with client_class(smtp.host, smtp.port, timeout=30) as client:
        if smtp.scheme == "smtp+starttls":
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)


def case_email(case: SafeguardingCase, public_url: str, reminder: bool) -> tuple[str, str]:
    """(subject, body), Korean first then English: the class name and a link, never the question."""
    name = case.classroom.name
    link = f"{public_url.rstrip('/')}/safeguarding/cases/{case.id}" if public_url else "Boundaries"
    if reminder:
        subject = f"[Boundaries] 아직 확인하지 않은 안전 사안: {name} / A possible disclosure is still unacknowledged"
        ko = (f"{name} 학급의 피해를 털어놓는 글일 수 있는 사안을 학교가 정한 시간 안에 아무도 확인하지 않았습니다. "
              f"Boundaries에서 여십시오: {link}")
        en = (f"Nobody has acknowledged a possible disclosure in class {name} within the time your school set. "
              f"Open Boundaries: {link}")
    else:
        subject = f"[Boundaries] 피해를 털어놓는 글일 수 있는 질문: {name} / A possible disclosure in class {name}"
        ko = f"{name} 학급에 피해를 털어놓는 글일 수 있는 익명 질문이 왔습니다. Boundaries에서 여십시오: {link}"
        en = f"A possible disclosure in class {name}: open Boundaries: {link}"
    footer = ("이 메일에는 학생의 글이 담기지 않습니다. / This email never carries what a student wrote.")
    return subject, f"{ko}\n\n{en}\n\n{footer}\n"


def _deliver(smtp: Smtp, case: SafeguardingCase, public_url: str, reminder: bool) -> bool:
    to = [account.email for account in cases.staff_to_tell(case, escalation=reminder)]
    if not to:
        return True
    subject, body = case_email(case, public_url, reminder)
    try:
        send(smtp, to, subject, body)
    except (OSError, smtplib.SMTPException) as error:  # left for the next run; logged without content
        logger.warning("safeguarding email not sent; it is retried", extra={"fields": {"error": type(error).__name__}})
        return False
    return True


def run(smtp_url: str, public_url: str, now=None) -> tuple[int, int]:
    """Send what is due: new cases' notices, then escalation reminders. Returns (notices, reminders) sent.
    Each sent case is marked and committed at once, so a failure later in the run never sends it twice."""
    smtp = parse_smtp_url(smtp_url)
    now = now or utcnow()
    sent = [0, 0]
    for index, (due, field) in enumerate(((cases.to_notify(), "notified_at"), (cases.to_remind(now), "reminded_at"))):
        for case in due:
            address = case.classroom.school.public_url or public_url  # the school's own address, if its admin set one
            if _deliver(smtp, case, address, reminder=index == 1):
                setattr(case, field, cases.to_hour(now))
                db.session.commit()
                sent[index] += 1
    return sent[0], sent[1]
