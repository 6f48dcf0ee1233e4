"""Demo data: a year of finished consultations and past salons, so the figures page has something to show.

About 2,400 invented consultations over the last twelve months (more in
winter, centres by population, one or two categories each), all closed or
withdrawn so they stay out of the open queue, with staff's first step,
outcomes and a few escalations; and about 600 past salon and event dates
with their sign-ups. No resident is attached to them. Bulk inserts keep the
load to a second or two; the daily summary is then recounted once.
Loading is idempotent.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from bot.demo.events import VENUES
from bot.models import utcnow
from bot.models.events import Event, SignUp
from bot.models.intake import IntakeRecord
from bot.models.workflow import RecordEvent, RecordWorkflow
from bot.services.figures import FigureSummary, city_day
from bot.services.routing import centre_for_area

# Receipt numbers of the demo year: IW-DEMO-000001 ... (never given to a real consultation).
DEMO_RECEIPT = "{prefix}-DEMO-{number:06d}"
RECORDS = 2400
EVENT_DATES = 600
AREA_WEIGHTS = {"taira": 26, "onahama": 17, "nakoso": 11, "tabito": 2, "joban": 9, "tono": 2, "uchigo": 7,
                "yoshima": 6, "miwa": 2, "yotsukura": 4, "hisanohama_ohisa": 2, "ogawa": 2, "kawamae": 1}
# More consultations in the cold months and at the end of the fiscal year.
MONTH_WEIGHTS = {1: 11, 2: 10, 3: 10, 4: 8, 5: 8, 6: 8, 7: 8, 8: 7, 9: 8, 10: 8, 11: 9, 12: 10}
KINDS = ("salon", "salon", "salon", "orange_cafe", "rehab_exercise", "rehab_exercise", "kaigo_yobo", "kosodate",
         "intergenerational")
TITLES = {"salon": "ふれあいサロン", "orange_cafe": "オレンジカフェ", "rehab_exercise": "シルバーリハビリ体操教室",
          "kaigo_yobo": "介護予防教室", "kosodate": "子育てひろば", "intergenerational": "多世代交流会"}


def load(app) -> list[str]:  # noqa: ANN001
    """Create the demo year unless it is already there."""
    tsunagu = app.extensions["tsunagu"]
    profile = tsunagu.profile
    first_receipt = DEMO_RECEIPT.format(prefix=profile.receipt_prefix, number=1)
    with tsunagu.db.transaction() as session:
        if session.scalar(select(func.count()).select_from(IntakeRecord)
                          .where(IntakeRecord.receipt_number == first_receipt)):
            return ["figures: the demo year is already there"]
        rng = random.Random(2026)
        now = utcnow()
        areas, weights = list(AREA_WEIGHTS), list(AREA_WEIGHTS.values())
        categories = [c.code for c in profile.categories]
        outcomes = [o.code for o in profile.outcomes]
        records, workflows, steps = [], [], []
        days: set = set()
        for n in range(RECORDS):
            created = _moment(rng, now)
            area = None if rng.random() < 0.04 else rng.choices(areas, weights)[0]
            centre = centre_for_area(profile, area).code if area else None
            withdrawn = rng.random() < 0.03
            first_step = created + timedelta(hours=rng.expovariate(1 / 18))
            closed = None if withdrawn else min(now, first_step + timedelta(days=rng.expovariate(1 / 21)))
            records.append({
                "municipality": profile.code, "receipt_number": DEMO_RECEIPT.format(prefix=profile.receipt_prefix,
                                                                                   number=n + 1),
                "source": "intake", "subject": rng.choices(("self", "family", "neighbour"), (55, 33, 12))[0],
                "categories": rng.sample(categories, rng.choice((1, 1, 1, 2))), "area_code": area,
                "area_source": "chosen" if area else "unknown", "centre_code": centre,
                "urgency": rng.choices(("now", "days", "anytime"), (12, 48, 40))[0], "urgent": False,
                "danger_kinds": [], "contact_method": rng.choice(("line", "phone", "meet")),
                "legal_basis": "consent", "consent_at": created, "consent_version": "demo",
                "status": "withdrawn" if withdrawn else "closed", "flags": [], "created_at": created,
                "updated_at": closed or created, "closed_at": closed,
                "withdrawn_at": created + timedelta(days=1) if withdrawn else None,
            })
            days.update(city_day(moment) for moment in (created, closed, records[-1]["withdrawn_at"]) if moment)
        table = IntakeRecord.__table__
        ids = list(session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), records))
        for record_id, record in zip(ids, records):
            if record["closed_at"] is None:
                continue
            first_step = record["created_at"] + (record["closed_at"] - record["created_at"]) * rng.random() * 0.3
            workflows.append({"record_id": record_id, "outcome": rng.choice(outcomes),
                              "escalated_at": first_step if rng.random() < 0.04 else None})
            steps.append({"record_id": record_id, "at": first_step, "actor_kind": "staff", "action": "start",
                          "from_status": "new", "to_status": "in_progress", "details": {}})
        session.execute(insert(RecordWorkflow.__table__), workflows)
        session.execute(insert(RecordEvent.__table__), steps)
        signups = _past_events(session, rng, now, profile)
        FigureSummary.mark(session, days)
        FigureSummary(session).refresh()
    return [f"figures: a year of {RECORDS} finished consultations and {EVENT_DATES} past salons "
            f"({signups} sign-ups) for the figures page"]


def _moment(rng: random.Random, now):  # noqa: ANN001, ANN202
    """A moment in the last twelve months, weighted by month, in office hours mostly."""
    while True:
        moment = now - timedelta(days=rng.randrange(1, 365), hours=rng.randrange(24))
        if rng.random() * 11 < MONTH_WEIGHTS[moment.month]:
            return moment


def _past_events(session, rng: random.Random, now, profile) -> int:  # noqa: ANN001
    """Past salon and event dates with their sign-ups (attended mostly, a few waiting or cancelled)."""
    events = []
    for _ in range(EVENT_DATES):
        area = rng.choices(list(AREA_WEIGHTS), list(AREA_WEIGHTS.values()))[0]
        kind = rng.choice(KINDS)
        starts = (now - timedelta(days=rng.randrange(2, 365))).replace(hour=rng.choice((0, 1, 4, 5)), minute=0,
                                                                       second=0, microsecond=0)
        events.append({
            "title": TITLES[kind], "kind": kind, "area_code": area,
            "centre_code": centre_for_area(profile, area).code, "venue_name": rng.choice(VENUES[area])[0],
            "starts_at": starts, "ends_at": starts + timedelta(hours=2), "capacity": rng.choice((10, 15, 20, 30)),
            "max_party_size": 2, "organiser": "地域の世話人会", "description": "", "status": "scheduled",
            "created_at": starts - timedelta(days=30), "updated_at": starts - timedelta(days=30),
        })
    ids = session.scalars(insert(Event.__table__).returning(Event.__table__.c.id, sort_by_parameter_order=True), events)
    rows = []
    for event_id, event in zip(list(ids), events):
        waiting = 0
        for _ in range(rng.randrange(event["capacity"] // 2, event["capacity"] + 3)):
            status = rng.choices(("attended", "confirmed", "waiting", "cancelled"), (78, 8, 4, 10))[0]
            waiting += status == "waiting"
            rows.append({"event_id": event_id, "resident_id": None, "party_size": rng.choice((1, 1, 1, 2)),
                         "name": "参加者", "status": status, "source": "staff",
                         "waiting_position": waiting if status == "waiting" else None,
                         "created_at": event["created_at"], "updated_at": event["created_at"]})
    session.execute(insert(SignUp.__table__), rows)
    return len(rows)
