"""The audit trail: who did what to which record, when, and from where.

Every page that shows personal data, every change, every export and every
login attempt calls :func:`audit`; so does every refused attempt to open a
record or a page (admin/blueprint.py). ``details`` carries codes, counts and
filter values, never personal content (no consultation text, no names) and
never text someone typed: a string detail must be a code (see ``_CODE``), so
an entry cannot be made to say something it does not.

Entries join a hash chain as their transaction commits (bot/services/audit_chain.py).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from admin.settings import admin_state
from bot.i18n import N_
from bot.models import AuditLog, StaffAccount
from bot.models.intake import IntakeRecord
from bot.services import audit_chain
from bot.text import fold

# What the audit browser calls each action; later pages add theirs with
# register_action(). An action not listed here is shown by its code.
ACTION_LABELS: dict[str, str] = {
    "login.success": N_("ログイン"),
    "login.failure": N_("ログイン失敗"),
    "login.locked": N_("アカウントのロック"),
    "logout": N_("ログアウト"),
    "session.expired": N_("操作がないためログアウト"),
    "staff.list": N_("職員アカウント一覧の閲覧"),
    "staff.view": N_("職員アカウントの閲覧"),
    "staff.create": N_("職員アカウントの作成"),
    "staff.update": N_("職員アカウントの変更"),
    "staff.deactivate": N_("職員アカウントの無効化"),
    "staff.reactivate": N_("職員アカウントの再有効化"),
    "staff.password_reset": N_("パスワードの再設定"),
    "staff.unlock": N_("ログイン待ち時間の解除"),
    "audit.view": N_("監査ログの閲覧"),
    "access.denied": N_("アクセスの拒否"),
    "retention.run": N_("保存期間を過ぎた記録の匿名化・削除"),
    "settings.locale": N_("表示言語の変更"),
    "settings.password": N_("パスワードの変更"),
}

TARGET_LABELS: dict[str, str] = {
    "staff_accounts": N_("職員アカウント"),
}

_MAX_DETAIL_TEXT = 100
# What a string detail may hold: codes, receipt numbers, ISO dates (no spaces, no other scripts).
_CODE = re.compile(r"[A-Za-z0-9_.:@+\-/]*")
# A receipt number as staff type it (IW-2026-000010); checked before it is searched or stored.
RECEIPT_NUMBER = re.compile(r"[A-Z]{2,4}-\d{4}-\d{1,9}")


def register_action(action: str, label: str, target_type: str | None = None,
                    target_label: str | None = None) -> None:
    """Name a new action (and its target type) for the audit browser; labels are N_() msgids."""
    ACTION_LABELS[action] = label
    if target_type and target_label:
        TARGET_LABELS[target_type] = target_label


def audit(
    action: str,
    target: Any = None,
    /,
    *,
    session: Session | None = None,
    actor: StaffAccount | Any | None = None,
    **details: Any,
) -> AuditLog:
    """Record one entry in the audit log.

    ``target`` is a model instance (its table name and primary key are
    recorded), a ``(table name, id)`` pair, or None. Pass the ``session`` of the
    change being audited so both commit together; without one the entry is
    written in its own transaction. The actor defaults to the logged-in
    member of staff, the address and browser to the current request's.
    """
    target_type, target_id = _describe_target(target)
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditLog(
        at=admin_state().now(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        ip=request.remote_addr if has_request_context() else None,
        user_agent=request.user_agent.string[:300] if has_request_context() else None,
        details=_clean(details),
    )
    if session is not None:
        return audit_chain.append(session, entry)
    with current_app.extensions["tsunagu"].db.transaction() as own_session:
        audit_chain.append(own_session, entry)
    return entry


def _describe_target(target: Any) -> tuple[str | None, str | None]:
    if target is None:
        return None, None
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), None if ident is None else str(ident)
    table = getattr(target, "__tablename__", None)
    if table is None:
        raise TypeError(f"cannot audit a {type(target).__name__}: pass a model or a (type, id) pair")
    return table, str(target.id)


def _clean(details: Mapping[str, Any]) -> dict[str, Any]:
    """Keep details flat and short: scalars, dates and lists of scalars only."""
    cleaned: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            cleaned[key] = [_scalar(key, item) for item in value]
        else:
            cleaned[key] = _scalar(key, value)
    return cleaned


def _scalar(key: str, value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        if len(value) > _MAX_DETAIL_TEXT or not _CODE.fullmatch(value):
            raise ValueError(f"audit detail {key!r} must be a code, not free text")
        return value
    raise TypeError(f"audit detail {key!r} must be a scalar or a list of scalars, not {type(value).__name__}")


@dataclass(frozen=True)
class AuditFilter:
    """What the audit browser is asked to show; dates are local calendar days, inclusive."""

    actor_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    receipt: str | None = None  # a receipt number: who saw or did what to that record

    def as_details(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value not in (None, "")}


class AuditLogQuery:
    """Read the audit log for the administrators' browser."""

    def __init__(self, session: Session, timezone: str) -> None:
        self.session = session
        self.tz = ZoneInfo(timezone)

    def statement(self, wanted: AuditFilter) -> Select:
        """Entries matching the filter, newest first."""
        stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
        if wanted.actor_id is not None:
            stmt = stmt.where(AuditLog.actor_id == wanted.actor_id)
        if wanted.action:
            stmt = stmt.where(AuditLog.action == wanted.action)
        if wanted.date_from is not None:
            stmt = stmt.where(AuditLog.at >= self._start_of(wanted.date_from))
        if wanted.date_to is not None:
            stmt = stmt.where(AuditLog.at < self._start_of(wanted.date_to + timedelta(days=1)))
        if wanted.receipt:
            stmt = stmt.where(self._about_record(wanted.receipt))
        return stmt

    def _about_record(self, receipt: str):  # noqa: ANN202
        """Entries whose target is the record with this receipt number, or that name it (an export, a deleted record)."""
        named = _names(receipt)
        record_ids = [str(ident) for ident in self.session.scalars(
            select(IntakeRecord.id).where(IntakeRecord.receipt_number == receipt))]
        if not record_ids:
            return named
        return or_(and_(AuditLog.target_type == IntakeRecord.__tablename__, AuditLog.target_id.in_(record_ids)),
                   named)

    def about_record(self, record: IntakeRecord, limit: int = 100) -> list[AuditLog]:
        """Who opened, changed, sent, exported or was refused this record, newest first (its access history)."""
        return list(self.session.scalars(
            select(AuditLog).where(or_(
                and_(AuditLog.target_type == IntakeRecord.__tablename__, AuditLog.target_id == str(record.id)),
                # Exports list the receipt numbers they held; only those entries are read for it.
                and_(AuditLog.action == "records.export", _names(record.receipt_number))))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)))

    def actions_in_use(self) -> list[str]:
        """Every action code that appears in the log, for the filter's choices."""
        return list(self.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))

    def failures_since(self, since: datetime) -> int:
        return self.session.scalar(
            select(func.count()).select_from(AuditLog)
            .where(AuditLog.action == "login.failure", AuditLog.at >= since)
        ) or 0

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.tz)


def _names(receipt: str):  # noqa: ANN202
    """Entries whose details hold this receipt number (a code of letters, digits and -: nothing to escape)."""
    return cast(AuditLog.details, String).like(f'%"{receipt}"%')


def receipt_number(typed: str | None) -> str | None:
    """A receipt number as typed (any width or case: ｉｗ－２０２６－１０), written as stored; None if it is not one."""
    folded = fold(typed or "").upper().replace("ー", "-").replace("−", "-")
    if not RECEIPT_NUMBER.fullmatch(folded):
        return None
    prefix, year, number = folded.split("-")
    return f"{prefix}-{year}-{int(number):06d}"
