"""住民支え合い through LINE: a resident asks, the SC sends an open call, the first 「引き受けます」 wins."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.models import HelpDone, HelpOffer, HelpRequest, Resident, Supporter, utcnow
from bot.services.mutual_aid import MutualAidError, MutualAidService, figures
from bot.tasks.events import deliver_notices
from bot.tasks.mutual_aid import send_help_notices_now
from tests.events_support import tsunagu_of
from tests.support import Worker

TOKYO = ZoneInfo("Asia/Tokyo")


def service_call(app, method: str, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    """What the SC does in the admin view, in its own transaction, then the pushes delivered."""
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        service = MutualAidService(session, tsunagu.profile)
        result = getattr(service, method)(*args, **kwargs)
        recipients = {row.to for row in service.outbox.queued}
        result = result if not isinstance(result, list) else [r.id for r in result]
        result = getattr(result, "id", result)
    deliver_notices(recipients)
    Worker(app).drain()
    return result


def supporter(app, chat, user_id: str, name: str, areas=("taira",)) -> object:  # noqa: ANN001
    person = chat(user_id, name)
    person.follows()
    with tsunagu_of(app).db.transaction() as session:
        resident = session.scalars(select(Resident).where(Resident.line_user_id == user_id)).one()
        service = MutualAidService(session, tsunagu_of(app).profile)
        registered = service.register_supporter(resident, name=name, tasks=["shopping", "bulb"],
                                                area_codes=list(areas), phone="09011112222")
        service.approve(registered.id, None, insurance="ボランティア活動保険 2026年度")
        person.supporter_id = registered.id
    person.new_messages()
    return person


def ask_for_shopping(chat, user_id: str = "U" + "r" * 32) -> object:  # noqa: ANN001
    resident = chat(user_id, "佐藤ハナ")
    resident.follows()
    resident.new_messages()
    resident.says("買い物を頼みたいです")
    assert resident.last_text().startswith("お手伝いの場所は、どの地区ですか？")
    assert "戻る" in resident.chips() and "やめる" in resident.chips()
    resident.says("たいら")
    assert resident.last_text().startswith("いつがよいですか？")
    day = datetime.now(TOKYO).date() + timedelta(days=3)
    resident.says(f"{day.month}月{day.day}日")
    assert resident.last_text() == "お手伝いは一度だけですか？ 毎週ですか？"
    assert resident.chips() == ["一度だけ", "毎週", "戻る", "やめる"]
    resident.says("こんかいだけでいいです")
    assert resident.last_text() == "どなたのためのお手伝いですか？"
    assert resident.chips() == ["自分", "家族のため", "戻る", "やめる"]
    resident.says("わたしです")
    assert resident.last_text().startswith("手伝う方に知っておいてほしいこと")
    resident.says("米を10キロお願いします")
    return resident


def test_a_request_is_matched_by_open_call_done_and_recorded_as_points(app, chat, line):
    resident = ask_for_shopping(chat)
    assert resident.last_text() == ("受け付けました。買い物（平）\n"
                                    "生活支援コーディネーターが手伝う方を探して、決まったらお知らせします。")
    with tsunagu_of(app).db.transaction() as session:
        request = session.scalars(select(HelpRequest)).one()
        assert (request.tasks, request.area_code, request.centre_code, request.status) == (
            ["shopping"], "taira", "taira", "open")
        assert "米を10キロ" in request.details
        request_id = request.id

    helpers = [supporter(app, chat, "U" + c * 32, name) for c, name in zip("bcd", ("鈴木一郎", "高橋二郎", "田中三郎"))]
    with tsunagu_of(app).db.transaction() as session:
        ranked = MutualAidService(session, tsunagu_of(app).profile).candidates(session.get(HelpRequest, request_id))
        assert {c.supporter.id for c in ranked} == {h.supporter_id for h in helpers}
    service_call(app, "open_call", request_id, [h.supporter_id for h in helpers], None)
    for helper in helpers:
        [offer] = helper.new_messages()
        # Only the area and the task before the SC confirms: no name, no phone.
        assert offer["text"].startswith("お手伝いのお願いです。\n買い物（平）")
        assert "佐藤" not in offer["text"] and "090" not in offer["text"]
        assert helper.chips() == ["引き受けます", "今回は難しい"]
        helper.accept_data = offer["quickReply"]["items"][0]["action"]["data"]

    helpers[0].tap_chip("今回は難しい")
    assert helpers[0].last_text() == "わかりました。またお願いします。"
    helpers[1].tap_chip("引き受けます")
    assert helpers[1].last_text().startswith("ありがとうございます。引き受けていただきました。")
    assert helpers[2].last_text() == "ありがとうございます。このお手伝いは、ほかの方が引き受けました。またお願いします。"
    helpers[2].taps(helpers[2].accept_data)  # too late, from the earlier message
    assert helpers[2].last_text() == "ありがとうございます。このお手伝いは、ほかの方が引き受けました。"
    with tsunagu_of(app).db.transaction() as session:
        offers = {o.supporter_id: o.status for o in session.scalars(select(HelpOffer))}
        assert offers == {helpers[0].supporter_id: "declined", helpers[1].supporter_id: "accepted",
                          helpers[2].supporter_id: "unanswered"}
    assert "高橋" not in resident.last_text()

    service_call(app, "confirm", request_id)
    assert "高橋二郎さん 09011112222" in resident.last_text()
    assert "佐藤ハナさん" in helpers[1].last_text()

    # The day before, at the profile's time in Tokyo: both reminded, once.
    day_before = datetime.now(TOKYO).replace(hour=18, minute=5) + timedelta(days=2)
    assert send_help_notices_now(tsunagu_of(app), day_before.replace(hour=17, minute=55)) == set()
    assert send_help_notices_now(tsunagu_of(app), day_before) == {resident.user_id, helpers[1].user_id}
    Worker(app).drain()
    assert send_help_notices_now(tsunagu_of(app), day_before) == set()
    assert resident.last_text().startswith("あしたは お手伝いの日です。")
    helpers[1].tap_chip("終わりました")
    assert helpers[1].last_text().startswith("おつかれさまでした。何時間お手伝いしましたか？")
    assert helpers[1].chips() == ["1時間", "2時間", "3時間", "やめる"]
    helpers[1].says("たくさん")  # not a number: asked again, nothing recorded
    helpers[1].says("1時間半くらいです")
    assert helpers[1].last_text() == "ありがとうございました。お手伝いを記録しました。"
    helpers[1].says("ポイント")
    assert helpers[1].last_text() == "シニアボランティアポイント：150ポイント（お手伝い 1.5時間）"

    send_help_notices_now(tsunagu_of(app), utcnow() + timedelta(days=2, minutes=1))
    Worker(app).drain()
    assert resident.last_text().startswith("お手伝いはいかがでしたか？")
    with tsunagu_of(app).db.transaction() as session:
        [done] = session.scalars(select(HelpDone)).all()
        assert (done.hours, done.points, done.recorded_by) == (1.5, 150, "supporter")
        today = datetime.now(TOKYO).date()
        rows = dict(figures(session, today.replace(day=1), today, ["taira"]))
        assert list(rows.values()) == [1, 1, 1, 2, 1]
        assert dict(figures(session, today.replace(day=1), today, ["onahama"]))["支え合いの依頼"] == 0
        csv_text = MutualAidService(session, tsunagu_of(app).profile).monthly_csv(today.year, today.month)
        assert csv_text.splitlines() == ["支え手,回数,時間,シニアボランティアポイント", "高橋二郎,1,1.5,150"]


def test_forged_answers_change_nothing(app, chat):
    ask_for_shopping(chat)
    helper = supporter(app, chat, "U" + "e" * 32, "鈴木一郎")
    with tsunagu_of(app).db.transaction() as session:
        request_id = session.scalars(select(HelpRequest.id)).one()
    [offer_id] = service_call(app, "open_call", request_id, [helper.supporter_id], None)
    stranger = chat("U" + "f" * 32, "他人")
    stranger.follows()
    for data in (f"help:accept:{offer_id}", "help:accept:999999", "help:accept:abc", "help:done:1", "help:nothing"):
        stranger.taps(data)
        assert "終了しています" in stranger.last_text()
    with tsunagu_of(app).db.transaction() as session:
        assert session.get(HelpRequest, request_id).status == "calling"


def test_words_about_not_eating_are_offered_as_a_consultation(app, chat):
    resident = chat("U" + "g" * 32, "木村トメ")
    resident.follows()
    resident.says("母のことでちょっと手伝ってほしい")
    assert resident.last_text().startswith("どんなお手伝いが必要ですか？")
    resident.tap_chip("ごみ出し")
    resident.says("戻る")
    assert resident.last_text().startswith("どんなお手伝いが必要ですか？")
    resident.tap_chip("電球の交換")
    resident.says("小名浜")
    resident.tap_chip("いつでも")
    resident.tap_chip("毎週")
    resident.tap_chip("家族のため")
    resident.says("最近あまりご飯を食べていないです")
    texts = [m.get("text", "") for m in resident.messages()]
    assert any(t.startswith("受け付けました。電球の交換（小名浜）") for t in texts)
    assert "相談" in resident.last_text()
    with tsunagu_of(app).db.transaction() as session:
        request = session.scalars(select(HelpRequest)).one()
        assert request.wanted_on is None and request.tasks == ["bulb"] and request.asked_by == "family"
        assert request.frequency == "weekly"


def test_cancel_on_any_step_keeps_nothing(app, chat):
    resident = chat("U" + "h" * 32, "木村")
    resident.follows()
    resident.says("手伝って")
    resident.tap_chip("掃除")
    resident.tap_chip("やめる")
    assert resident.last_text().startswith("中止しました")
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(HelpRequest)).all() == []


def test_services_list_and_supporter_rules(app, chat):
    resident = chat("U" + "i" * 32, "遠藤")
    resident.follows()
    with tsunagu_of(app).db.transaction() as session:
        session.scalars(select(Resident).where(Resident.line_user_id == resident.user_id)).one().area_code = "tabito"
    resident.says("移動販売はありますか")
    assert "移動販売（とくし丸）" in resident.last_text()
    resident.says("平の移動販売")
    assert resident.last_text().startswith("この地区の生活支援サービスは、まだ登録がありません。")
    resident.says("生活支援サービス")  # every kind in 田人: the mobile shop and the city-wide rides
    assert "移動販売（とくし丸）" in resident.last_text() and "送迎" in resident.last_text()
    resident.says("手伝えることがあれば")
    assert resident.last_text().startswith("ありがとうございます。できるお手伝いを選ぶか")
    resident.says("草むしりと電球なら")
    resident.says("もどる")
    assert resident.last_text().startswith("ありがとうございます。できるお手伝いを選ぶか")
    resident.says("庭の草取りと電球")
    resident.tap_chip("田人")
    assert "お名前と電話番号をお相手に伝えます" in resident.last_text()
    resident.says("はい")
    assert "面談" in resident.last_text()
    with tsunagu_of(app).db.transaction() as session:
        service = MutualAidService(session, tsunagu_of(app).profile)
        me = session.scalars(select(Resident).where(Resident.line_user_id == resident.user_id)).one()
        applied = service.supporter_of(me)
        assert (applied.status, applied.tasks, applied.area_codes) == (Supporter.APPLIED, ["garden", "bulb"], ["tabito"])
        assert applied.consent_version and applied.contact_consent_version
        with pytest.raises(MutualAidError):
            service.set_status(applied.id, Supporter.ACTIVE)  # not before the SC's meeting
        with pytest.raises(MutualAidError):
            service.ask(tasks=["fly"], area_code="tabito")
    resident.says("支え手をやめたい")
    assert resident.last_text().startswith("支え合いの登録と依頼の内容を削除しました。")
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(Supporter)).all() == []


def test_a_danger_signal_in_a_help_request_wins(app, chat):
    resident = chat("U" + "j" * 32, "村田")
    resident.follows()
    resident.says("買い物を手伝ってほしい")
    resident.says("平")
    resident.tap_chip("いつでも")
    resident.tap_chip("一度だけ")
    resident.tap_chip("自分")
    resident.says("もう死にたい")
    texts = [m.get("text", "") for m in resident.new_messages()]
    assert any(t.startswith("つらい気持ちを打ち明けてくださって") and "119" in t for t in texts)
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(HelpRequest)).all() == []  # the request was not filed with those words
