"""Households (世帯): staff link residents who live together, and see them together within their scope."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import S_
from bot.models import Resident
from bot.models.households import Household, HouseholdMember
from bot.models.intake import IntakeRecord
from bot.municipality import Municipality
from bot.services.record_queue import ScopeLike

# A member's relationship in the household, as staff choose it.
RELATIONSHIPS: dict[str, str] = {
    "head": S_("世帯主"), "spouse": S_("配偶者"), "child": S_("子"), "parent": S_("親"),
    "sibling": S_("きょうだい"), "grandparent": S_("祖父母"), "grandchild": S_("孫"),
    "relative": S_("その他の親族"), "other": S_("同居人"),
}


class HouseholdError(Exception):
    """A link staff asked for that cannot be made; ``message`` is a msgid for them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Households:
    """Creates households, adds residents to them, and reads them."""

    def __init__(self, session: Session, profile: Municipality) -> None:
        self.session = session
        self.profile = profile

    def membership(self, resident_id: int) -> HouseholdMember | None:
        return self.session.scalars(select(HouseholdMember).where(HouseholdMember.resident_id == resident_id)).first()

    def link(self, scope: ScopeLike, resident: Resident, relationship: str, staff_id: int | None,
             receipt_number: str = "") -> HouseholdMember:
        """Put the resident in a new household, or in that of the resident of a record staff see (by receipt)."""
        if relationship not in RELATIONSHIPS:
            raise HouseholdError(S_("続柄を選んでください。"))
        if self.membership(resident.id) is not None:
            raise HouseholdError(S_("この方はすでに世帯に登録されています。"))
        if receipt_number:
            household = self._household_of_record(scope, receipt_number)
        else:
            household = Household(municipality=self.profile.code, created_by=staff_id)
            self.session.add(household)
        member = HouseholdMember(resident_id=resident.id, relationship_code=relationship, added_by=staff_id)
        household.members.append(member)
        self.session.flush()
        return member

    def leave(self, resident: Resident) -> HouseholdMember:
        """Take the resident out of their household; a household left empty goes too."""
        member = self.membership(resident.id)
        if member is None:
            raise HouseholdError(S_("この方は世帯に登録されていません。"))
        household = member.household
        household.members.remove(member)
        if not household.members:
            self.session.delete(household)
        self.session.flush()
        return member

    def _household_of_record(self, scope: ScopeLike, receipt_number: str) -> Household:
        stmt = select(IntakeRecord).where(IntakeRecord.municipality == self.profile.code,
                                          IntakeRecord.receipt_number == receipt_number.strip().upper())
        record = self.session.scalars(scope.filter_by_centre(stmt, IntakeRecord.centre_code)).first()
        if record is None or record.resident_id is None:
            raise HouseholdError(S_("その受付番号の相談記録が見つかりません。"))
        member = self.membership(record.resident_id)
        if member is None:
            raise HouseholdError(S_("その受付番号の方は、まだ世帯に登録されていません。先にその方のページで世帯を作成してください。"))
        return member.household
