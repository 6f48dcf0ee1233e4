"""Salons and events (サロン・イベント): finding them, signing up, the waiting list, and the staff side.

One module per part, each a class on the shared footing in ``base``:

- ``search``: what a resident finds, and the seats left (:class:`EventSearch`)
- ``signups``: signing up, cancelling, the waiting list, attendance (:class:`SignUps`)
- ``reminders``: the push the day before (:class:`EventReminders`)
- ``staff``: staff's single events (:class:`StaffEvents`)
- ``series``: recurring events (:class:`StaffSeries`)
- ``figures``: the numbers per event and the CSV (:class:`SignUpFigures`)
- ``notices``: what residents are pushed about their sign-ups

The same service serves the bot (residents) and the admin view (staff).
"""
from __future__ import annotations

from bot.services.events.figures import SignUpFigures
from bot.services.events.reminders import EventReminders
from bot.services.events.search import EventSearch
from bot.services.events.series import StaffSeries


class EventService(EventSearch, EventReminders, StaffSeries, SignUpFigures):
    """Every part in one object, for callers that use several (the events flows, the admin pages).

    Each part builds only on what it needs (``StaffSeries`` on ``StaffEvents``
    on ``SignUps``), so a caller that needs one part can use that class alone.
    """
