"""見守り: check-ins at their hour exactly once, answers by button or in words, and silence escalating gently."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.flows.postbacks import WatchTap, encode
from bot.flows.watch_words import answer_of
from bot.models import IntakeRecord, OutboundMessage, Resident, utcnow
from bot.models.watch import WatchContact, WatchPlan, WatchSlot, WatchStep
from bot.services.watch import WatchService, figures
from bot.tasks.events import deliver_notices
from bot.tasks.watch import run_watch
from tests.events_support import Clock, tokyo, tsunagu_of

USER = "U" + "a" * 32
FAMILY = "U" + "f" * 32


@pytest.fixture
def clock():
    return Clock(tokyo(2030, 6, 3, 8))  # a Monday, 8:00


@pytest.fixture
def app(make_app, clock):  # noqa: ANN001
    return make_app(CLOCK=clock)


def watched(app, chat, *, family: bool = False, display_name: str = "山田花子", hour: int = 9) -> Chat:  # noqa: F821
    """A resident who follows the account with a daily plan at ``hour``; ``family``: a son accepted on his LINE."""
    resident_chat = chat(USER, display_name)
    resident_chat.follows()
    if family:
        chat(FAMILY, "山田太郎").follows()
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        resident = session.scalar(select(Resident).where(Resident.line_user_id == USER))
        resident.area_code = "taira"
        plan = WatchService(session, tsunagu.profile, app.config["CLOCK"]).start_plan(
            resident, interval_days=1, hour=hour)
        if family:
            son = session.scalar(select(Resident).where(Resident.line_user_id == FAMILY))
            session.add(WatchContact(plan_id=plan.id, kind=WatchContact.LINE, contact_resident_id=son.id,
                                     accepted_at=utcnow()))
    resident_chat.new_messages()
    return resident_chat


def run(app, worker) -> None:  # noqa: ANN001
    deliver_notices(run_watch(tsunagu_of(app)))
    worker.drain()


def check_ins(line, user: str = USER) -> list[str]:  # noqa: ANN001
    return [text for text in line.texts_to(user) if "見守り" in text]


def test_a_check_in_goes_out_at_its_hour_once_with_three_buttons_and_元気です_closes_it(app, chat, line, worker, clock):
    resident = watched(app, chat)
    run(app, worker)
    assert check_ins(line) == []  # 8:00: not yet

    clock.advance(hours=1)
    run(app, worker)
    run(app, worker)
    assert check_ins(line) == ["「つなぐ」の見守りです。お元気ですか？下のボタンから選んでください。"]
    assert resident.chips() == ["元気です", "少し心配なことがある", "話したい"]

    resident.tap_chip("元気です")
    assert resident.last_text().startswith("お返事ありがとうございます。安心しました。")
    with tsunagu_of(app).db.transaction() as session:
        [slot] = session.scalars(select(WatchSlot)).all()
        assert (slot.state, slot.answer) == (WatchSlot.ANSWERED, WatchSlot.FINE)
        assert session.scalar(select(func.count()).select_from(IntakeRecord)) == 0

    # The next day's check-in is another slot; tapping an answered one's button again is stale.
    clock.advance(days=1)
    run(app, worker)
    assert len(check_ins(line)) == 2


@pytest.mark.parametrize("typed, answer", [
    ("げんき", "fine"), ("元気だよ", "fine"), ("大丈夫です", "fine"), ("ゲンキです！", "fine"),
    ("ちょっと心配", "worried"), ("少し不安です", "worried"), ("元気じゃない", "worried"),
    ("大丈夫ではありません", "worried"), ("話したいです", "talk"), ("誰かと話がしたい", "talk"),
    ("I'm fine", "fine"), ("not fine", "worried"), ("không khỏe", "worried"), ("こんにちは", None),
])
def test_typed_answers_are_read_like_the_buttons(typed, answer):
    assert answer_of(typed) == answer


def test_話したい_on_a_saturday_opens_a_record_for_the_centre_and_says_when_staff_reply(app, chat, line, worker, clock):
    clock.now = tokyo(2030, 6, 8, 8)  # a Saturday
    resident = watched(app, chat)
    clock.advance(hours=1)
    run(app, worker)

    resident.says("話したいです")
    assert resident.last_text() == "お返事ありがとうございます。センターに伝えました。6月10日(月)に担当者からご連絡します。"
    with tsunagu_of(app).db.transaction() as session:
        [record] = session.scalars(select(IntakeRecord)).all()
        assert record.source == "watch" and record.centre_code == "taira"
        assert [m.text for m in record.messages] == ["話したいです"]
        assert {"code": "watch", "reason": "見守り：「話したい」と返事"} in record.flags


def test_a_danger_signal_in_the_answer_is_a_danger_signal(app, chat, line, worker, clock):
    resident = watched(app, chat)
    clock.advance(hours=1)
    run(app, worker)
    resident.says("元気じゃない、もう死にたい")
    with tsunagu_of(app).db.transaction() as session:
        [record] = session.scalars(select(IntakeRecord)).all()
        assert record.urgent and record.source == "danger_signal"


def test_silence_escalates_reminder_then_family_then_staff_and_an_answer_tells_the_family(
        app, chat, line, worker, clock):
    resident = watched(app, chat, family=True)
    clock.advance(hours=1)  # 9:00 the check-in
    run(app, worker)
    clock.advance(hours=6)  # 15:00 one reminder
    run(app, worker)
    assert check_ins(line)[-1].startswith("見守りのお知らせです。まだお返事がありません。")
    assert line.texts_to(FAMILY)[-1:] != ["山田花子さんから今日の返事がありません。ご様子を確かめていただけますか。"]

    clock.advance(hours=6)  # 21:00: quiet hours, the family is told in the morning
    run(app, worker)
    assert "山田花子さんから今日の返事がありません。ご様子を確かめていただけますか。" not in line.texts_to(FAMILY)
    clock.advance(hours=11)  # 8:00 the next day
    run(app, worker)
    assert line.texts_to(FAMILY)[-1] == "山田花子さんから今日の返事がありません。ご様子を確かめていただけますか。"

    clock.advance(minutes=30)
    with tsunagu_of(app).db.transaction() as session:
        slot = session.scalars(select(WatchSlot).order_by(WatchSlot.id)).first()
        assert slot.stage == WatchSlot.CONTACTS_ALERTED

    resident.says("大丈夫です、寝ていました")
    assert line.texts_to(FAMILY)[-1] == "山田花子さんから返事がありました。ご協力ありがとうございました。"
    with tsunagu_of(app).db.transaction() as session:
        kinds = list(session.scalars(select(WatchStep.kind).order_by(WatchStep.id)))
        assert kinds == [WatchStep.REMINDER, WatchStep.CONTACTS, WatchStep.ALL_CLEAR]


def test_without_an_answer_or_contacts_the_centre_gets_a_task_and_a_nameless_resident_is_ご登録の方(
        app, chat, line, worker, clock):
    watched(app, chat, family=True, display_name="")
    clock.advance(hours=1)
    run(app, worker)
    clock.advance(hours=6)
    run(app, worker)
    clock.advance(hours=17)  # past the quiet night: 8:00 the next day
    run(app, worker)
    assert line.texts_to(FAMILY)[-1] == "見守りにご登録の方から今日の返事がありません。ご様子を確かめていただけますか。"
    clock.advance(hours=12)
    run(app, worker)
    with tsunagu_of(app).db.transaction() as session:
        slot = session.scalars(select(WatchSlot).order_by(WatchSlot.id)).first()
        assert slot.stage == WatchSlot.STAFF_TASK


def test_blocking_the_account_stops_the_plan_and_nothing_more_is_sent(app, chat, line, worker, clock):
    resident = watched(app, chat)
    resident.send("unfollow", reply=False)
    clock.advance(hours=1)
    run(app, worker)
    assert check_ins(line) == []
    with tsunagu_of(app).db.transaction() as session:
        [plan] = session.scalars(select(WatchPlan)).all()
        assert (plan.state, plan.stop_reason) == (WatchPlan.ENDED, "blocked")


def test_a_forged_answer_button_changes_nothing(app, chat, line, worker, clock):
    resident = watched(app, chat)
    resident.taps(encode(WatchTap.ANSWER, "fine"))  # no check-in waiting
    assert "このボタンの受付は終了しています" in resident.last_text()
    clock.advance(hours=1)
    run(app, worker)
    resident.taps("watch:answer:<script>")
    assert "このボタンの受付は終了しています" in resident.last_text()
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(WatchSlot.state)).all() == [WatchSlot.SENT]


def test_figures_count_check_ins_sent_answered_and_escalated(app, chat, line, worker, clock):
    resident = watched(app, chat)
    clock.advance(hours=1)
    run(app, worker)
    resident.tap_chip("元気です")
    with tsunagu_of(app).db.transaction() as session:
        rows = figures(session, date(2030, 6, 1), date(2030, 6, 30), None)
        assert [count for _label, count in rows] == [1, 1, 0]
        assert [count for _label, count in figures(session, date(2030, 6, 1), date(2030, 6, 30), ["onahama"])] == [0, 0, 0]
        forecast = WatchService(session, tsunagu_of(app).profile, clock).forecast(None, date(2030, 6, 1), date(2030, 6, 30))
        assert forecast == 28  # daily from June 3rd
        assert session.scalar(select(func.count()).select_from(OutboundMessage).where(
            OutboundMessage.purpose == "watch_check_in")) == 1
