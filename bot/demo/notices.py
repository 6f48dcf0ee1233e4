"""Demo data: residents with お知らせ設定, and one notice sent, for ``make run``.

The residents are demo LINE users (their ids start with ``Udemo``), not
following on a real channel; loading is idempotent.
"""
from __future__ import annotations

from sqlalchemy import select

from bot.models import Resident, utcnow
from bot.models.notices import Notice, NoticeSetting
from bot.services.notices import NoticeService

# (display name, locale, own area, topics, areas chosen): a son in Tokyo chooses his mother's 小川.
DEMO_RESIDENTS = [
    ("デモ 花子", "ja", "taira", ["salons", "health"], []),
    ("デモ 一郎", "ja", None, ["salons", "health"], ["ogawa"]),
    ("Demo Lan", "vi", "onahama", ["children", "consultation"], []),
    ("Demo Amy", "en", "taira", ["disaster"], []),
    ("デモ ふみ", "ja_Hira", "kawamae", ["salons", "disaster"], []),
]


def load(app) -> list[str]:  # noqa: ANN001
    """Create the demo residents' settings and a sent notice unless they exist."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        if session.scalar(select(NoticeSetting.resident_id).limit(1)) is not None:
            return ["notices: settings already present"]
        for number, (name, locale, area, topics, areas) in enumerate(DEMO_RESIDENTS):
            resident = Resident(line_user_id=f"Udemo{number:028x}", display_name=name, locale=locale,
                                area_code=area, is_following=True, followed_at=utcnow())
            session.add(resident)
            session.flush()
            session.add(NoticeSetting(resident_id=resident.id, topics=topics, areas=areas, stopped=False))
        service = NoticeService(session, tsunagu.profile)
        service.save(Notice(), title="小川のサロン再開のお知らせ", topic="salons", areas=["ogawa"], languages=[],
                     texts={"ja": "小川公民館のふれあいサロンを来月から再開します。どなたでもどうぞ。",
                            "ja_Hira": "おがわ こうみんかんの サロンを らいげつから また はじめます。"},
                     essential=False, event_id=None, image_url=None, repeat=Notice.ONCE, send_at=None)
    return [f"notices: {len(DEMO_RESIDENTS)} residents with notice settings, one draft notice"]
