"""Flask CLI commands: demo data, users, and the authors' content tools."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from edu import audit, mixing
from edu.auth import services, two_step
from edu.content.checker import check_tree
from edu.content.gift import gift_to_quiz_yaml
from edu.content_service import catalog
from edu.demo import DEMO_ADMIN_TOTP, DEMO_PASSWORD, DEMO_PIN, load_demo
from edu.domain import SURVEY_ID
from edu.extensions import db
from edu.insights import completions
from edu.insights.releases import due_class_releases
from edu.insights.research import KeyStore
from edu.models import School
from edu.safeguarding import incidents
from edu.safeguarding.cli import safeguarding_group
from edu.teach import pin_sheets
from edu.teach.services import purge_expired_classes


def register_cli(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(content_group)
    app.cli.add_command(retention_command)
    app.cli.add_command(research_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(insights_group)
    app.cli.add_command(two_step_group)
    app.cli.add_command(safeguarding_group)


insights_group = AppGroup("insights", help="The derived tables behind the school figures.")


@insights_group.command("refresh")
def insights_refresh():
    """Bring the derived tables up to date with the content (run after a deploy, after `db upgrade`): module
    completions for lesson sets not filled yet. Until then figures read the lesson progress: slower, never
    wrong."""

    filled = completions.fill(catalog())
    db.session.commit()
    if filled:
        click.echo(f"School figures: worked out who finished each module ({filled} new versions of the lessons).")
    else:
        click.echo("School figures: already up to date.")


@insights_group.command("release")
def insights_release():
    """Release the survey figures of every survey window whose end date has passed and that has no release
    this term (run daily, like `retention`): the class release is made once and never changes."""

    written = mixing.flush_closed()  # anonymous answers of closed windows and polls first, batch by batch
    _checkpoint_sqlite()
    survey = catalog().survey(SURVEY_ID, current_app.config["EDU_LANGUAGES"][0])
    made = due_class_releases(survey) if survey is not None else 0
    db.session.commit()
    click.echo(f"Anonymous answers written from the mixing buffer: {written} students' batches.")
    click.echo(f"Survey releases made: {made}.")


@insights_group.command("flush-anonymous")
def insights_flush_anonymous():
    """Write the mixing buffer's batches that are full or whose survey window or poll has closed (the release
    above does this too; run it more often if you like)."""

    written = mixing.flush_closed()
    _checkpoint_sqlite()
    click.echo(f"Anonymous answers written from the mixing buffer: {written} students' batches.")


def _checkpoint_sqlite() -> None:
    """On SQLite, copy the write-ahead log into the database file and truncate it, so the deleted buffer rows
    (overwritten in the file by `secure_delete`) do not stay in the -wal file either."""
    if db.engine.url.get_backend_name() == "sqlite":
        db.session.commit()
        connection = db.engine.raw_connection()  # outside any transaction (the driver is in autocommit)
        try:
            connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path):
    """Consistent online backup of the SQLite database into TARGET (for PostgreSQL use pg_dump)."""

    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException("this is a PostgreSQL database: back it up with "
                                   "`pg_dump --format=custom --file=boundaries.dump DATABASE_URL`")
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file name")
    source = sqlite3.connect(url.database)
    destination = sqlite3.connect(target)
    with destination:
        source.backup(destination)  # SQLite's online backup API: consistent while the app keeps writing
    destination.close()
    source.close()
    click.echo(f"backed up {url.database} to {target}")


two_step_group = AppGroup("two-step", help="Two-step sign-in for staff accounts.")


@two_step_group.command("reset")
@click.argument("email")
def two_step_reset(email: str):
    """Remove EMAIL's authenticator and recovery codes, for a school whose only admin lost both. The account
    signs in with its password and sets up a new authenticator; the school's audit log records the reset."""

    try:
        account = two_step.reset_by_operator(email)
    except two_step.NoSuchAccount:
        raise click.ClickException(f"no staff account with the address {email}") from None
    db.session.commit()
    click.echo(f"Two-step sign-in reset for account {account.id}: every session ended; the next sign-in with the "
               "password " + ("sets up a new authenticator (required for admins)." if account.role == "admin"
                              else "needs no code until the owner sets one up again."))


research_group = AppGroup("research", help="The research export's pre/post link key.")


@research_group.command("destroy-key")
def research_destroy_key():
    """Destroy the key that links pre and post answers in research exports (cannot be undone)."""

    click.echo(KeyStore(Path(current_app.config["EDU_RESEARCH_KEY_FILE"])).destroy())
    audit.record(None, "destroy_key", "research-link-key", school_id=None)
    db.session.commit()


@click.command("retention")
@with_appcontext
def retention_command():
    """Delete archived classes and closed incidents past their school's retention period (run daily, e.g. from
    cron)."""

    deleted = purge_expired_classes()
    sheets = pin_sheets.purge_expired()
    closed = incidents.purge_expired()
    db.session.commit()
    click.echo(f"deleted {len(deleted)} archived classes past their retention period")
    click.echo(f"deleted {sheets} expired sheets of one-time PINs")
    click.echo(f"deleted {closed} closed incidents past their retention period")


@click.command("demo")
@with_appcontext
@click.option("--address", default="", help="Where the app will be served (e.g. http://127.0.0.1:5000): printed "
              "with the sign-ins, last.")
def demo_command(address: str):
    """Load demo data (idempotent) and print the demo sign-ins (and the app's address), last, in plain words."""

    report = load_demo()
    db.session.commit()
    base = address.rstrip("/")
    click.echo("Demo data: " + ("made now." if report.created else "already there, nothing changed."))
    click.echo(f"\nTeachers and staff sign in at {base}/signin with the password {DEMO_PASSWORD} and one of:")
    for role, email in report.staff:
        click.echo(f"  {role:<8} {email}")
    click.echo(f"  (the admin also needs a 6-digit code: add the key {DEMO_ADMIN_TOTP} to an authenticator app)")
    click.echo(f"\nStudents sign in at {base}/student/signin with the class code, a nickname and the PIN {DEMO_PIN}:")
    for name, code, pseudonyms in report.classes:
        click.echo(f"  class {name}, class code {code}, nicknames: " + ", ".join(pseudonyms))
    click.echo("  (students who joined a demo class later have their own PIN and are not listed)")
    if base:
        click.echo(f"\nThe app is at {base} : open it in a browser. Press Ctrl+C here to stop it.")


@click.command("create-user")
@with_appcontext
@click.option("--role", type=click.Choice(["teacher", "author", "admin", "student"]), required=True)
@click.option("--email", help="Email address (staff roles).")
@click.option("--school", "school_name", help="School name (staff roles; created if missing).")
@click.option("--class-code", help="Join code of the class (students).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(role, email, school_name, class_code, password_stdin):
    """Create a staff account, or a student in a class (prints the pseudonym and PIN once)."""

    if role == "student":
        if not class_code:
            raise click.UsageError("--class-code is required for students")
        classroom = services.classroom_by_code(class_code)
        if classroom is None:
            raise click.ClickException(f"no class with code {class_code}")
        student, pin = services.add_student(classroom)
        db.session.commit()
        click.echo(f"pseudonym: {student.pseudonym}\nPIN: {pin}")
        return
    if not email:
        raise click.UsageError("--email is required for staff roles")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    school = None
    if school_name:
        school = db.session.scalar(select(School).where(School.name == school_name))
        if school is None:
            school = School(name=school_name)
            db.session.add(school)
    try:
        account = services.create_account(role, email, password, school)
    except services.EmailTaken as error:
        raise click.ClickException(f"an account with email {email} already exists") from error
    db.session.commit()
    click.echo(f"created {role} {account.email}")


content_group = AppGroup("content", help="Authoring tools: check content, import GIFT questions.")


@content_group.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def content_check(path: Path | None):
    """Check every content file; exit 1 listing each error as file:line: message."""

    root = path or Path(current_app.config["EDU_CONTENT_DIR"])
    exit_code, report = check_tree(root)
    click.echo(report)
    sys.exit(exit_code)


@content_group.command("import-gift")
@click.argument("gift_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--module", "module_id", required=True, help="Module id, e.g. consent.")
@click.option("--locale", type=click.Choice(["ko", "en"]), required=True)
@click.option("--quiz-id", help="Id of the new quiz (default: the file name).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the quiz (default: content/quizzes/<locale>/<module>/<quiz-id>.yaml).")
def content_import_gift(gift_file: Path, module_id: str, locale: str, quiz_id: str | None, output: Path | None):
    """Convert a Moodle GIFT file into a quiz YAML file."""

    quiz_id = quiz_id or gift_file.stem.replace("_", "-").lower()
    text = gift_to_quiz_yaml(gift_file.read_text(encoding="utf-8"), module_id, locale, quiz_id)
    root = Path(current_app.config["EDU_CONTENT_DIR"])
    target = output or root / "quizzes" / locale / module_id / f"{quiz_id}.yaml"
    if target.exists():
        raise click.ClickException(f"{target} exists; choose another --quiz-id or --output")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}; run 'flask --app edu content check' and add explanations and sources")
