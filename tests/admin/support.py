"""A member of staff in a browser: a test client that sends CSRF tokens like the pages do."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import unescape

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class Clock:
    """The admin view's clock, moved by hand (sessions, lockouts and the audit log read it)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    name: str
    role: str
    password: str
    centres: tuple[str, ...] = ()


@dataclass
class StaffBrowser:
    """Wraps a Flask test client: ``get``, ``post`` (with the CSRF token) and ``log_in``."""

    client: object
    _token: str | None = field(default=None, repr=False)

    def get(self, url: str, **kwargs):  # noqa: ANN003, ANN201
        response = self.client.get(url, **kwargs)
        self._remember_token(response)
        return response

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):  # noqa: ANN003, ANN201
        """Send a form as the page would, with its CSRF token unless ``csrf=False``."""
        data = dict(data or {})
        if csrf:
            token = self.csrf_token()
            data.setdefault("csrf_token", token)
            for prefix in {key.split("-", 1)[0] for key in data if "-" in key}:
                data.setdefault(f"{prefix}-csrf_token", token)
        response = self.client.post(url, data=data, **kwargs)
        self._remember_token(response)
        return response

    def csrf_token(self) -> str:
        if self._token is None:
            response = self.client.get("/admin/settings")
            if response.status_code != 200:
                response = self.client.get("/admin/login")
            self._remember_token(response)
        assert self._token, "no page offered a CSRF token"
        return self._token

    def log_in(self, email: str, password: str, **kwargs):  # noqa: ANN003, ANN201
        self._token = None
        response = self.post("/admin/login", {"email": email, "password": password}, **kwargs)
        self._token = None  # logging in starts a new session, with a new token
        return response

    def log_out(self):  # noqa: ANN201
        response = self.post("/admin/logout")
        self._token = None
        return response

    def _remember_token(self, response) -> None:  # noqa: ANN001
        if response.mimetype == "text/html" and (match := _CSRF_META.search(response.get_data(as_text=True))):
            self._token = unescape(match.group(1))


def page_text(response) -> str:  # noqa: ANN001
    """The page's visible text, roughly: tags removed, entities decoded, spaces squeezed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return " ".join(text.split())


def table_rows(response) -> list[str]:  # noqa: ANN001
    """The text of each row in the page's table bodies."""
    html = response.get_data(as_text=True)
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S)
    rows = [row for body in bodies for row in re.findall(r"<tr\b.*?</tr>", body, flags=re.S)]
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]
