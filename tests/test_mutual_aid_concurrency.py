"""Two supporters can never both take the same open call: many 「引き受けます」 at the same moment.

The real test needs PostgreSQL (row locks, parallel transactions): run it
with DATABASE_URL=postgresql+psycopg://... On SQLite a smaller version runs,
where the write lock serialises the transactions.
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from bot.models import HelpOffer, HelpRequest
from bot.services.mutual_aid import Answer, MutualAidService
from tests.events_support import resident, tsunagu_of
from tests.test_events_concurrency import run_together

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


def open_call_to(app, supporters: int) -> tuple[int, list[tuple[str, int]]]:  # noqa: ANN001
    """A request in 平 and an open call to ``supporters`` approved supporters; their user ids and offers."""
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        service = MutualAidService(session, tsunagu.profile)
        request = service.ask(tasks=["shopping"], area_code="taira", name="佐藤", phone="0246221111", staff_id=None)
        users = [f"U{n:032x}" for n in range(supporters)]
        ids = []
        for user in users:
            person = resident(session, user, "支え手")
            registered = service.register_supporter(person, name=user[-4:], tasks=["shopping"], area_codes=["taira"])
            service.approve(registered.id, None, insurance="ボランティア活動保険")
            ids.append(registered.id)
        offers = service.open_call(request.id, ids, None)
        return request.id, [(user, offer.id) for user, offer in zip(users, offers, strict=True)]


def accept_job(app, user: str, offer_id: int, outcomes: list[str]):  # noqa: ANN001, ANN201
    tsunagu = tsunagu_of(app)

    def job() -> None:
        with tsunagu.db.transaction() as session:
            outcomes.append(MutualAidService(session, tsunagu.profile).answer(
                offer_id, resident(session, user), accept=True).outcome)

    return job


@pytest.mark.parametrize("rounds", [3])
def test_the_first_acceptance_wins_and_the_others_are_told_it_is_filled(app, rounds):
    supporters = 12 if ON_POSTGRES else 4
    for _ in range(rounds):
        request_id, offers = open_call_to(app, supporters)
        outcomes: list[str] = []
        errors = run_together([accept_job(app, user, offer_id, outcomes) for user, offer_id in offers])
        assert errors == []
        assert sorted(outcomes) == [Answer.FILLED] * (supporters - 1) + [Answer.TAKEN]
        with tsunagu_of(app).db.transaction() as session:
            statuses = [o.status for o in session.scalars(select(HelpOffer).where(HelpOffer.request_id == request_id))]
            request = session.get(HelpRequest, request_id)
            assert statuses.count(HelpOffer.ACCEPTED) == 1
            assert request.status == HelpRequest.MATCHED
            winner = session.scalars(select(HelpOffer).where(HelpOffer.request_id == request_id,
                                                             HelpOffer.status == HelpOffer.ACCEPTED)).one()
            assert request.supporter_id == winner.supporter_id
