"""Security headers on the admin pages: HSTS over HTTPS (as the proxy reports it), Permissions-Policy,
and the headers that were there before."""
from __future__ import annotations

import pytest

from tests.admin.conftest import FAST_HASHING

FORWARDED_HTTPS = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "tsunagu.city.example.jp"}


@pytest.fixture
def app(make_app):  # noqa: ANN001
    return make_app(TRUST_PROXY_HOPS=1, **FAST_HASHING)


def test_https_behind_the_proxy_gets_hsts_with_the_configured_max_age(make_app) -> None:  # noqa: ANN001
    app = make_app(TRUST_PROXY_HOPS=1, HSTS_MAX_AGE_SECONDS=600, **FAST_HASHING)

    response = app.test_client().get("/admin/login", headers=FORWARDED_HTTPS)

    assert response.headers["Strict-Transport-Security"] == "max-age=600"


def test_the_default_max_age_is_a_year(app) -> None:  # noqa: ANN001
    response = app.test_client().get("/admin/login", headers=FORWARDED_HTTPS)

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_plain_http_gets_no_hsts(app) -> None:  # noqa: ANN001
    assert "Strict-Transport-Security" not in app.test_client().get("/admin/login").headers


def test_a_forged_proto_is_not_believed_without_a_trusted_proxy(make_app) -> None:  # noqa: ANN001
    response = make_app(**FAST_HASHING).test_client().get("/admin/login", headers={"X-Forwarded-Proto": "https"})

    assert "Strict-Transport-Security" not in response.headers


def test_browser_features_are_switched_off_and_the_other_headers_kept(app) -> None:  # noqa: ANN001
    response = app.test_client().get("/admin/login", headers=FORWARDED_HTTPS)

    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
