"""What staff typed into a form sent after their session ended, kept until they log in again.

A session ends when idle, or by a logout in another tab. The form sent then
cannot be acted on, but its text should not be lost: :func:`keep_posted_form`
stores the fields (never passwords, codes or CSRF tokens) in
``staff_form_stashes`` and sends the browser to the login page, which then
returns to the page the form was on; there :func:`restore_kept_form` hands
the fields to the page (``base.html`` and ``restore.js`` put them back into
the form), once. The row is found by a random key in the session cookie, kept
across the login, so nobody can plant text in someone else's form; it lasts
:data:`KEEP_FOR` and comes back only to the member of staff whose session
ended in that browser (another colleague logging in there gets nothing).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext
from sqlalchemy import delete, select
from werkzeug.exceptions import HTTPException

from admin.settings import admin_state
from bot.models import FormStash

# The session key holding the stash's key (carried across the login).
STASH_KEY = "admin_form_stash"
# The session key naming who was logged in last in this browser (set when a session ends).
LAST_STAFF = "admin_last_staff"
KEEP_FOR = timedelta(hours=1)
# Fields never kept: secrets and what only made sense in the ended session.
_SECRET_PARTS = ("password", "confirm", "code", "csrf_token", "secret")
# Enough for every form of the admin view (the longest text is 2,000 characters); beyond it, nothing is kept.
_MAX_CHARACTERS = 20_000


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def return_page() -> str | None:
    """The admin page a posted form was on (its Referer), if it is one of ours that opens with GET."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    page = parts.path + (f"?{parts.query}" if parts.query else "")
    return page if opens_with_get(page) else None


def opens_with_get(target: str) -> bool:
    """Whether an admin address is a page (not a form's target, which would answer 405), outside the login."""
    path = urlsplit(target).path
    if not path.startswith("/admin/") or "\\" in target:
        return False
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return False
    return endpoint not in {"admin.login", "admin.login_code", "admin.static"}


def keep_posted_form():  # noqa: ANN201
    """Keep the posted form's text, say so, and send the browser to log in (then back to the form's page).

    The text is kept for the member of staff whose session ended in this
    browser; when nobody is known (no session cookie), nothing is kept.
    """
    page = return_page()
    staff_id = session.get(LAST_STAFF)
    fields = [[name, value] for name, value in request.form.items(multi=True)
              if not any(part in name.lower() for part in _SECRET_PARTS)]
    size = sum(len(name) + len(value) for name, value in fields)
    kept = False
    if isinstance(staff_id, int) and page is not None and fields and size <= _MAX_CHARACTERS:
        key = secrets.token_urlsafe(32)
        now = admin_state().now()
        with current_app.extensions["tsunagu"].db.transaction() as db_session:
            forget_old_forms(db_session, now)
            db_session.add(FormStash(key_hash=_digest(key), staff_id=staff_id, page=page[:500],
                                     action=request.path[:500], fields=fields, created_at=now))
        session[STASH_KEY] = key
        kept = True
    if kept:
        flash(gettext("ログインが切れていたため、送信できませんでした。入力した内容は残してあります。"
                      "もう一度ログインすると、元の画面に戻ります。"), "info")
    else:
        flash(gettext("ログインが切れていたため、送信できませんでした。もう一度ログインしてください。"), "info")
    return redirect(url_for("admin.login", next=page))


def forget_old_forms(db_session, now) -> None:  # noqa: ANN001
    """Delete kept forms nobody came back for (also at every login)."""
    db_session.execute(delete(FormStash).where(FormStash.created_at < now - KEEP_FOR))


def carried_over() -> str | None:
    """The stash's key in this session, to keep when the login starts a fresh session."""
    key = session.get(STASH_KEY)
    return key if isinstance(key, str) else None


def restore_kept_form(staff_id: int) -> None:
    """On the page a kept form was on, give the page its fields (``g.restored_form``) and forget them."""
    key = carried_over()
    if key is None or request.method != "GET":
        return
    with current_app.extensions["tsunagu"].db.transaction() as db_session:
        stash = db_session.scalars(select(FormStash).where(FormStash.key_hash == _digest(key))).first()
        if stash is None:
            session.pop(STASH_KEY, None)
            return
        fresh = admin_state().now() - stash.created_at <= KEEP_FOR
        if fresh and stash.staff_id == staff_id and stash.page != request.full_path.rstrip("?"):
            return  # not this page (the login went elsewhere first): wait for it
        session.pop(STASH_KEY, None)
        db_session.delete(stash)
        if not fresh or stash.staff_id != staff_id:
            return  # too old, or someone else's text: dropped
        g.restored_form = {"action": stash.action, "fields": stash.fields}
    flash(gettext("ログインする前に入力した内容を、フォームに戻しました。確かめてから、もう一度送信してください。"), "info")
