"""The access scope every record query goes through: centre staff see their centres only.

There are no intake records yet, so the queries here run against the
staff_centres table, which also has a centre-code column.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from admin.scope import Scope
from bot.models import StaffAccount, StaffCentre


def _scope(app, member) -> Scope:  # noqa: ANN001
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        return Scope.for_account(session.get(StaffAccount, member.id), tsunagu.profile)


def _visible_centres(app, scope: Scope) -> list[str]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        stmt = select(StaffCentre.centre_code).order_by(StaffCentre.centre_code)
        return list(session.scalars(scope.filter_by_centre(stmt, StaffCentre.centre_code)))


def test_each_role_sees_the_centres_it_should(app, staff) -> None:  # noqa: ANN001
    taira, coordinator, admin = (_scope(app, staff[key]) for key in ("taira", "coordinator", "admin"))

    assert taira.centre_codes == {"taira"}
    assert not taira.is_coordinator and not taira.is_admin
    assert coordinator.is_coordinator and len(coordinator.centre_codes) == 7
    assert admin.is_admin and admin.centre_codes == frozenset()

    assert _visible_centres(app, taira) == ["taira"]
    assert _visible_centres(app, coordinator) == ["onahama", "taira"]  # every row
    assert _visible_centres(app, admin) == []  # administrators read no records


@pytest.mark.parametrize(
    ("who", "centre", "visible"),
    [
        ("taira", "taira", True),
        ("taira", "onahama", False),
        ("taira", None, False),  # not routed yet: the coordinator's triage queue
        ("coordinator", "onahama", True),
        ("coordinator", None, True),
        ("admin", "taira", False),
        ("admin", None, False),
    ],
)
def test_a_record_outside_the_scope_is_not_found(app, staff, who, centre, visible) -> None:  # noqa: ANN001
    scope = _scope(app, staff[who])

    assert scope.can_see_centre(centre) is visible
    with app.test_request_context():
        if visible:
            scope.require_centre(centre)
        else:
            with pytest.raises(NotFound):
                scope.require_centre(centre)


def test_one_or_404_finds_only_rows_in_scope(app, staff) -> None:  # noqa: ANN001
    scope = _scope(app, staff["taira"])
    with app.test_request_context(), app.extensions["tsunagu"].db.transaction() as session:
        mine = select(StaffCentre).where(StaffCentre.staff_id == staff["taira"].id)
        theirs = select(StaffCentre).where(StaffCentre.staff_id == staff["onahama"].id)

        assert scope.one_or_404(session, mine, StaffCentre.centre_code).centre_code == "taira"
        with pytest.raises(NotFound):
            scope.one_or_404(session, theirs, StaffCentre.centre_code)


def test_a_centre_missing_from_the_profile_gives_access_to_nothing(make_app, staff) -> None:  # noqa: ANN001
    takamatsu = make_app(MUNICIPALITY="takamatsu")  # the same database, another city's profile

    scope = _scope(takamatsu, staff["taira"])

    assert scope.centre_codes == frozenset()
    assert _visible_centres(takamatsu, scope) == []


@pytest.mark.parametrize(
    ("who", "record_centres", "opens"),
    [
        ("taira", ["onahama", "taira"], True),  # one record of theirs is enough
        ("taira", ["onahama", None], False),
        ("taira", [], False),  # a resident without records is nobody's to read
        ("coordinator", [None], True),
        ("admin", ["taira"], False),
    ],
)
def test_a_resident_page_opens_when_one_of_their_records_is_in_scope(app, staff, who, record_centres, opens) -> None:  # noqa: ANN001
    assert _scope(app, staff[who]).can_open_resident(record_centres) is opens
