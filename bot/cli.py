"""Command-line tasks: ``flask --app bot.wsgi <command>``."""
from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app

from bot.demo.mutual_aid import load_demo_mutual_aid
from bot.demo.staff import load_demo_staff, remove_demo_staff
from bot.demo.events import load as load_demo_events
from bot.demo.intake import load as load_demo_intake
from bot.demo.workflow import load as load_demo_workflow
from bot.demo.notices import load as load_demo_notices
from bot.demo.watch import load as load_demo_watch
from bot.demo.figures import load as load_demo_figures

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Each domain adds a function ``load(app)`` that creates its demo records
# (idempotently) and returns lines to print.
DEMO_LOADERS: list = []
DEMO_LOADERS.append(load_demo_staff)  # one staff account per role for the admin view
DEMO_LOADERS.append(load_demo_events)  # a month of salons and events across the 13 areas
DEMO_LOADERS.append(load_demo_intake)  # consultations across the centres, two urgent, one in triage
DEMO_LOADERS.append(load_demo_workflow)  # response templates (定型文) per category
DEMO_LOADERS.append(load_demo_notices)  # residents with お知らせ設定 and a draft notice
DEMO_LOADERS.append(load_demo_watch)  # 見守り plans: one unanswered, one 「話したい」, one paused
DEMO_LOADERS.append(load_demo_mutual_aid)  # 住民支え合い: supporters, a group, requests, the SC's account
DEMO_LOADERS.append(load_demo_figures)  # a year of finished consultations and past salons for the figures page


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def migrate(database_url: str) -> None:
    """Bring the database schema to the newest revision."""
    command.upgrade(alembic_config(database_url), "heads")


def register_cli(app: Flask) -> None:
    @app.cli.command("migrate")
    def migrate_command() -> None:
        """Apply database migrations."""
        migrate(current_app.config["DATABASE_URL"])
        click.echo("database is up to date")

    @app.cli.command("demo-data")
    def demo_data_command() -> None:
        """Migrate and load demo records for trying the product locally."""
        if current_app.config["REAL_CHANNEL"]:
            # Demo events and consultations would reach real residents' screens.
            raise click.ClickException("demo data is refused on a real LINE channel")
        migrate(current_app.config["DATABASE_URL"])
        for load in DEMO_LOADERS:
            for line in load(current_app) or []:
                click.echo(line)

    @app.cli.command("demo-remove")
    def demo_remove_command() -> None:
        """Close the demo staff accounts (before going live on a database that held a trial run)."""
        for line in remove_demo_staff(current_app):
            click.echo(line)

    @app.cli.command("sweep")
    def sweep_command() -> None:
        """Re-queue events and messages that were left behind."""
        from bot.tasks.sweep import sweep_now

        counts = sweep_now(current_app.extensions["tsunagu"], datetime_now=_now())
        click.echo(f"re-queued {counts['sources']} sources, {counts['recipients']} recipients")

    @app.cli.command("rich-menu")
    @click.option("--keep-old", is_flag=True, help="Do not delete the channel's other rich menus.")
    def rich_menu_command(keep_old: bool) -> None:
        """Install the menu buttons under the chat in every language; Japanese is the default."""
        from sqlalchemy import select

        from bot.i18n import DEFAULT_LOCALE
        from bot.models import Resident
        from bot.messaging.richmenu import install_menus, menu_name
        from bot.tasks.richmenu import sync_rich_menu

        tsunagu = current_app.extensions["tsunagu"]
        created = install_menus(tsunagu.line, keep_old=keep_old)
        # Residents reading another language were linked to a menu just replaced: link them
        # again, through the worker (it retries when LINE does not answer).
        with tsunagu.db.transaction() as session:
            users = list(session.scalars(select(Resident.line_user_id).where(
                Resident.is_following.is_(True), Resident.locale != DEFAULT_LOCALE)))
        for user_id in users:
            sync_rich_menu(user_id)
        for name, rich_menu_id in created.items():
            click.echo(f"rich menu {rich_menu_id} ({name}){' is now the default' if name == menu_name(DEFAULT_LOCALE) else ''}")
        click.echo(f"{len(users)} residents in other languages queued to be linked again")

    @app.cli.command("retention")
    @click.option("--dry-run", is_flag=True, help="Only list what would go: receipt numbers and end dates.")
    def retention_command(dry_run: bool) -> None:
        """Anonymise or delete the consultations kept past the profile's retention period (as the daily task does)."""
        from bot.tasks.retention import apply_retention_now

        tsunagu = current_app.extensions["tsunagu"]
        retention = tsunagu.profile.retention
        run = apply_retention_now(tsunagu, _now(), dry_run=dry_run, via="cli")
        for item in run.expired:
            click.echo(f"{item.receipt_number}  ended {item.ended_on.isoformat()}")
        verb = {"anonymise": "anonymised", "delete": "deleted"}[run.mode]
        click.echo(f"{len(run.expired)} records {'would be ' if dry_run else ''}{verb} "
                   f"(kept {retention.years} years after they end; {run.messages} messages, {run.photos} photos)")

    @app.cli.command("check-profile")
    @click.argument("name")
    def check_profile(name: str) -> None:
        """Load a municipality profile and report problems."""
        from bot.municipality import ProfileError, load_profile

        try:
            profile = load_profile(name)
        except ProfileError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"{profile.name}: {len(profile.centres)} centres, {len(profile.areas)} areas")


def _now():  # noqa: ANN202
    from bot.models import utcnow

    return utcnow()
