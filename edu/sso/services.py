"""Providers, account links and sign-ins under way. Services flush, never commit (the request commits)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from edu import audit
from edu.extensions import db
from edu.models import Account, OidcFlow, OidcLink, OidcProvider, School, utcnow
from edu.sso.client import Identity
from edu.sso.sealing import seal

FLOW_MINUTES = 10  # a sign-in must come back from the provider within this time


class NotFound(Exception):
    pass


class Refused(Exception):
    """Why a school sign-in or a link was refused: "state" (unknown, used or expired), "domain" (the address is
    not one the school allows), "unverified" (the provider does not vouch for the address), "unlinked" (no
    account is linked to this person), "taken" (this person is linked to another account), "account" (the
    signed-in account is not the one that started linking)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise_domains(text: str) -> list[str]:
    domains = []
    for part in text.replace(",", " ").split():
        domain = part.strip().lower().lstrip("@").rstrip(".")
        if domain and domain not in domains:
            domains.append(domain)
    return domains


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2].rstrip(".")


# ---- the admin's settings ---------------------------------------------------------------------------------------

def providers_of(school_id: int) -> list[OidcProvider]:
    return list(db.session.scalars(select(OidcProvider).where(OidcProvider.school_id == school_id)
                                   .order_by(OidcProvider.name, OidcProvider.id)))


def provider_of_school(school_id: int | None, provider_id: int) -> OidcProvider:
    provider = db.session.get(OidcProvider, provider_id)
    if provider is None or school_id is None or provider.school_id != school_id:
        raise NotFound(provider_id)
    return provider


def add_provider(admin: Account, name: str, issuer: str, client_id: str, client_secret: str,
                 domains: list[str]) -> OidcProvider:
    provider = OidcProvider(school_id=admin.school_id, name=name.strip(), issuer=issuer.strip(),
                            client_id=client_id.strip(), client_secret_sealed=seal(client_secret.strip()),
                            allowed_domains=" ".join(domains))
    try:
        with db.session.begin_nested():
            db.session.add(provider)
            db.session.flush()
    except IntegrityError as error:
        raise Refused("duplicate") from error
    audit.record(admin, "sso_provider_add", f"school:{admin.school_id}")
    return provider


def remove_provider(admin: Account, provider: OidcProvider) -> None:
    """The provider, and every staff account's link to it, are deleted: those accounts sign in with their
    password again until they link another provider."""
    db.session.execute(delete(OidcLink).where(OidcLink.provider_id == provider.id))
    db.session.execute(delete(OidcFlow).where(OidcFlow.provider_id == provider.id))
    db.session.delete(provider)
    audit.record(admin, "sso_provider_remove", f"school:{admin.school_id}")
    db.session.flush()


def set_required(admin: Account, required: bool) -> None:
    school = db.session.get(School, admin.school_id)
    if school.sso_required != required:
        school.sso_required = required
        audit.record(admin, "sso_required_on" if required else "sso_required_off", f"school:{school.id}")
    db.session.flush()


def linked_counts(school_id: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for provider_id in db.session.scalars(select(OidcLink.provider_id).join(OidcProvider)
                                          .where(OidcProvider.school_id == school_id)):
        counts[provider_id] = counts.get(provider_id, 0) + 1
    return counts


# ---- signing in -------------------------------------------------------------------------------------------------

def providers_for_email(email: str) -> list[OidcProvider]:
    """Every provider, of any school, that accepts addresses at this email's domain. Says nothing about whether
    an account with the address exists."""
    domain = email_domain(email)
    if not domain:
        return []
    candidates = db.session.scalars(select(OidcProvider).where(OidcProvider.allowed_domains.contains(domain))
                                    .order_by(OidcProvider.name, OidcProvider.id))
    return [provider for provider in candidates if domain in provider.domains]


def password_refused(account: Account) -> bool:
    """A teacher of a school that requires single sign-on, once linked, signs in only with the school account.
    Admins keep their password and two-step code: the way back in when a provider fails (docs/integrations.md)."""
    if account.role != "teacher" or account.school is None or not account.school.sso_required:
        return False
    return db.session.scalar(select(OidcLink.id).where(OidcLink.account_id == account.id).limit(1)) is not None


def must_link(account: Account) -> bool:
    """A teacher of a school that requires single sign-on who has not linked a school account yet."""
    if account.role != "teacher" or account.school is None or not account.school.sso_required:
        return False
    if not providers_of(account.school_id):
        return False
    return db.session.scalar(select(OidcLink.id).where(OidcLink.account_id == account.id).limit(1)) is None


def _state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


@dataclass(frozen=True)
class Flow:
    state: str
    nonce: str
    code_verifier: str


def start_flow(provider: OidcProvider, purpose: str, account: Account | None = None, next_url: str = "") -> Flow:
    """A new sign-in (or link) to send to the provider; old unfinished ones are cleared out."""
    db.session.execute(delete(OidcFlow).where(OidcFlow.created_at < utcnow() - timedelta(minutes=FLOW_MINUTES)))
    flow = Flow(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64))
    db.session.add(OidcFlow(state_hash=_state_hash(flow.state), provider_id=provider.id, purpose=purpose,
                            account_id=account.id if account else None, nonce=flow.nonce,
                            code_verifier=flow.code_verifier, next_url=next_url[:300]))
    db.session.flush()
    return flow


@dataclass(frozen=True)
class Returned:
    provider: OidcProvider
    purpose: str
    account_id: int | None
    nonce: str
    code_verifier: str
    next_url: str


def take_flow(state: str) -> Returned:
    """The sign-in this state belongs to, deleted in the same step (a conditional DELETE), so a state, and the
    nonce and verifier with it, work once even when two requests race."""
    row = db.session.get(OidcFlow, _state_hash(state)) if state else None
    if row is None:
        raise Refused("state")
    taken = Returned(db.session.get(OidcProvider, row.provider_id), row.purpose, row.account_id, row.nonce,
                     row.code_verifier, row.next_url)
    fresh = row.created_at >= utcnow() - timedelta(minutes=FLOW_MINUTES)
    db.session.expunge(row)
    deleted = db.session.execute(delete(OidcFlow).where(OidcFlow.state_hash == row.state_hash)
                                 .execution_options(synchronize_session=False)).rowcount == 1
    if not deleted or not fresh or taken.provider is None:
        raise Refused("state")
    return taken


def check_address(provider: OidcProvider, identity: Identity) -> None:
    """The school allows this person: a verified address at one of the provider's allowed domains."""
    if not identity.email or email_domain(identity.email) not in provider.domains:
        raise Refused("domain")
    if not identity.email_verified:
        raise Refused("unverified")


def linked_account(provider: OidcProvider, identity: Identity) -> Account:
    check_address(provider, identity)
    link = db.session.scalar(select(OidcLink).where(OidcLink.provider_id == provider.id,
                                                    OidcLink.issuer == identity.issuer,
                                                    OidcLink.subject == identity.subject))
    account = db.session.get(Account, link.account_id) if link else None
    if account is None or account.school_id != provider.school_id:
        raise Refused("unlinked")
    return account


def link(account: Account, provider: OidcProvider, identity: Identity) -> None:
    check_address(provider, identity)
    existing = db.session.scalar(select(OidcLink).where(OidcLink.provider_id == provider.id,
                                                        OidcLink.subject == identity.subject))
    if existing is not None and existing.account_id != account.id:
        raise Refused("taken")
    if existing is None:
        db.session.execute(delete(OidcLink).where(OidcLink.provider_id == provider.id,
                                                  OidcLink.account_id == account.id))
        try:
            with db.session.begin_nested():
                db.session.add(OidcLink(provider_id=provider.id, account_id=account.id, issuer=identity.issuer,
                                        subject=identity.subject))
                db.session.flush()
        except IntegrityError as error:
            raise Refused("taken") from error
    audit.record(account, "sso_link", f"account:{account.id}")
    db.session.flush()


def unlink(account: Account, provider: OidcProvider) -> bool:
    removed = db.session.execute(delete(OidcLink).where(OidcLink.provider_id == provider.id,
                                                        OidcLink.account_id == account.id)).rowcount
    if removed:
        audit.record(account, "sso_unlink", f"account:{account.id}")
    db.session.flush()
    return bool(removed)


def linked_provider_ids(account: Account) -> set[int]:
    return set(db.session.scalars(select(OidcLink.provider_id).where(OidcLink.account_id == account.id)))
