"""``flask create-staff`` and the demo accounts printed by ``make run``."""
from __future__ import annotations

from bot.demo.staff import DEMO_PASSWORD, load_demo_staff
from bot.cli import DEMO_LOADERS
from tests.admin.support import StaffBrowser


def test_create_staff_makes_an_account_that_can_log_in(app, audit_entries) -> None:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=[
        "create-staff", "--email", "Hanako@City.example.jp", "--name", "いわき 花子",
        "--role", "centre_staff", "--centre", "taira", "--centre", "onahama",
    ], env={"TSUNAGU_STAFF_PASSWORD": "first-password-1"})

    assert result.exit_code == 0, result.output
    assert "created staff account hanako@city.example.jp" in result.output
    assert "centres: onahama, taira" in result.output
    assert "first-password-1" not in result.output
    person = StaffBrowser(app.test_client())
    assert person.log_in("hanako@city.example.jp", "first-password-1").status_code == 302
    assert "小名浜地区保健福祉センター" in person.get("/admin/").get_data(as_text=True)
    [entry] = audit_entries("staff.create")
    assert entry["actor_id"] is None and entry["details"]["via"] == "cli"


def test_create_staff_takes_the_password_as_an_option_too(app) -> None:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=[
        "create-staff", "--email", "c@city.example.jp", "--name", "調整", "--role", "coordinator",
        "--password", "first-password-1", "--must-change-password"])

    assert result.exit_code == 0, result.output
    person = StaffBrowser(app.test_client())
    person.log_in("c@city.example.jp", "first-password-1")
    assert person.get("/admin/").location == "/admin/settings"


def test_create_staff_refuses_what_would_make_a_bad_account(app, staff) -> None:  # noqa: ANN001
    runner = app.test_cli_runner()
    base = ["create-staff", "--name", "X", "--email", "x@city.example.jp"]
    cases = [
        ([*base, "--role", "coordinator"], {}, "no password"),
        ([*base, "--role", "centre_staff"], {"TSUNAGU_STAFF_PASSWORD": "first-password-1"}, "所属センター"),
        ([*base, "--role", "centre_staff", "--centre", "atlantis"], {"TSUNAGU_STAFF_PASSWORD": "first-password-1"},
         "unknown centre 'atlantis'"),
        ([*base, "--role", "root"], {"TSUNAGU_STAFF_PASSWORD": "first-password-1"}, "'root' is not one of"),
        ([*base, "--role", "coordinator"], {"TSUNAGU_STAFF_PASSWORD": "short"}, "12文字以上"),
        (["create-staff", "--name", "X", "--email", "taira@city.example.jp", "--role", "coordinator"],
         {"TSUNAGU_STAFF_PASSWORD": "first-password-1"}, "ほかの職員アカウントで使われています"),
    ]
    for args, env, message in cases:
        result = runner.invoke(args=args, env={"TSUNAGU_STAFF_PASSWORD": "", **env})
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)


def test_create_staff_is_documented(app) -> None:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=["create-staff", "--help"])

    assert result.exit_code == 0
    for option in ("--email", "--name", "--role", "--centre", "--password", "TSUNAGU_STAFF_PASSWORD",
                   "centre_staff|coordinator|admin"):
        assert option in result.output


def test_demo_data_creates_one_account_per_role_once(app) -> None:  # noqa: ANN001
    assert load_demo_staff in DEMO_LOADERS

    first = load_demo_staff(app)
    again = load_demo_staff(app)

    assert first == again
    assert DEMO_PASSWORD in first[0]
    for email, home in [("centre@example.jp", None), ("coordinator@example.jp", "/admin/settings/two-factor"),
                        ("admin@example.jp", "/admin/settings/two-factor")]:
        person = StaffBrowser(app.test_client())
        assert person.log_in(email, DEMO_PASSWORD).status_code == 302, email
        # Coordinators and administrators first set up their second factor.
        assert person.get("/admin/").location == home, email


def test_demo_accounts_are_never_made_for_a_real_line_channel(make_app) -> None:  # noqa: ANN001
    app = make_app()
    app.config["REAL_CHANNEL"] = True  # as create_app sets it for https://api.line.me

    lines = load_demo_staff(app)

    assert "not created" in lines[0]
    assert StaffBrowser(app.test_client()).log_in("admin@example.jp", DEMO_PASSWORD).status_code == 200
