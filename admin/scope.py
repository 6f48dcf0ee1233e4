"""What the logged-in member of staff may see and do.

Every query behind a page, an export or an action goes through the
:class:`Scope` of the account, so access is enforced in the data, not by
hiding links:

- センター職員 (centre staff): the records of their own centres, and, read
  only, the records their centres forwarded on (転送元: they keep the history
  in sight; the workflow refuses them any change, see
  ``bot.services.workflow.Workflow._check_scope``);
- コーディネーター (coordinator): every centre's records, records with no
  centre yet, and the triage queue;
- 管理者 (administrator): staff accounts and the audit log, but no
  consultation records (administering the system is not a reason to read them).

A resident's page (本人ページ) opens for centre staff when one of the
resident's records is theirs (:meth:`Scope.can_open_resident`); it lists
every record by number, centre and status, with contents only in scope.

A record outside the scope is answered with 404, as if it did not exist; a
page the role may not use is answered with 403.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.models.staff import ADMIN, CENTRE_STAFF, COORDINATOR, LIFE_SUPPORT
from bot.models.workflow import RecordHolder
from bot.municipality import Municipality

# Permissions, granted per role below.
VIEW_RECORDS = "view_records"  # see intake records (limited to centre_codes unless ALL_CENTRES)
ALL_CENTRES = "all_centres"  # every centre's records and those with no centre yet
TRIAGE = "triage"  # the coordinator's triage queue and 多機関協働 cases
MANAGE_ACCOUNTS = "manage_accounts"
VIEW_AUDIT = "view_audit"
MUTUAL_AID = "mutual_aid"  # 住民支え合い: read requests and supporters (admin/mutual_aid.py)
MATCH_HELP = "match_help"  # the SC's board: approve supporters, open calls, confirm pairings

PERMISSIONS: dict[str, frozenset[str]] = {
    CENTRE_STAFF: frozenset({VIEW_RECORDS}),
    COORDINATOR: frozenset({VIEW_RECORDS, ALL_CENTRES, TRIAGE}),
    ADMIN: frozenset({MANAGE_ACCOUNTS, VIEW_AUDIT}),
    LIFE_SUPPORT: frozenset({MUTUAL_AID, MATCH_HELP}),
}
for _role in (CENTRE_STAFF, COORDINATOR):
    PERMISSIONS[_role] |= {MUTUAL_AID}  # read the requests of their centres' residents


ROLE_LABELS: dict[str, str] = {
    CENTRE_STAFF: N_("センター職員"),
    COORDINATOR: N_("コーディネーター"),
    ADMIN: N_("管理者"),
    LIFE_SUPPORT: N_("生活支援コーディネーター"),
}

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Scope:
    """One account's access: its role's permissions and the centres whose records it sees."""

    account_id: int
    role: str
    permissions: frozenset[str]
    # Centres whose records this account sees: its own for centre staff, every
    # centre for coordinators, none for administrators.
    centre_codes: frozenset[str]

    @classmethod
    def for_account(cls, account: Any, profile: Municipality) -> Scope:
        """Build the scope of a StaffAccount or StaffUser against the city's centres."""
        permissions = PERMISSIONS.get(account.role, frozenset())
        known = {centre.code for centre in profile.centres}
        if ALL_CENTRES in permissions:
            centres = frozenset(known)
        elif VIEW_RECORDS in permissions:
            # A centre removed from the profile gives access to nothing.
            centres = frozenset(code for code in account.centre_codes if code in known)
        else:
            centres = frozenset()
        return cls(account_id=account.id, role=account.role, permissions=permissions, centre_codes=centres)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def is_coordinator(self) -> bool:
        """Sees every centre and owns the triage queue."""
        return TRIAGE in self.permissions

    @property
    def is_admin(self) -> bool:
        return MANAGE_ACCOUNTS in self.permissions

    @property
    def sees_all_centres(self) -> bool:
        return ALL_CENTRES in self.permissions

    def can_see_centre(self, centre_code: str | None) -> bool:
        """Whether a record routed to this centre (None: not routed yet) is in scope."""
        if not self.can(VIEW_RECORDS):
            return False
        if self.sees_all_centres:
            return True
        return centre_code is not None and centre_code in self.centre_codes

    def can_open_resident(self, record_centres: Iterable[str | None]) -> bool:
        """Whether a resident's page (本人ページ) may be opened: at least one of their records is in scope.

        The page then lists every record's receipt number, centre and status,
        but shows contents only of the records :meth:`can_see_centre` allows.
        """
        return any(self.can_see_centre(code) for code in record_centres)

    def filter_by_centre(self, stmt: Select, centre_column: ColumnElement) -> Select:
        """Limit a query to the rows this scope sees, by the column holding their centre code."""
        if not self.can(VIEW_RECORDS):
            return stmt.where(false())
        if self.sees_all_centres:
            return stmt
        if not self.centre_codes:
            return stmt.where(false())
        return stmt.where(centre_column.in_(sorted(self.centre_codes)))

    def filter_records(self, stmt: Select, record_id: ColumnElement, centre_column: ColumnElement) -> Select:
        """Limit a query of records to those this scope reads: its centres' records and those they forwarded on."""
        if not self.can(VIEW_RECORDS):
            return stmt.where(false())
        if self.sees_all_centres:
            return stmt
        if not self.centre_codes:
            return stmt.where(false())
        centres = sorted(self.centre_codes)
        held = select(RecordHolder.record_id).where(RecordHolder.centre_code.in_(centres))
        return stmt.where(or_(centre_column.in_(centres), record_id.in_(held)))

    def require_centre(self, centre_code: str | None) -> None:
        """Answer 404 unless a record routed to this centre is in scope."""
        if not self.can_see_centre(centre_code):
            abort(404)

    def one_or_404(self, session: Session, stmt: Select, centre_column: ColumnElement) -> Any:
        """The single row of ``stmt`` within this scope, or 404 (also when it exists elsewhere)."""
        row = session.scalars(self.filter_by_centre(stmt, centre_column).limit(1)).first()
        if row is None:
            abort(404)
        return row


def current_scope() -> Scope:
    """The scope of the logged-in member of staff (built once per request)."""
    if not current_user.is_authenticated:
        abort(404)
    scope = g.get("admin_scope")
    if scope is None or scope.account_id != current_user.id:
        scope = g.admin_scope = Scope.for_account(current_user, current_app.extensions["tsunagu"].profile)
    return scope


def requires(permission: str) -> Callable[[F], F]:
    """Let only roles with this permission use a view; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_scope().can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
