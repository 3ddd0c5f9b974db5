"""Staff sign-in with the school's accounts (OpenID Connect): the providers a school admin sets up, the link from a
staff account to one person at one provider (issuer and subject, nothing else), and sign-ins under way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.extensions import db
from edu.models.accounts import School
from edu.models.base import utcnow


class OidcProvider(db.Model):
    """An identity provider of one school. The client secret is stored encrypted (edu/sso/sealing.py) and never
    shown again after it is saved."""

    __tablename__ = "oidc_providers"
    __table_args__ = (UniqueConstraint("school_id", "issuer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))  # what the sign-in button says: "Hanbit High Google account"
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(300))
    client_secret_sealed: Mapped[str] = mapped_column(Text)
    allowed_domains: Mapped[str] = mapped_column(String(500))  # lower-case, separated by single spaces
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    school: Mapped[School] = relationship()

    @property
    def domains(self) -> list[str]:
        return self.allowed_domains.split()


class OidcLink(db.Model):
    """One staff account signs in as one person (the subject) of one provider. No email, name or token is kept."""

    __tablename__ = "oidc_links"
    __table_args__ = (UniqueConstraint("provider_id", "subject"), UniqueConstraint("provider_id", "account_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("oidc_providers.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OidcFlow(db.Model):
    """A sign-in (or a link) sent to a provider and not yet back. Keyed by a hash of the state; deleted when the
    provider sends the browser back, so a state, its nonce and its PKCE verifier work once."""

    __tablename__ = "oidc_flows"
    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("oidc_providers.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(8))  # "signin" | "link"
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(64))
    code_verifier: Mapped[str] = mapped_column(String(128))
    next_url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
