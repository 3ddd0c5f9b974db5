"""Configuration from environment variables with safe defaults."""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _instance_dir() -> Path:
    path = Path(os.environ.get("EDU_INSTANCE_DIR", PROJECT_ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _instance_key(instance: Path, variable: str, file_name: str) -> str:
    """A key from the environment variable, else one generated once into instance/ (never committed)."""
    if os.environ.get(variable):
        return os.environ[variable]
    key_file = instance / file_name
    if not key_file.exists():  # written whole, then linked in place once: two workers never make two keys
        draft = instance / f".{file_name}.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def _normalise_db_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_config(overrides: dict | None = None) -> dict:
    """Build the Flask config: environment first, then explicit overrides (used by tests)."""
    instance = _instance_dir()
    env = os.environ.get("EDU_ENV", "development")
    config = {
        "EDU_ENV": env,
        "SECRET_KEY": _instance_key(instance, "SECRET_KEY", "secret_key"),
        # The key of the students' PIN hashes (edu/auth/secrets.py), held outside the database: a copy of the
        # database alone gives nothing to guess PINs against.
        "EDU_PIN_KEY": _instance_key(instance, "EDU_PIN_KEY", "pin_key").encode(),
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'boundaries.db'}")
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "EDU_CONTENT_DIR": os.environ.get("EDU_CONTENT_DIR", str(PROJECT_ROOT / "content")),
        "EDU_LANGUAGES": os.environ.get("EDU_LANGUAGES", "ko,en").split(","),
        "EDU_RELOAD_CONTENT": env == "development",
        "BABEL_DEFAULT_LOCALE": "ko",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        # The cookie lives a school day at most; the idle timeouts below end a session far sooner. It is not
        # re-signed on every response, only when the session changes (the idle stamp, once a minute).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_SECURE": env == "production",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        # Bad sign-in attempts: per account (email, or class code + pseudonym) and per IP address.
        # A whole class shares one school IP, so the per-IP limit is higher.
        "EDU_SIGNIN_ACCOUNT_LIMIT": "5 per minute",
        "EDU_SIGNIN_IP_LIMIT": "20 per minute",
        # Bad student sign-ins per class (any pseudonym, any IP): a class of 30 mistyping PINs stays far below
        # it, while guessing PINs across all the class's pseudonyms is capped (docs/decisions.md).
        "EDU_SIGNIN_CLASS_LIMIT": "50 per 15 minutes;200 per day",
        "EDU_JOIN_IP_LIMIT": "60 per minute",
        # The clock two-step codes are checked against (seconds since the epoch); tests may fix it.
        "EDU_CLOCK": time.time,
        # Anonymous questions per student, counted under a keyed hash of the student (never beside the question).
        "EDU_QUESTION_STUDENT_LIMIT": "10 per hour;20 per day",
        # Wrong receipt codes per IP address (a school shares one: a class mistyping stays far below it).
        "EDU_RECEIPT_IP_LIMIT": "10 per minute;100 per day",
        # Staff sign-ups (every POST counts, whatever the answer).
        "EDU_SIGNUP_IP_LIMIT": "5 per hour",
        "EDU_SIGNUP_EMAIL_LIMIT": "3 per day",
        "EDU_IDLE_MINUTES_STUDENT": 30,
        # Every session ends this long after signing in, whatever the activity (ASVS 3.3.2).
        "EDU_MAX_SESSION_HOURS_STUDENT": int(os.environ.get("EDU_MAX_SESSION_HOURS_STUDENT", 8)),
        "EDU_MAX_SESSION_HOURS_STAFF": int(os.environ.get("EDU_MAX_SESSION_HOURS_STAFF", 12)),
        "EDU_IDLE_MINUTES_STAFF": 60,
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL", "https://www.google.com/search?q=weather"),
        "EDU_SCHOOL_TIMEZONE": os.environ.get("EDU_SCHOOL_TIMEZONE", "Asia/Seoul"),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        # How many reverse proxies (nginx, a load balancer) stand in front of the app and set X-Forwarded-For
        # and X-Forwarded-Proto. 0: the headers are ignored (anyone could forge them). See docs/deploy.md.
        "EDU_TRUSTED_PROXIES": int(os.environ.get("EDU_TRUSTED_PROXIES", "0")),
        "EDU_RESEARCH_KEY_FILE": os.environ.get("EDU_RESEARCH_KEY_FILE", str(instance / "research-link.key")),
        # Safeguarding emails (edu/safeguarding/notify.py): smtp://, smtp+starttls:// or smtps://
        # [user:password@]host[:port]?from=address. Empty: no email is sent (cases still show in the app).
        "EDU_SMTP_URL": os.environ.get("EDU_SMTP_URL", ""),
        # The site's address for links in those emails, e.g. https://boundaries.school.kr
        "EDU_PUBLIC_URL": os.environ.get("EDU_PUBLIC_URL", ""),
        # Staff password hashing (edu/auth/secrets.py): "standard" always, "light" for the test suite only.
        "EDU_PASSWORD_HASHING": "standard",
    }
    if overrides:
        config.update(overrides)
        if "SQLALCHEMY_DATABASE_URI" in overrides:
            config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(overrides["SQLALCHEMY_DATABASE_URI"])
    if config["EDU_PASSWORD_HASHING"] != "standard" and not config.get("TESTING"):
        raise ValueError("EDU_PASSWORD_HASHING other than 'standard' is for the test suite only (TESTING)")
    return config
