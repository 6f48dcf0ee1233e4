"""The application factory, configuration and health check."""
from __future__ import annotations

import importlib

import pytest

from bot import create_app
from bot.config import ConfigError, load_config
from bot.municipality import ProfileError
from bot.services.routing import centre_for_area


def test_importing_the_package_reads_no_environment(monkeypatch):
    monkeypatch.setenv("MUNICIPALITY", "no-such-city")
    import bot

    importlib.reload(bot)  # would fail if import loaded the profile


def test_settings_come_from_the_environment_and_overrides_win():
    config = load_config({"MUNICIPALITY": "takamatsu"}, environ={"MUNICIPALITY": "iwaki", "OUTBOX_MAX_ATTEMPTS": "4",
                                                                  "DATABASE_URL": "sqlite:////tmp/x.db"})
    assert config["MUNICIPALITY"] == "takamatsu"
    assert config["OUTBOX_MAX_ATTEMPTS"] == 4
    assert config["LINE_DATA_API_ENDPOINT"] == "https://api-data.line.me"


def test_retry_settings_come_from_the_environment_as_numbers():
    config = load_config(environ={"INBOX_MAX_ATTEMPTS": "5", "MAIL_RETRY_SECONDS": "120",
                                  "ADMIN_LOGIN_MAX_DELAY_MINUTES": "30", "DATABASE_URL": "sqlite://"})
    assert (config["INBOX_MAX_ATTEMPTS"], config["MAIL_RETRY_SECONDS"], config["ADMIN_LOGIN_MAX_DELAY_MINUTES"]) == (5, 120, 30)
    assert (config["PHOTO_FETCH_MAX_ATTEMPTS"], config["RICH_MENU_RETRY_SECONDS"]) == (6, 30)


def test_a_malformed_number_is_reported_by_name():
    with pytest.raises(ConfigError, match="OUTBOX_MAX_ATTEMPTS"):
        load_config(environ={"OUTBOX_MAX_ATTEMPTS": "many", "DATABASE_URL": "sqlite://"})


def test_a_real_channel_needs_its_credentials(tmp_path):
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET is not set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "HUEY_FILE": str(tmp_path / "q.db")})


def test_an_unknown_municipality_fails_at_start_with_the_choices(make_app):
    with pytest.raises(ProfileError, match="iwaki"):
        make_app(MUNICIPALITY="atlantis")


def test_another_city_runs_on_configuration_alone(make_app, line):
    from tests.support import Chat, Worker

    app = make_app(MUNICIPALITY="takamatsu")
    resident = Chat(app.test_client(), line, Worker(app), "U" + "7" * 32, "test-channel-secret")
    line.set_profile(resident.user_id, "高松太郎", "ja")
    resident.follows()
    assert "高松市の相談窓口" in resident.last_text()
    resident.shares_location(34.3401, 134.0434)  # near Takamatsu city hall
    profile = app.extensions["tsunagu"].profile
    nearest = centre_for_area(profile, profile.nearest_area(34.3401, 134.0434).code)
    assert nearest.name in resident.last_text()


def test_health_reports_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"
    assert response.json["queue"] == "ok"


def test_health_is_503_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"].startswith("error")


def test_behind_a_proxy_the_clients_address_is_the_forwarded_one(make_app):
    from flask import request

    app = make_app(TRUST_PROXY_HOPS=1)

    @app.get("/_whoami")
    def whoami():  # noqa: ANN202
        return {"addr": request.remote_addr, "scheme": request.scheme}

    answer = app.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.7",
                                                         "X-Forwarded-Proto": "https"}).json
    assert answer == {"addr": "203.0.113.7", "scheme": "https"}


def test_without_trusted_proxies_forwarded_headers_are_ignored(make_app):
    from flask import request

    app = make_app()

    @app.get("/_whoami")
    def whoami():  # noqa: ANN202
        return {"addr": request.remote_addr}

    answer = app.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.7"}).json
    assert answer["addr"] != "203.0.113.7"
