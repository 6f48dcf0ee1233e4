"""Demo data: consultations across Iwaki's centres, so the admin view has a morning's work.

Eight invented households (no real person): an 8050 family, a resident who
lost their job and cannot pay the rent, a neighbour worried about an older
woman living alone, a tired parent, someone who does not know where to
start (the coordinator's triage queue), a DV message that made a minimal
urgent record, a long-standing ひきこもり case now closed, and a wheelchair
user whose flat no longer fits. Loading is idempotent.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from bot.models import utcnow
from bot.models.intake import IntakeRecord, RecordStatus
from bot.services.intake import Answers, IntakeService
from bot.services.residents import ResidentService


def demo_user_id(n: int) -> str:
    """A LINE-shaped user id (U + 32 hex digits) that no real resident has."""
    return "U" + hashlib.sha256(f"tsunagu-intake-demo-{n}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class DemoConsultation:
    name: str
    hours_ago: int
    subject: str
    categories: list[str]
    area: str | None
    details: list[str]
    urgency: str
    contact: str
    phone: str | None = None
    times: str | None = None
    status: str = RecordStatus.NEW
    thread: list[str] = field(default_factory=list)


CONSULTATIONS = [
    DemoConsultation(
        "鈴木 和子", 2, "family", ["elderly", "family"], "taira",
        ["80代の母と50代の兄の二人暮らしです。兄は10年以上働いておらず、母の年金で生活しています。",
         "最近、母の物忘れが増えてきて、兄だけでは見ていられないと思います。私は県外に住んでいます。"],
        "days", "phone", "080-2345-6789", "平日の午前",
    ),
    DemoConsultation(
        "佐藤 健", 5, "self", ["money", "work", "housing"], "onahama",
        ["先月、仕事を辞めてから収入がありません。家賃が2か月払えていません。"],
        "now", "line", thread=["大家さんから、今月中に払えなければ出てほしいと言われました。"],
    ),
    DemoConsultation(
        "高橋 良子", 20, "neighbour", ["elderly", "daily_help"], "nakoso",
        ["近所で一人暮らしのおばあさん。最近ごみ出しができていないようで、郵便受けに新聞がたまっています。"],
        "days", "meet", times="平日の午後", status=RecordStatus.TRIAGED,
    ),
    DemoConsultation(
        "田中 美咲", 30, "self", ["children", "health"], "joban",
        ["3歳の子の夜泣きで、もう何か月もまとまって眠れていません。夫は単身赴任中です。"],
        "days", "line", status=RecordStatus.IN_PROGRESS,
    ),
    DemoConsultation(
        "伊藤 誠", 48, "self", ["unknown"], None,
        ["何から相談すればいいのか、どこに相談すればいいのかもわかりません。"],
        "anytime", "phone", "0246-23-4567", "いつでもよい",
    ),
    DemoConsultation(
        "山本 直樹", 24 * 20, "family", ["hikikomori"], "yotsukura",
        ["30代の息子が10年ほど部屋から出てきません。親も70代になり、この先が心配です。"],
        "anytime", "meet", times="平日の午前", status=RecordStatus.CLOSED,
    ),
    DemoConsultation(
        "中村 正", 24 * 3, "self", ["disability", "housing"], "ogawa",
        ["車いすを使うようになり、今のアパートの階段が上れなくなりました。住み替えを考えています。"],
        "days", "phone", "090-3456-7890", "平日の午後", status=RecordStatus.FORWARDED,
    ),
]
# A message that signalled danger, outside any consultation: a minimal urgent record.
DANGER = ("小林 由美", 1, "uchigo", "夫に殴られて、いまは実家に逃げています。子どもも一緒です。", ["dv"])


def load(app) -> list[str]:  # noqa: ANN001
    """Create the demo consultations unless they are already there."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        residents = ResidentService(session)
        service = IntakeService(session, tsunagu.profile)
        first = residents.get_or_create(demo_user_id(0))
        if session.scalar(select(func.count()).select_from(IntakeRecord).where(IntakeRecord.resident_id == first.id)):
            return ["intake: demo consultations already present"]
        now = utcnow()
        for n, item in enumerate(CONSULTATIONS):
            resident = residents.get_or_create(demo_user_id(n))
            resident.display_name = item.name
            at = now - timedelta(hours=item.hours_ago)
            answers = Answers(
                subject=item.subject, categories=item.categories, area_code=item.area,
                area_source="chosen" if item.area else "unknown", urgency=item.urgency,
                contact_method=item.contact, phone=item.phone, contact_times=item.times,
                details=[{"kind": "text", "id": f"demo-{n}-{i}", "text": t} for i, t in enumerate(item.details)],
            )
            record = service.submit(resident, answers, consent_at=at)
            for text in item.thread:
                service.add_message(record, text=text)
            _backdate(record, at, item.status)
        name, hours_ago, area, text, kinds = DANGER
        resident = residents.get_or_create(demo_user_id(len(CONSULTATIONS)))
        resident.display_name, resident.area_code = name, area
        record, _ = service.raise_alarm(resident, text, None, kinds)
        _backdate(record, now - timedelta(hours=hours_ago), RecordStatus.NEW)
    return [f"intake: {len(CONSULTATIONS) + 1} demo consultations at all 7 centres (2 urgent, 1 in the coordinator's triage)"]


def _backdate(record: IntakeRecord, at, status: str) -> None:  # noqa: ANN001
    """Place a demo record in the past, with the status staff would have given it by now."""
    record.created_at = record.updated_at = at
    if record.urgent_at:
        record.urgent_at = at
    for message in record.messages:
        message.created_at = at
    record.status = status
    if status == RecordStatus.CLOSED:
        record.closed_at = at + timedelta(days=14)
