"""Demo data: a month of gatherings across Iwaki's 13 areas, from tomorrow on.

Venues are generic names (公民館, 集会所) with coordinates near each area's
centroid; they are not real addresses. A few events are nearly full or on
the waiting list, and the シルバーリハビリ体操教室 in 平 is a weekly series.
Loading is idempotent: nothing is added while upcoming events exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, select

from bot.models import Event, EventSeries, utcnow
from bot.services.events import EventService
from bot.services.events.staff import EventDraft
from bot.services.routing import centre_for_area

# area -> (venue, offset of the venue from the area's centroid in degrees)
VENUES = {
    "taira": [("平 中央公民館", 0.002, -0.003), ("平 東部集会所", -0.006, 0.008)],
    "onahama": [("小名浜 公民館", 0.003, 0.002), ("小名浜 港町集会所", -0.004, 0.006)],
    "nakoso": [("勿来 公民館", 0.002, 0.004), ("植田 地区集会所", 0.007, -0.005)],
    "tabito": [("田人 ふれあい館", 0.001, 0.002)],
    "joban": [("常磐 公民館", -0.002, 0.003), ("湯本 地区集会所", 0.004, -0.004)],
    "tono": [("遠野 公民館", 0.002, -0.002)],
    "uchigo": [("内郷 公民館", -0.003, 0.002)],
    "yoshima": [("好間 公民館", 0.003, 0.001)],
    "miwa": [("三和 ふれあい館", -0.002, 0.003)],
    "yotsukura": [("四倉 公民館", 0.002, -0.006)],
    "hisanohama_ohisa": [("久之浜 公民館", 0.001, 0.004), ("大久 集会所", 0.012, -0.015)],
    "ogawa": [("小川 公民館", -0.003, -0.002)],
    "kawamae": [("川前 集会所", 0.002, 0.003)],
}


@dataclass(frozen=True)
class DemoEvent:
    day: int  # days from today
    area: str
    venue: int  # index into VENUES[area]
    kind: str
    title: str
    start: tuple[int, int]
    minutes: int
    capacity: int
    description: str
    organiser: str
    fee: str = "無料"
    bring: str = ""
    access: str = ""
    max_party: int = 2
    taken: int = 0  # seats already taken by phoned-in sign-ups (to show nearly full events)
    waiting: int = 0  # and people on the waiting list


SALON = "地域の方ならどなたでも。お茶を飲みながらおしゃべりや脳トレを楽しみます。"
CAFE = "認知症の方やご家族、地域の方がどなたでも気軽に立ち寄れるカフェです。介護の相談もできます。"
HIROBA = "0〜3歳のお子さんと保護者の方向け。手遊びや読み聞かせ、子育ての相談ができます。"
YOBO = "転倒予防の体操と、お口の健康の話。椅子に座ってできる内容です。"

EVENTS = [
    DemoEvent(1, "onahama", 0, "salon", "ふれあいサロン 小名浜", (13, 30), 90, 20, SALON, "小名浜地区社会福祉協議会",
              "100円（お茶代）", access="会場は1階です。車いすで入れます。", taken=17),
    DemoEvent(2, "taira", 1, "orange_cafe", "オレンジカフェ たいら", (14, 0), 120, 15, CAFE, "平地域包括支援センター",
              "100円（飲み物代）", access="車いすで入れます。送迎はありません。", taken=15, waiting=2),
    DemoEvent(2, "kawamae", 0, "salon", "山あいの茶話会", (10, 0), 120, 12, SALON, "川前地区 住民支え合いの会",
              "無料", access="畳の部屋です。椅子もご用意できます。"),
    DemoEvent(3, "uchigo", 0, "kosodate", "子育てひろば うちごう", (10, 0), 90, 10, HIROBA, "内郷・好間・三和地区保健福祉センター",
              bring="飲み物、おむつなど", max_party=3, taken=9),
    DemoEvent(4, "nakoso", 0, "kaigo_yobo", "いきいき介護予防教室", (10, 0), 90, 25, YOBO, "勿来・田人地区保健福祉センター",
              bring="上履き、タオル、飲み物"),
    DemoEvent(5, "yotsukura", 0, "salon", "四倉 いきいきサロン", (13, 30), 90, 20, SALON, "四倉地区社会福祉協議会",
              "100円（お茶代）"),
    DemoEvent(6, "yoshima", 0, "intergenerational", "昔あそびで多世代交流", (13, 0), 120, 30,
              "こま回しやお手玉を、地域のお年寄りが子どもたちに教えます。親子での参加も歓迎です。", "好間地区 まちづくり協議会",
              max_party=4),
    DemoEvent(7, "joban", 1, "orange_cafe", "オレンジカフェ ゆもと", (13, 30), 120, 15, CAFE, "常磐地域包括支援センター",
              "100円（飲み物代）"),
    DemoEvent(8, "tabito", 0, "salon", "田人 ふれあいサロン", (10, 0), 120, 15, SALON, "田人地区 民生委員・児童委員協議会",
              access="送迎のご相談は主催者へ。"),
    DemoEvent(9, "onahama", 1, "kosodate", "子育てひろば おなはま", (10, 0), 90, 12, HIROBA, "小名浜地区保健福祉センター",
              bring="飲み物", max_party=3),
    DemoEvent(10, "tono", 0, "kaigo_yobo", "元気アップ介護予防教室", (13, 30), 90, 20, YOBO, "常磐・遠野地区保健福祉センター",
              bring="上履き、タオル"),
    DemoEvent(11, "hisanohama_ohisa", 0, "salon", "久之浜 おしゃべりサロン", (13, 30), 90, 20, SALON,
              "久之浜大久地区社会福祉協議会", "100円（お茶代）"),
    DemoEvent(12, "taira", 0, "course", "認知症サポーター養成講座", (14, 0), 90, 40,
              "認知症について正しく知り、地域で見守る「認知症サポーター」になる講座です。", "いわき市 保健福祉課",
              bring="筆記用具"),
    DemoEvent(13, "miwa", 0, "intergenerational", "そば打ち体験と交流会", (10, 0), 180, 16,
              "地域の名人に教わるそば打ち体験。できたそばをみんなでいただきます。", "三和地区 ふるさと振興会",
              "500円（材料費）", bring="エプロン、三角巾", max_party=4, taken=14),
    DemoEvent(14, "ogawa", 0, "kaigo_yobo", "小川 介護予防教室", (10, 0), 90, 20, YOBO, "小川・川前地区保健福祉センター",
              bring="上履き、タオル"),
    DemoEvent(15, "joban", 0, "salon", "常磐 ふれあいサロン", (13, 30), 90, 20, SALON, "常磐地区社会福祉協議会",
              "100円（お茶代）"),
    DemoEvent(16, "hisanohama_ohisa", 1, "salon", "大久 ふれあいサロン", (10, 0), 120, 12, SALON, "大久地区 住民支え合いの会"),
    DemoEvent(17, "onahama", 0, "orange_cafe", "オレンジカフェ みなと", (14, 0), 120, 15, CAFE, "小名浜地域包括支援センター",
              "100円（飲み物代）"),
    DemoEvent(18, "taira", 1, "kosodate", "子育てひろば たいら", (10, 0), 90, 12, HIROBA, "平地区保健福祉センター",
              bring="飲み物", max_party=3),
    DemoEvent(19, "nakoso", 1, "salon", "植田 いきいきサロン", (13, 30), 90, 20, SALON, "勿来地区社会福祉協議会",
              "100円（お茶代）"),
    DemoEvent(20, "uchigo", 0, "salon", "内郷 ふれあいサロン", (13, 30), 90, 20, SALON, "内郷地区社会福祉協議会",
              "100円（お茶代）"),
    DemoEvent(21, "yotsukura", 0, "intergenerational", "多世代交流 みんなの食堂", (11, 30), 120, 30,
              "子どもからお年寄りまで、みんなでお昼ごはんを食べる会です。", "四倉 みんなの食堂実行委員会",
              "大人300円・子ども無料", max_party=4),
    DemoEvent(23, "kawamae", 0, "kaigo_yobo", "川前 介護予防教室", (10, 0), 90, 15, YOBO, "小川・川前地区保健福祉センター"),
    DemoEvent(24, "tono", 0, "salon", "遠野 ふれあいサロン", (13, 30), 90, 15, SALON, "遠野地区社会福祉協議会"),
    DemoEvent(26, "miwa", 0, "salon", "三和 ふれあいサロン", (13, 30), 90, 15, SALON, "三和地区社会福祉協議会"),
    DemoEvent(27, "ogawa", 0, "salon", "小川 ふれあいサロン", (13, 30), 90, 20, SALON, "小川地区社会福祉協議会",
              "100円（お茶代）"),
    DemoEvent(28, "yoshima", 0, "kosodate", "子育てひろば よしま", (10, 0), 90, 10, HIROBA, "内郷・好間・三和地区保健福祉センター",
              bring="飲み物", max_party=3),
    DemoEvent(29, "tabito", 0, "kaigo_yobo", "田人 介護予防教室", (13, 30), 90, 15, YOBO, "勿来・田人地区保健福祉センター"),
]

PHONED_IN = ["鈴木 和子", "佐藤 正男", "高橋 幸子", "渡辺 清", "伊藤 節子", "山本 勝", "中村 和子", "小林 茂", "加藤 洋子",
             "吉田 博", "山田 恵子", "佐々木 実", "松本 京子", "井上 武", "木村 文子", "林 進", "斎藤 弘子"]


def load(app) -> list[str]:  # noqa: ANN001
    """Create a month of demo events unless upcoming events already exist."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        upcoming = session.scalar(
            select(func.count()).select_from(Event).where(Event.status == Event.SCHEDULED, Event.starts_at > utcnow())
        )
        if upcoming:
            return [f"events: {upcoming} upcoming events already present"]
        events = EventService(session, tsunagu.profile)
        today = events.today()
        for item in EVENTS:
            event = events.create_event(_draft(events, item, today + timedelta(days=item.day)))
            _fill(events, event.id, item.taken, item.waiting)
        series = events.create_series(
            _weekly_exercise(events, today),
            frequency=EventSeries.WEEKLY,
            until=today + timedelta(days=30),
            signup_opens_days_before=21,
            signup_closes_hours_before=24,
            cancel_hours_before=24,
        )
        dates = events.list_events(series_id=series.id)
        _fill(events, dates[0].id, 18, 0)
        return [f"events: {len(EVENTS) + len(dates)} events in 13 areas, "
                f"with a weekly series of {len(dates)} dates (シルバーリハビリ体操教室, 平)"]


def _place(events: EventService, area_code: str, venue: int) -> tuple[str, float, float]:
    name, dlat, dlon = VENUES[area_code][venue]
    area = events.profile.area(area_code)
    return name, round(area.lat + dlat, 5), round(area.lon + dlon, 5)


def _contact(events: EventService, area_code: str) -> str:
    centre = centre_for_area(events.profile, area_code)
    return f"{centre.name} {centre.phone}"


def _draft(events: EventService, item: DemoEvent, day: date) -> EventDraft:
    venue, lat, lon = _place(events, item.area, item.venue)
    starts_at = events.at_local(day, time(*item.start))
    return EventDraft(
        title=item.title,
        kind=item.kind,
        area_code=item.area,
        venue_name=venue,
        venue_address=f"{events.profile.name}{events.profile.area(item.area).name}地区",
        venue_lat=lat,
        venue_lon=lon,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=item.minutes),
        capacity=item.capacity,
        max_party_size=item.max_party,
        description=item.description,
        organiser=item.organiser,
        fee=item.fee,
        what_to_bring=item.bring,
        accessibility=item.access,
        contact=_contact(events, item.area),
        signup_closes_at=starts_at - timedelta(hours=3),
        cancel_deadline=starts_at - timedelta(hours=3),
    )


def _weekly_exercise(events: EventService, today: date) -> EventDraft:
    first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
    venue, lat, lon = _place(events, "taira", 0)
    starts_at = events.at_local(first, time(10, 0))
    return EventDraft(
        title="シルバーリハビリ体操教室（毎週火曜）",
        kind="rehab_exercise",
        area_code="taira",
        venue_name=venue,
        venue_address="いわき市平地区",
        venue_lat=lat,
        venue_lon=lon,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        capacity=20,
        max_party_size=2,
        description="いつまでも自分の足で歩けるように、椅子に座ってもできる体操を地域の指導士と行います。",
        organiser="シルバーリハビリ体操指導士会 平支部",
        fee="無料",
        what_to_bring="動きやすい服装、飲み物、タオル",
        accessibility="椅子に座ったままでも参加できます。",
        contact=_contact(events, "taira"),
    )


def _fill(events: EventService, event_id: int, taken: int, waiting: int) -> None:
    """Phoned-in sign-ups, so some events show as nearly full or with a waiting list."""
    names = iter(PHONED_IN * 3)
    while taken > 0:
        party = min(2, taken)
        events.add_signup_by_hand(event_id, name=next(names), party_size=party)
        taken -= party
    for _ in range(waiting):
        events.add_signup_by_hand(event_id, name=next(names), party_size=1)
