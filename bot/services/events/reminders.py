"""The reminder residents get the day before an event they signed up for."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select, update

from bot.models import Event, Resident, SignUp
from bot.services.events.base import EventsBase


class EventReminders(EventsBase):
    """Which reminders are due, and sending each exactly once."""

    def reminder_moment(self, event: Event, hour: int, minute: int = 0) -> datetime:
        """When the reminder for an event is due: the day before, at the configured local time."""
        day_before = self.local(event.starts_at).date() - timedelta(days=1)
        return self.at_local(day_before, time(hour, minute))

    def due_reminders(self, hour: int, minute: int = 0) -> list[int]:
        """Sign-ups that should get their reminder now and have not.

        Sign-ups confirmed after the reminder moment are left out: their
        confirmation was as recent as a reminder would be.
        """
        now = self.clock()
        events = self.session.scalars(
            select(Event).where(
                Event.status == Event.SCHEDULED,
                Event.starts_at > now,
                Event.starts_at <= now + timedelta(days=2),
            )
        )
        moments = {event.id: moment for event in events if (moment := self.reminder_moment(event, hour, minute)) <= now}
        if not moments:
            return []
        rows = self.session.execute(
            select(SignUp.id, SignUp.event_id, SignUp.confirmed_at)
            .join(Resident, SignUp.resident_id == Resident.id)
            .where(
                SignUp.event_id.in_(list(moments)),
                SignUp.status == SignUp.CONFIRMED,
                SignUp.reminded_at.is_(None),
                Resident.blocked_at.is_(None),
            )
            .order_by(SignUp.id)
        )
        return [signup_id for signup_id, event_id, confirmed_at in rows if confirmed_at <= moments[event_id]]

    def send_reminder(self, signup_id: int) -> bool:
        """Claim the sign-up's reminder and queue it, in this transaction; False if another worker did.

        The claim is a conditional update: of two workers, the second one's
        update finds ``reminded_at`` already set (PostgreSQL re-checks the
        row after the first commits; SQLite runs the two one after the other).
        """
        now = self.clock()
        claimed = self.session.execute(
            update(SignUp)
            .where(SignUp.id == signup_id, SignUp.status == SignUp.CONFIRMED, SignUp.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            return False
        return self.notices.reminder(self._reload(signup_id), now)
