"""Demo accounts never open a real channel's admin view, and one command closes them."""
from __future__ import annotations

import pytest

from bot.demo.staff import DEMO_EMAILS, DEMO_PASSWORD, load_demo_staff
from tests.admin.support import StaffBrowser, page_text


@pytest.fixture
def trial_database(app):  # noqa: ANN001
    """The database a trial run (make run) left behind: the demo accounts are in it."""
    load_demo_staff(app)
    return app


@pytest.mark.parametrize("email", [*DEMO_EMAILS, " Coordinator@Example.JP "])
def test_demo_logins_are_refused_when_the_app_talks_to_line(trial_database, audit_entries, email) -> None:  # noqa: ANN001
    trial_database.config["REAL_CHANNEL"] = True  # as create_app sets it for any line.me endpoint

    response = StaffBrowser(trial_database.test_client()).log_in(email, DEMO_PASSWORD)

    assert response.status_code == 200
    assert "メールアドレスまたはパスワードが正しくありません。" in page_text(response)
    assert audit_entries("login.failure")[-1]["details"]["reason"] == "demo"


def test_demo_logins_still_work_against_the_simulator(trial_database) -> None:  # noqa: ANN001
    assert StaffBrowser(trial_database.test_client()).log_in(DEMO_EMAILS[1], DEMO_PASSWORD).status_code == 302


def test_demo_remove_closes_every_demo_account_and_its_sessions(trial_database) -> None:  # noqa: ANN001
    logged_in = StaffBrowser(trial_database.test_client())
    assert logged_in.log_in(DEMO_EMAILS[2], DEMO_PASSWORD).status_code == 302

    result = trial_database.test_cli_runner().invoke(args=["demo-remove"])

    assert result.exit_code == 0, result.output
    assert "admin@example.jp" in result.output and "coordinator@example.jp" in result.output
    for email in DEMO_EMAILS:
        assert StaffBrowser(trial_database.test_client()).log_in(email, DEMO_PASSWORD).status_code == 200, email
    assert logged_in.get("/admin/").status_code == 302  # the open session ended too
    again = trial_database.test_cli_runner().invoke(args=["demo-remove"])
    assert again.exit_code == 0 and "none found" not in again.output  # kept (deactivated), not deleted


def test_demo_data_is_refused_on_a_real_channel(app) -> None:  # noqa: ANN001
    app.config["REAL_CHANNEL"] = True

    result = app.test_cli_runner().invoke(args=["demo-data"])

    assert result.exit_code != 0
    assert "refused on a real LINE channel" in result.output
