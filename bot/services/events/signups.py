"""Signing up and cancelling, and the waiting list (キャンセル待ち).

No overbooking: every change to an event's sign-ups first locks the event
row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the transaction
already holds the database's write lock from ``BEGIN IMMEDIATE``) and only
then counts the seats taken, so two sign-ups for the last seat are decided
one after the other and never both confirmed.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, literal, select

from bot.models import Event, Resident, SignUp
from bot.services.events.base import EventError, EventNotFound, EventsBase
from bot.services.phone import normalise_phone

MAX_NAME_LENGTH = 50


class SignUpNotFound(EventError):
    """No such sign-up, or not the resident's own."""


class EventCancelled(EventError):
    """The event has been cancelled (中止)."""


class SignUpNotOpen(EventError):
    """Sign-ups for this event open later."""

    def __init__(self, opens_at: datetime) -> None:
        super().__init__(f"sign-ups open at {opens_at.isoformat()}")
        self.opens_at = opens_at


class SignUpClosed(EventError):
    """Sign-ups for this event have closed (or it has started)."""


class PartyTooLarge(EventError):
    """More people than the event takes in one sign-up."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} people per sign-up")
        self.limit = limit


class AlreadySignedUp(EventError):
    """The resident already holds an active sign-up for this event date."""

    def __init__(self, signup: SignUp) -> None:
        super().__init__(f"already signed up (sign-up {signup.id})")
        self.signup = signup
        self.signup_id = signup.id


class CancellationClosed(EventError):
    """The cancellation deadline has passed; the organiser must be contacted."""

    def __init__(self, deadline: datetime) -> None:
        super().__init__(f"cancellation closed at {deadline.isoformat()}")
        self.deadline = deadline


class SignUpNotActive(EventError):
    """The sign-up is not in a state that allows this (e.g. already cancelled)."""


class InvalidName(EventError):
    """The name is empty or too long."""


class AttendanceNotYet(EventError):
    """Attendance is recorded from the event's day on (in the city's time zone), not before."""

    def __init__(self, day: date) -> None:
        super().__init__(f"attendance opens on {day.isoformat()}")
        self.day = day


@dataclass(frozen=True)
class Tally:
    taken: int
    waiting: int
    residents_signup_id: int | None


@dataclass(frozen=True)
class Cancellation:
    signup: SignUp
    was_status: str
    promoted: list[SignUp]  # confirmed from the waiting list, in order; each was sent a push


def clean_name(raw: str) -> str:
    """The name as given, tidied: NFKC spaces collapsed; 1 to 50 characters."""
    name = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if not name:
        raise InvalidName("empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidName("too long")
    return name


class SignUps(EventsBase):
    """Residents' sign-ups (and staff's by hand), the waiting list, and attendance on the day."""

    def active_signup(self, event_id: int, resident: Resident) -> SignUp | None:
        return self.session.scalars(
            select(SignUp).where(
                SignUp.event_id == event_id, SignUp.resident_id == resident.id, SignUp.status.in_(SignUp.ACTIVE)
            )
        ).first()

    def signups_among(self, resident: Resident, event_ids: Iterable[int]) -> dict[int, SignUp]:
        """The resident's active sign-up for each of these events that has one, by event id."""
        ids = list(event_ids)
        if not ids:
            return {}
        return {
            signup.event_id: signup
            for signup in self.session.scalars(
                select(SignUp).where(
                    SignUp.resident_id == resident.id, SignUp.event_id.in_(ids), SignUp.status.in_(SignUp.ACTIVE)
                )
            )
        }

    def upcoming_signups(self, resident: Resident) -> list[SignUp]:
        """The resident's active sign-ups for events still to come, soonest first."""
        return list(
            self.session.scalars(
                select(SignUp)
                .join(Event, SignUp.event_id == Event.id)
                .where(
                    SignUp.resident_id == resident.id,
                    SignUp.status.in_((SignUp.CONFIRMED, SignUp.WAITING)),
                    Event.status == Event.SCHEDULED,
                    Event.starts_at > self.clock(),
                )
                .order_by(Event.starts_at, SignUp.id)
            )
        )

    def get_signup(self, signup_id: int, resident: Resident | None = None) -> SignUp:
        """The sign-up; with ``resident``, only if it is theirs."""
        signup = self.session.get(SignUp, signup_id)
        if signup is None or (resident is not None and signup.resident_id != resident.id):
            raise SignUpNotFound(signup_id)
        return signup

    def sign_up(
        self,
        event_id: int,
        *,
        resident: Resident | None,
        party_size: int,
        name: str,
        phone: str | None = None,
        by_staff: bool = False,
    ) -> SignUp:
        """Confirm the sign-up if the party fits in the seats left, else put it on the waiting list."""
        name = clean_name(name)
        phone = normalise_phone(phone) if phone else None
        event = self._lock(event_id)  # everything below is decided under the lock
        now = self.clock()
        if event.is_cancelled:
            raise EventCancelled(event_id)
        if not by_staff:
            # Staff may take a phoned-in sign-up outside the window, e.g. the day before.
            if event.signup_opens_at and now < event.signup_opens_at:
                raise SignUpNotOpen(event.signup_opens_at)
            if now >= event.closes_at:
                raise SignUpClosed(event_id)
        limit = min(event.max_party_size, event.capacity)
        if not 1 <= party_size <= limit:
            raise PartyTooLarge(limit)
        tally = self._tally(event.id, resident)
        if tally.residents_signup_id is not None:
            raise AlreadySignedUp(self.session.get(SignUp, tally.residents_signup_id))
        signup = SignUp(
            event_id=event.id,
            resident_id=resident.id if resident is not None else None,
            party_size=party_size,
            name=name,
            phone=phone,
            source=SignUp.STAFF if by_staff else SignUp.LINE,
            created_at=now,
            updated_at=now,
        )
        if party_size <= event.capacity - tally.taken:
            signup.status, signup.confirmed_at = SignUp.CONFIRMED, now
        else:
            signup.status, signup.waiting_position = SignUp.WAITING, tally.waiting + 1
        self.session.add(signup)
        self.session.flush()
        return signup

    def add_signup_by_hand(self, event_id: int, *, name: str, party_size: int, phone: str | None = None) -> SignUp:
        """Staff: take a sign-up for someone who phoned (same seats and waiting list as LINE)."""
        self._staff_event(event_id)
        return self.sign_up(event_id, resident=None, party_size=party_size, name=name, phone=phone, by_staff=True)

    def cancel_signup(self, signup_id: int, *, resident: Resident | None = None) -> Cancellation:
        """Cancel a sign-up, free its seats and promote the waiting list.

        With ``resident`` it is the resident's own cancellation: only their
        sign-up and only until the cancellation deadline. Without, it is
        staff's (no deadline; the scope applies).
        """
        signup = self.get_signup(signup_id, resident)
        if resident is None:
            self._staff_event(signup.event_id)
        event = self._lock(signup.event_id)
        signup = self._reload(signup.id)
        now = self.clock()
        if signup.status not in (SignUp.CONFIRMED, SignUp.WAITING):
            raise SignUpNotActive(signup.status)
        if resident is not None and now >= event.cancellable_until:
            raise CancellationClosed(event.cancellable_until)
        was_status = signup.status
        signup.status, signup.waiting_position = SignUp.CANCELLED, None
        signup.cancelled_at, signup.updated_at = now, now
        signup.cancelled_by = "resident" if resident is not None else "staff"
        self.session.flush()
        promoted = self._promote_waiting_list(event) if was_status == SignUp.CONFIRMED else []
        self._renumber_waiting_list(event.id)
        return Cancellation(signup, was_status, promoted)

    # -- the lock and the waiting list ---------------------------------------------------------

    def _lock(self, event_id: int) -> Event:
        """Lock the event row for this transaction and read it afresh."""
        event = self.session.scalars(
            select(Event)
            .where(Event.id == event_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if event is None:
            raise EventNotFound(event_id)
        return event

    def _tally(self, event_id: int, resident: Resident | None = None) -> Tally:
        """Seats taken, sign-ups waiting and the resident's active sign-up, in one query.

        Called under the event's lock, so the answer holds until commit.
        """
        holding = SignUp.status.in_(SignUp.HOLDING_SEATS)
        mine = (SignUp.resident_id == resident.id) & SignUp.status.in_(SignUp.ACTIVE) if resident else None
        taken, waiting, signup_id = self.session.execute(
            select(
                func.coalesce(func.sum(case((holding, SignUp.party_size), else_=0)), 0),
                func.count(case((SignUp.status == SignUp.WAITING, 1))),
                func.max(case((mine, SignUp.id))) if mine is not None else literal(None),
            ).where(SignUp.event_id == event_id)
        ).one()
        return Tally(int(taken), int(waiting), signup_id)

    def _waiting_list(self, event_id: int) -> list[SignUp]:
        return list(
            self.session.scalars(
                select(SignUp)
                .where(SignUp.event_id == event_id, SignUp.status == SignUp.WAITING)
                .order_by(SignUp.waiting_position, SignUp.created_at, SignUp.id)
                .execution_options(populate_existing=True)
            )
        )

    def _promote_waiting_list(self, event: Event) -> list[SignUp]:
        """Confirm, in order, each waiting sign-up whose party fits the seats now free; push to them.

        The caller holds the event lock. A party too large for the seats
        left keeps its place while smaller parties behind it are confirmed.
        """
        now = self.clock()
        if event.is_cancelled or event.starts_at <= now:
            return []
        free = event.capacity - self._tally(event.id).taken
        promoted = []
        for signup in self._waiting_list(event.id):
            if free <= 0:
                break
            if signup.party_size <= free:
                free -= signup.party_size
                signup.status, signup.waiting_position = SignUp.CONFIRMED, None
                signup.confirmed_at = signup.promoted_at = signup.updated_at = now
                promoted.append(signup)
        self.session.flush()
        for signup in promoted:
            self.notices.promoted(signup, now)
        return promoted

    def _renumber_waiting_list(self, event_id: int) -> None:
        """Keep waiting positions 1, 2, 3... in the same order."""
        for position, signup in enumerate(self._waiting_list(event_id), start=1):
            if signup.waiting_position != position:
                signup.waiting_position = position
        self.session.flush()

    # -- staff: the sign-up list and attendance -----------------------------------------------

    def signups(self, event_id: int) -> list[SignUp]:
        """Staff: the event's sign-ups: confirmed and attended, then the waiting list in order, then cancelled."""
        self._staff_event(event_id)
        rank = {SignUp.CONFIRMED: 0, SignUp.ATTENDED: 0, SignUp.WAITING: 1, SignUp.CANCELLED: 2}
        rows = self.session.scalars(select(SignUp).where(SignUp.event_id == event_id))
        return sorted(rows, key=lambda s: (rank.get(s.status, 3), s.waiting_position or 0, s.created_at, s.id))

    def set_attended(self, signup_id: int, attended: bool = True) -> SignUp:
        """Staff: mark a confirmed sign-up as attended on the day (or undo it).

        Ticking is refused before the event's day: a tick entered by mistake
        the week before would read as "came". Undoing is always allowed.
        """
        signup = self.get_signup(signup_id)
        self._staff_event(signup.event_id)
        event = self._lock(signup.event_id)
        signup = self._reload(signup.id)
        now = self.clock()
        if attended and not self.attendance_open(event):
            raise AttendanceNotYet(self.event_day(event))
        if attended and signup.status == SignUp.CONFIRMED:
            signup.status, signup.attended_at = SignUp.ATTENDED, now
        elif not attended and signup.status == SignUp.ATTENDED:
            signup.status, signup.attended_at = SignUp.CONFIRMED, None
        elif signup.status != (SignUp.ATTENDED if attended else SignUp.CONFIRMED):
            raise SignUpNotActive(signup.status)
        signup.updated_at = now
        self.session.flush()
        return signup
