"""What every part of the events service stands on.

The caller's transaction, the city's clock and time zone, the outbox for
pushes, and the staff scope: staff of a centre manage only the events of
their centres (``centre_scope``); an event outside the scope is "not found".
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.messaging.outbox import Outbox
from bot.models import Event, SignUp, utcnow
from bot.municipality import Municipality
from bot.services.events.notices import EventNotices

# Kinds of gathering residents can look for, in the order they are offered.
KINDS: dict[str, str] = {
    "salon": N_("サロン"),
    "orange_cafe": N_("オレンジカフェ"),
    "rehab_exercise": N_("シルバーリハビリ体操教室"),
    "kosodate": N_("子育てひろば"),
    "kaigo_yobo": N_("介護予防教室"),
    "course": N_("講座"),
    "intergenerational": N_("多世代交流"),
}


class EventError(Exception):
    """Something asked of the events service that cannot be done."""


class EventNotFound(EventError):
    """No such event (or it belongs to a centre outside the caller's scope)."""


class EventsBase:
    """Events and sign-ups in the caller's transaction.

    Pushes the service causes (promotions, change and cancellation notices,
    reminders) are queued in ``outbox``, in the same transaction; after
    commit the caller delivers to ``notified_recipients`` (the sweeper
    picks them up otherwise).
    """

    def __init__(
        self,
        session: Session,
        profile: Municipality,
        clock: Callable[[], datetime] = utcnow,
        *,
        outbox: Outbox | None = None,
        centre_scope: Collection[str] | None = None,
    ) -> None:
        self.session = session
        self.profile = profile
        self.clock = clock
        self.tz = ZoneInfo(profile.timezone)
        self.outbox = outbox if outbox is not None else Outbox(session)
        self.notices = EventNotices(self.outbox, profile.timezone)
        self.centre_scope = frozenset(centre_scope) if centre_scope is not None else None

    @property
    def notified_recipients(self) -> set[str]:
        """LINE user ids with pushes queued by this service (deliver them after commit)."""
        return {message.to for message in self.outbox.queued}

    # -- time ---------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def local_midnight(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.tz).astimezone(timezone.utc)

    def at_local(self, day: date, clock_time: time) -> datetime:
        return datetime.combine(day, clock_time, tzinfo=self.tz).astimezone(timezone.utc)

    def today(self) -> date:
        return self.local(self.clock()).date()

    def event_day(self, event: Event) -> date:
        """The day the event takes place, in the city's time zone."""
        return self.local(event.starts_at).date()

    def attendance_open(self, event: Event) -> bool:
        """Whether attendance can be ticked yet: from the event's day on."""
        return self.today() >= self.event_day(event)

    # -- reading rows -------------------------------------------------------------------

    def get(self, event_id: int) -> Event:
        event = self.session.get(Event, event_id)
        if event is None:
            raise EventNotFound(event_id)
        return event

    def _reload(self, signup_id: int) -> SignUp:
        """The sign-up as the database has it now (after taking the lock)."""
        return self.session.scalars(
            select(SignUp).where(SignUp.id == signup_id).execution_options(populate_existing=True)
        ).one()

    # -- the staff scope ----------------------------------------------------------------

    def _in_scope(self, centre_code: str) -> bool:
        return self.centre_scope is None or centre_code in self.centre_scope

    def _staff_event(self, event_id: int) -> Event:
        event = self.session.get(Event, event_id)
        if event is None or not self._in_scope(event.centre_code):
            raise EventNotFound(event_id)
        return event

    def staff_event(self, event_id: int) -> Event:
        """Staff: the event, if it belongs to a centre in the scope."""
        return self._staff_event(event_id)
