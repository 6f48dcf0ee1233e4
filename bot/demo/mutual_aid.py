"""Demo data for 住民支え合い: a group in 平 and its supporters, open requests, one filled; a demo SC account.

The people are invented (no LINE accounts: entered as by the SC from paper
forms and phone calls). Loading is idempotent: nothing is added while
supporters exist.
"""
from __future__ import annotations

from datetime import timedelta

from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, select

from admin.accounts import StaffAccounts
from bot.demo.staff import DEMO_EMAILS, DEMO_PASSWORD
from bot.models import HelpRequest, Supporter, SupportGroup, utcnow
from bot.models.staff import LIFE_SUPPORT
from bot.services.mutual_aid import MutualAidService

SUPPORTERS = [  # name, tasks, areas, status
    ("城山 和子", ["shopping", "bulb", "cleaning"], ["taira"], Supporter.ACTIVE),
    ("城山 健一", ["shopping", "heavy", "garden"], ["taira"], Supporter.ACTIVE),
    ("平 美代子", ["call", "shopping", "cooking"], ["taira"], Supporter.ACTIVE),
    ("中央 進", ["rubbish", "circular", "bulb"], ["taira"], Supporter.ACTIVE),
    ("小名浜 陽子", ["shopping", "outing"], ["onahama"], Supporter.ACTIVE),
    ("新田 翔", ["windows", "heavy"], ["taira"], Supporter.APPLIED),
]
REQUESTS = [  # name, tasks, area, details, days from today (None: いつでも)
    ("高橋 トメ", ["shopping"], "taira", "米と牛乳をお願いしたいです。2階に住んでいます。", 3),
    ("佐々木 一男", ["bulb"], "taira", "台所の電球が切れました。脚立がありません。", None),
    ("渡辺 ハル", ["rubbish", "circular"], "taira", "毎週火曜日のごみ出しをお願いしたいです。", 5),
    ("鈴木 キヨ", ["outing"], "onahama", "病院（月1回）への付き添い。", 7),
]


def load_demo_mutual_aid(app: Flask) -> list[str]:
    if app.config["REAL_CHANNEL"]:
        return ["demo mutual aid: not created, a real LINE channel is configured"]
    tsunagu = app.extensions["tsunagu"]
    profile = tsunagu.profile
    lines = []
    with tsunagu.db.transaction() as session:
        staff = StaffAccounts(session, profile, app.extensions["tsunagu_admin"].passwords)
        if staff.by_email(DEMO_EMAILS[3]) is None:
            staff.create(email=DEMO_EMAILS[3], name="生活支援コーディネーター（デモ）", role=LIFE_SUPPORT,
                         centres=[profile.centres[0].code], password=DEMO_PASSWORD)
        lines.append(f"  {LIFE_SUPPORT:<13} {DEMO_EMAILS[3]}")
        if session.scalar(select(func.count(Supporter.id))):
            return lines + ["demo mutual aid: supporters exist, nothing added"]
        service = MutualAidService(session, profile)
        group = SupportGroup(name="平 城山 支え合いの会", centre_code="taira", area_codes=["taira"],
                             contact="平地区社会福祉協議会")
        session.add(group)
        session.flush()
        supporters = []
        for n, (name, tasks, areas, status) in enumerate(SUPPORTERS):
            supporter = service.register_supporter(None, name=name, tasks=tasks, area_codes=areas,
                                                   availability=["weekday_am", "weekday_pm"],
                                                   phone=f"0246{n + 10:02d}1234")
            if status == Supporter.ACTIVE:
                service.approve(supporter.id, None, insurance="ボランティア活動保険 2026年度",
                                group_id=group.id if "taira" in areas else None)
            supporters.append(supporter)
        today = utcnow().astimezone(ZoneInfo(profile.timezone)).date()
        requests = []
        for name, tasks, area, details, days in REQUESTS:
            requests.append(service.ask(tasks=tasks, area_code=area, details=details, name=name, phone="0246221111",
                                        wanted_on=today + timedelta(days=days) if days is not None else None,
                                        staff_id=None))
        # One filled: an open call, the first acceptance, the SC's confirmation, done with points.
        service.open_call(requests[0].id, [s.id for s in supporters[:3]], None)
        service.assign(requests[0].id, supporters[0].id, None)
        service.confirm(requests[0].id)
        service.record_done(requests[0].id, hours=1.5, by="staff")
        # The check after, answered by phone: a problem the SC follows up (highlighted on the board).
        requests[0].checked_at = requests[0].check_answered_at = utcnow()
        requests[0].check_result, requests[0].check_words = HelpRequest.PROBLEM, "約束の時間より1時間遅れて来られました。"
        # One open call still waiting for answers.
        service.open_call(requests[2].id, [supporters[1].id, supporters[3].id], None)
    return lines + [f"demo mutual aid: {len(SUPPORTERS)} supporters, 1 group, {len(REQUESTS)} requests (1 done)"]
