"""Staff commands: ``flask --app bot.wsgi create-staff`` (an account without prompts), ``audit verify``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from admin.accounts import AccountError, StaffAccounts
from admin.audit import audit
from admin.settings import admin_state
from bot.models.staff import ROLES
from bot.services import audit_chain

PASSWORD_ENV = "TSUNAGU_STAFF_PASSWORD"


@click.command("create-staff")
@click.option("--email", required=True, help="The address the member of staff logs in with.")
@click.option("--name", required=True, help="Their name as colleagues know it, e.g. 'いわき 花子'.")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="centre_staff: their centres' records; coordinator: every centre and the triage "
                   "queue; admin: staff accounts and the audit log.")
@click.option("--centre", "centres", multiple=True, metavar="CODE",
              help="A centre code from the municipality profile (repeat for several). "
                   "Required for centre_staff.")
@click.option("--password", envvar=PASSWORD_ENV, show_envvar=True,
              help=f"The first password (at least 12 characters, not easy to guess: zxcvbn score 3 or more, "
                   "not made of their name, email or centre). Prefer the {PASSWORD_ENV} "
                   "environment variable: command lines can be seen by other users of the machine.")
@click.option("--must-change-password", is_flag=True,
              help="Make them choose their own password at the first login.")
@with_appcontext
def create_staff_command(email: str, name: str, role: str, centres: tuple[str, ...], password: str | None,
                         must_change_password: bool) -> None:
    """Create a staff account for the admin view, non-interactively.

    \b
    Example:
      TSUNAGU_STAFF_PASSWORD='…' flask --app bot.wsgi create-staff \\
        --email hanako@city.example.jp --name 'いわき 花子' \\
        --role centre_staff --centre taira --centre onahama
    """
    if not password:
        raise click.UsageError(f"no password: set {PASSWORD_ENV} or pass --password")
    tsunagu = current_app.extensions["tsunagu"]
    known = [centre.code for centre in tsunagu.profile.centres]
    for code in centres:
        if code not in known:
            raise click.BadParameter(f"unknown centre {code!r} (known: {', '.join(known)})", param_hint="--centre")
    try:
        with tsunagu.db.transaction() as session:
            account = StaffAccounts(session, tsunagu.profile, admin_state().passwords).create(
                email=email, name=name, role=role, centres=centres, password=password,
                must_change_password=must_change_password,
            )
            audit("staff.create", account, session=session, role=account.role, centres=account.centre_codes,
                  via="cli")
    except AccountError as error:
        raise click.ClickException(error.message) from None
    where = ", ".join(account.centre_codes) or "-"
    click.echo(f"created staff account {account.email} (id {account.id}, {account.role}, centres: {where})")


@click.group("audit")
def audit_group() -> None:
    """Check the audit log."""


@audit_group.command("verify")
@with_appcontext
def verify_audit_command() -> None:
    """Recompute the audit log's hash chain and name the first entry where it breaks.

    Exits with status 1 when an entry was changed or removed. Note the last
    hash it prints somewhere outside the database (a signed report, a ticket):
    entries removed from the end can only be seen against it.
    """
    tsunagu = current_app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        result = audit_chain.verify(session)
    if result.unchained:
        click.echo(f"{result.unchained} entries from before the chain began were not checked")
    if not result.intact:
        first = result.broken[0]
        raise click.ClickException(
            f"the audit log's chain breaks at entry {first}: it was changed, or the entry before it was removed "
            f"({len(result.broken)} entries do not match: {', '.join(map(str, result.broken[:20]))})")
    click.echo(f"audit log intact: {result.checked} entries checked, last hash {result.last_hash}")
