"""Two-step sign-in: accepting a code once, setting up and turning off the second factor, recovery codes and the
operator's reset. Services flush, never commit (docs/decisions.md, "Two-step sign-in")."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from edu import audit
from edu.auth import totp
from edu.auth.secrets import hash_recovery_code, verify_recovery_code
from edu.auth.services import end_all_sessions, find_account
from edu.extensions import db
from edu.models import Account, RecoveryCode, utcnow


class NoSuchAccount(Exception):
    pass


def accept_code(account: Account, code: str, now: float) -> bool:
    """True when `code` is the account's current authenticator code, never used before, or one of its unused
    recovery codes. Each is spent in one conditional UPDATE, so two requests racing with the same code cannot
    both succeed."""
    if totp.looks_like_recovery_code(code):
        return _spend_recovery_code(account, code)
    if not account.totp_secret:
        return False
    step = totp.matching_step(account.totp_secret, code, now)
    return step is not None and _claim_step(account, step)


def _claim_step(account: Account, step: int) -> bool:
    claimed = db.session.execute(
        update(Account)
        .where(Account.id == account.id,
               or_(Account.totp_last_step.is_(None), Account.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if claimed:
        account.totp_last_step = step
    return claimed


def _spend_recovery_code(account: Account, code: str) -> bool:
    typed = totp.normalise_recovery_code(code)
    unused = db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None)))
    for stored in unused:
        if verify_recovery_code(stored.code_hash, typed):
            return db.session.execute(
                update(RecoveryCode).where(RecoveryCode.id == stored.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow()).execution_options(synchronize_session=False)
            ).rowcount == 1
    return False


def unused_recovery_codes(account: Account) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None))).all())


def enrol(account: Account, secret: str, code: str, now: float) -> list[str] | None:
    """Make `secret` the account's second factor when `code` answers it; returns the new recovery codes (to show
    once), or None when the code is wrong. Every other session of the account ends."""
    step = totp.matching_step(secret, code, now)
    if step is None:
        return None
    account.totp_secret = secret
    account.totp_last_step = step  # the code just used to set up does not sign in again
    codes = replace_recovery_codes(account)
    end_all_sessions(account)
    _record(account, "two_step_on")
    return codes


def replace_recovery_codes(account: Account) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(account_id=account.id, code_hash=hash_recovery_code(code)) for code in codes)
    db.session.flush()
    return [totp.format_recovery_code(code) for code in codes]


def turn_off(account: Account) -> None:
    """Remove the second factor (the caller has checked the password again); every other session ends."""
    _clear(account)
    end_all_sessions(account)
    _record(account, "two_step_off")


def reset_by_operator(email: str) -> Account:
    """For a school whose only admin lost both the authenticator and the recovery codes: the account signs in
    with its password and, as an admin, sets up a new authenticator at once. Audited in the school's log."""
    account = find_account(email)
    if account is None:
        raise NoSuchAccount(email)
    _clear(account)
    end_all_sessions(account)
    audit.record(None, "reset_two_step", f"account:{account.id}", school_id=account.school_id)
    db.session.flush()
    return account


def _clear(account: Account) -> None:
    account.totp_secret = None
    account.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    db.session.flush()


def _record(account: Account, action: str) -> None:
    if account.school_id is not None:
        audit.record(account, action, f"account:{account.id}")
