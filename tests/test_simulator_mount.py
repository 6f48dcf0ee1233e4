"""The simulator exists only in development: never reachable in a production configuration."""
import pytest

from bot import create_app
from bot.config import ConfigError, load_config
from bot.devrun import dev_environment

PROBES = [
    "/simulator/",
    "/simulator/feed",
    "/simulator/static/simulator/simulator.js",
    "/simulator/api/v2/bot/profile/U0123",
    "/simulator/api/v2/bot/message/reply",
]


def production_config(tmp_path, **overrides) -> dict:  # noqa: ANN003
    """What a city's server has: LINE's real endpoint and real credentials."""
    return {
        "LINE_API_ENDPOINT": "https://api.line.me",
        "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
        "LINE_CHANNEL_ACCESS_TOKEN": "a-long-lived-channel-access-token",
        "SECRET_KEY": "a-real-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
        "HUEY_FILE": str(tmp_path / "queue.db"),
        **overrides,
    }


@pytest.fixture(autouse=True)
def _no_simulator_setting(monkeypatch):
    monkeypatch.delenv("SIMULATOR", raising=False)


@pytest.fixture
def production_app(tmp_path):
    app = create_app(production_config(tmp_path))
    yield app
    app.extensions["tsunagu"].line.close()
    app.extensions["tsunagu"].db.dispose()


@pytest.mark.parametrize("path", PROBES)
def test_a_production_app_has_no_simulator(production_app, path):
    client = production_app.test_client()

    assert client.get(path).status_code == 404
    assert client.post(path, headers={"X-Requested-With": "tsunagu-simulator"}).status_code in (404, 405)
    assert "simulator" not in production_app.extensions


def test_enabling_the_simulator_with_the_real_line_endpoint_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="SIMULATOR cannot be enabled with a real LINE channel"):
        create_app(production_config(tmp_path, SIMULATOR=True))


def test_enabling_it_from_the_environment_is_refused_too(tmp_path, monkeypatch):
    monkeypatch.setenv("SIMULATOR", "1")

    with pytest.raises(ConfigError, match="SIMULATOR cannot be enabled"):
        create_app(production_config(tmp_path))


@pytest.mark.parametrize("path", PROBES[:3])
def test_the_simulator_stays_off_when_explicitly_disabled(client, path):
    assert client.get(path).status_code == 404


def test_make_run_points_the_bot_at_the_simulator(tmp_path):
    environment = dev_environment(8000)
    config = load_config(environ={k: v for k, v in environment.items() if k not in ("DATABASE_URL", "HUEY_FILE")},
                         overrides={"DATABASE_URL": f"sqlite:///{tmp_path / 'dev.db'}", "HUEY_FILE": str(tmp_path / "q.db")})

    assert config["SIMULATOR"] is True and config["REAL_CHANNEL"] is False
    assert config["LINE_API_ENDPOINT"] == "http://127.0.0.1:8000/simulator/api"
    app = create_app(config)
    try:
        client = app.test_client()
        assert client.get("/simulator/").status_code == 200
        # The platform under /simulator/api answers as LINE does: the token is checked.
        denied = client.get("/simulator/api/v2/bot/profile/U0123", headers={"Authorization": "Bearer wrong"})
        assert denied.status_code == 401
        assert client.get("/simulator/api/v2/bot/profile/U0123",
                          headers={"Authorization": f"Bearer {config['LINE_CHANNEL_ACCESS_TOKEN']}"}).status_code == 404
    finally:
        app.extensions["tsunagu"].line.close()
        app.extensions["tsunagu"].db.dispose()


def test_a_development_app_without_a_real_channel_turns_the_simulator_on(tmp_path):
    config = production_config(tmp_path, LINE_API_ENDPOINT="http://127.0.0.1:9/simulator/api")

    app = create_app(config)
    try:
        assert app.test_client().get("/simulator/").status_code == 200
    finally:
        app.extensions["tsunagu"].line.close()
        app.extensions["tsunagu"].db.dispose()


@pytest.mark.parametrize("endpoint", ["https://api.line.me:443", "https://API.LINE.ME/", "https://Api.Line.Me.",
                                      "http://api.line.me", "https://api.line.me:443/v2"])
def test_any_spelling_of_lines_host_is_a_real_channel(tmp_path, endpoint):
    app = create_app(production_config(tmp_path, LINE_API_ENDPOINT=endpoint))
    try:
        client = app.test_client()
        assert app.config["REAL_CHANNEL"] is True
        assert client.get("/simulator/").status_code == 404
        assert "simulator" not in app.extensions
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["LINE_DATA_API_ENDPOINT"] == "https://api-data.line.me"
    finally:
        app.extensions["tsunagu"].line.close()
        app.extensions["tsunagu"].db.dispose()


@pytest.mark.parametrize("endpoint", ["https://api.line.me.example.jp", "https://notline.me", "http://127.0.0.1:9",
                                      "https://line.me@127.0.0.1"])
def test_a_host_that_only_looks_like_line_is_not(endpoint):
    config = load_config({"LINE_API_ENDPOINT": endpoint, "DATABASE_URL": "sqlite://"}, environ={})

    assert config["REAL_CHANNEL"] is False and config["SIMULATOR"] is True
