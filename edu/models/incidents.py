"""The incident playbook: a school's record of handling a real case (edu/safeguarding/incidents.py).

Names no person: a short title the lead writes without names, roles in the evidence log ("person targeted",
"reporter 1"), online handles and room names, never an image. Deleted with everything below it once the
school's retention period has passed after it was closed (``flask --app edu retention``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.extensions import db
from edu.models.base import random_id, utcnow

if TYPE_CHECKING:
    from edu.models.accounts import Account, School


class Incident(db.Model):
    __tablename__ = "incidents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    happened_on: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    school: Mapped[School] = relationship()
    pauses: Mapped[list[IncidentPause]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    ticks: Mapped[list[IncidentTick]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    entries: Mapped[list[IncidentLogEntry]] = relationship(order_by="IncidentLogEntry.id",
                                                           cascade="all, delete-orphan", passive_deletes=True)


class IncidentPause(db.Model):
    """A module the incident paused for one class. The pause itself is the class's ModulePause (incident mode),
    so every page that reads assignment state sees it; this row only says the incident made it."""

    __tablename__ = "incident_pauses"
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)
    module_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class IncidentTick(db.Model):
    """A checklist step marked done: which step (a key from content/checklists/), who and when."""

    __tablename__ = "incident_ticks"
    __table_args__ = (UniqueConstraint("incident_id", "step_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    step_key: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    account: Mapped[Account | None] = relationship()


class IncidentLogEntry(db.Model):
    """One evidence-log line: roles and online traces only, never a real name, never an image."""

    __tablename__ = "incident_log_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # targeted | reporter | witness | responsible | staff
    role_number: Mapped[int | None] = mapped_column(Integer)
    room: Mapped[str] = mapped_column(String(200), default="")
    handles: Mapped[str] = mapped_column(String(300), default="")
    links: Mapped[str] = mapped_column(Text, default="")
    seen_at: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(Text, default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
