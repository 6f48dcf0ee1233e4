"""The intake queue and the record page, as staff use them."""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.models import OutboundMessage, RecordNote
from bot.models.intake import IntakeAttachment, IntakeRecord
from bot.services.response_templates import load_demo_templates
from tests.admin.records_support import danger_record, move, status_of, submit_record, user_id
from tests.admin.support import page_text, table_rows


def test_the_queue_shows_urgent_first_then_the_oldest(app, browser) -> None:  # noqa: ANN001
    older, older_receipt = submit_record(app)
    newer, newer_receipt = submit_record(app)
    urgent, urgent_receipt = submit_record(app, urgency="now")
    staff = browser("taira")

    rows = table_rows(staff.get("/admin/records/"))

    assert [row.split()[0] for row in rows] == [urgent_receipt, older_receipt, newer_receipt]
    assert "緊急" in rows[0]


def test_the_queue_filters_searches_and_counts(app, browser) -> None:  # noqa: ANN001
    money, money_receipt = submit_record(app, categories=("money",), details=("家賃が払えません",))
    elderly, elderly_receipt = submit_record(app, categories=("elderly",), details=("母の物忘れ",))
    move(app, elderly, ("triage", "centre_staff", {}))
    staff = browser("taira")

    def receipts(query: str) -> list[str]:
        return [row.split()[0] for row in table_rows(staff.get(f"/admin/records/?{query}"))]

    assert receipts("category=money") == [money_receipt]
    assert receipts("status=triaged") == [elderly_receipt]
    assert receipts("q=家賃") == [money_receipt]
    assert receipts(f"q={elderly_receipt[-6:]}") == [elderly_receipt]
    assert receipts("q=100%25") == []
    assert receipts("assignee=none") == [money_receipt, elderly_receipt]
    assert receipts("date_from=2000-01-01&date_to=2000-01-02") == []
    text = page_text(staff.get("/admin/records/"))
    assert "1 新規" in text and "1 確認中" in text


def test_the_coordinator_sees_the_triage_queue(app, browser) -> None:  # noqa: ANN001
    unknown, unknown_receipt = submit_record(app, area=None)
    escalated, escalated_receipt = submit_record(app, area="onahama")
    move(app, escalated, ("escalate", "centre_staff", {"reason": "世帯全体の支援が必要"}))
    rejected, rejected_receipt = submit_record(app, area=None)
    move(app, rejected, ("forward", "coordinator", {"centre_code": "onahama"}),
         ("reject", "centre_staff", {"reason": "担当地区ではありません"}))
    submit_record(app, area="taira")
    coordinator = browser("coordinator")

    rows = table_rows(coordinator.get("/admin/records/?triage=y"))

    assert sorted(row.split()[0] for row in rows) == sorted([unknown_receipt, escalated_receipt, rejected_receipt])
    assert any("差し戻し" in row for row in rows)


def test_new_records_are_polled_without_keeping_the_session_alive(app, browser, clock) -> None:  # noqa: ANN001
    first, _ = submit_record(app)
    staff = browser("taira")
    staff.get("/admin/records/")
    second, second_receipt = submit_record(app)

    answer = staff.get(f"/admin/records/poll?after={first}").get_json()

    assert answer["latest"] == second
    assert len(answer["rows"]) == 1 and second_receipt in answer["rows"][0]
    assert answer["counts"]["new"] == 2
    clock.advance(minutes=20)
    staff.get("/admin/records/poll?after=0")
    clock.advance(minutes=15)  # 35 minutes since the last real activity
    assert staff.get("/admin/records/").location.startswith("/admin/login")


def test_the_record_page_shows_answers_thread_flags_and_only_valid_buttons(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, categories=("elderly", "family", "money"),
                                       details=("80代の母と50代の兄の二人暮らしです。",), contact="phone",
                                       phone="09012345678")
    staff = browser("taira")

    page = staff.get(f"/admin/records/{record_id}")

    text = page_text(page)
    assert page.status_code == 200
    assert receipt in text and "80代の母と50代の兄の二人暮らしです。" in text
    assert "090-1234-5678" in text and "相談 花子" in text
    assert "複数の分野にまたがる相談" in text  # a flag with its reason
    buttons = re.findall(r'name="do" value="(\w+)"', page.get_data(as_text=True))
    assert buttons == ["triage", "start"]
    assert 'id="forward-form"' in page.get_data(as_text=True) and 'id="escalate-form"' in page.get_data(as_text=True)
    assert 'id="reject-form"' not in page.get_data(as_text=True)
    assert audit_entries("records.view")[-1]["target"] == ("intake_records", str(record_id))


def test_resident_text_is_escaped(app, browser) -> None:  # noqa: ANN001
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)> [link](javascript:alert(3)) **bold**'
    record_id, _ = submit_record(app, details=(payload,), display_name='<b onmouseover="x()">名前</b>')
    staff = browser("taira")

    html = staff.get(f"/admin/records/{record_id}").get_data(as_text=True)

    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[link](javascript:alert(3)) **bold**" in html  # Markdown stays plain text
    assert "<script>" not in html.replace('<script src="/admin/static/admin/records.js" defer></script>', "")


def test_forwarding_moves_the_record_to_the_other_centres_queue(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area=None)
    coordinator = browser("coordinator")

    response = coordinator.post(f"/admin/records/{record_id}/forward",
                                {"forward-centre": "taira", "forward-note": "平地区の方でした"})

    assert response.status_code == 302
    assert status_of(app, record_id) == ("forwarded", "taira")
    taira = browser("taira")
    assert receipt in page_text(taira.get("/admin/records/"))
    page = page_text(taira.get(f"/admin/records/{record_id}"))
    assert "平地区の方でした" in page
    entry = audit_entries("records.forward")[-1]
    assert entry["details"]["to_centre"] == "taira" and "note" not in entry["details"]


def test_a_rejection_needs_a_reason_and_goes_back_to_triage(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area=None)
    move(app, record_id, ("forward", "coordinator", {"centre_code": "taira"}))
    taira = browser("taira")

    refused = taira.post(f"/admin/records/{record_id}/reject", {"reject-reason": "  "})
    assert refused.status_code == 400 and status_of(app, record_id) == ("forwarded", "taira")

    taira.post(f"/admin/records/{record_id}/reject", {"reject-reason": "小名浜地区の住所でした"})
    assert status_of(app, record_id) == ("triaged", None)
    assert taira.get(f"/admin/records/{record_id}").status_code == 404
    assert "小名浜地区の住所でした" in page_text(browser("coordinator").get(f"/admin/records/{record_id}"))


def test_an_invalid_transition_is_refused_by_the_server(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    staff = browser("taira")

    response = staff.post(f"/admin/records/{record_id}/reopen", {})

    assert response.status_code == 302
    assert status_of(app, record_id) == ("new", "taira")
    assert "今の状態では、その操作はできません" in page_text(staff.get(response.location))


def test_a_record_without_consent_is_forwarded_only_by_the_coordinator(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, _ = danger_record(app, area="taira")
    taira = browser("taira")

    assert 'id="forward-form"' not in taira.get(f"/admin/records/{record_id}").get_data(as_text=True)
    taira.post(f"/admin/records/{record_id}/forward", {"forward-centre": "onahama"})
    assert status_of(app, record_id) == ("new", "taira")

    browser("coordinator").post(f"/admin/records/{record_id}/forward", {"forward-centre": "onahama"})
    assert status_of(app, record_id) == ("forwarded", "onahama")
    assert audit_entries("records.forward")[-1]["details"]["legal_basis"] == "vital_interest"


def test_notes_assignment_and_the_support_plan(app, browser, staff) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    move(app, record_id, ("escalate", "centre_staff", {"reason": "8050の世帯"}))
    taira = browser("taira")
    coordinator = browser("coordinator")

    taira.post(f"/admin/records/{record_id}/notes", {"note-body": "兄に電話したが不在"})
    taira.post(f"/admin/records/{record_id}/assign", {"assign-assignee": str(staff["coordinator"].id)})
    refused = taira.post(f"/admin/records/{record_id}/plan", {"plan-policy": "x"})
    coordinator.post(f"/admin/records/{record_id}/plan", {
        "plan-policy": "母の介護と兄の就労を一体で支える", "plan-services": "介護保険、就労準備支援",
        "plan-agencies": ["comprehensive", "livelihood"]})

    assert refused.status_code == 400
    text = page_text(coordinator.get(f"/admin/records/{record_id}"))
    assert "兄に電話したが不在" in text
    assert "担当者: 調整 一郎" in text
    assert "母の介護と兄の就労を一体で支える" in text and "地域包括支援センター、生活・就労支援" in text
    assert [row.split()[0] for row in table_rows(coordinator.get("/admin/records/?assignee=me"))]


def test_a_message_reaches_the_resident_and_their_answer_joins_the_thread(app, browser, chat, worker, line) -> None:  # noqa: ANN001
    resident = chat(user_id=user_id(900))
    resident.follows()
    record_id, _ = submit_record(app, line_user=user_id(900))
    move(app, record_id, ("start", "centre_staff", {}))
    staff = browser("taira")

    staff.post(f"/admin/records/{record_id}/messages", {"message-body": "明日お電話してもよろしいですか。"})
    assert "送信待ち" in page_text(staff.get(f"/admin/records/{record_id}"))
    worker.drain()

    assert any("明日お電話してもよろしいですか。" in text and "平地区保健福祉センター" in text
               for text in line.texts_to(user_id(900)))
    assert "送信済み" in page_text(staff.get(f"/admin/records/{record_id}"))
    resident.says("はい、午前中なら大丈夫です")
    assert "はい、午前中なら大丈夫です" in page_text(staff.get(f"/admin/records/{record_id}"))


def test_a_resident_who_blocked_the_account_is_not_pushed(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    with app.extensions["tsunagu"].db.transaction() as session:
        session.get(IntakeRecord, record_id).resident.blocked_at = session.get(IntakeRecord, record_id).created_at
    staff = browser("taira")

    page = staff.get(f"/admin/records/{record_id}")
    staff.post(f"/admin/records/{record_id}/messages", {"message-body": "ご連絡です"})

    assert "ブロックしているため" in page_text(page) and 'id="message-form"' not in page.get_data(as_text=True)
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalars(select(OutboundMessage)).first() is None


def test_closing_tells_the_resident_kindly_and_reopening_works(app, browser, chat, worker, line) -> None:  # noqa: ANN001
    resident = chat(user_id=user_id(901))
    resident.follows()
    record_id, receipt = submit_record(app, line_user=user_id(901))
    move(app, record_id, ("start", "centre_staff", {}))
    staff = browser("taira")

    staff.post(f"/admin/records/{record_id}/close", {"close-outcome": "resolved"})
    worker.drain()

    assert status_of(app, record_id) == ("closed", "taira")
    notice = line.texts_to(user_id(901))[-1]
    assert receipt in notice and "ありがとうございました" in notice and "「相談する」" in notice
    staff.post(f"/admin/records/{record_id}/reopen", {})
    assert status_of(app, record_id) == ("in_progress", "taira")
    assert "完了のお知らせをLINEで送信" in page_text(staff.get(f"/admin/records/{record_id}"))


def test_a_withdrawn_record_can_only_be_read(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    move(app, record_id, ("withdraw", "resident", {}))
    staff = browser("taira")

    page = staff.get(f"/admin/records/{record_id}")
    staff.post(f"/admin/records/{record_id}/notes", {"note-body": "メモ"})

    assert "本人が取り下げました" in page_text(page)
    assert 'name="do"' not in page.get_data(as_text=True) and 'id="message-form"' not in page.get_data(as_text=True)
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalars(select(RecordNote)).first() is None


def test_photos_are_served_as_images_with_a_file_name_and_audited(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app)
    with app.extensions["tsunagu"].db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        photo = IntakeAttachment(record=record, line_message_id="p1", status=IntakeAttachment.STORED,
                                 content=b"\x89PNG\r\n\x1a\nfake", content_type="image/png", size=12)
        html = IntakeAttachment(record=record, line_message_id="p2", status=IntakeAttachment.STORED,
                                content=b"<html><script>alert(1)</script>", content_type="text/html", size=30)
        session.add_all([photo, html])
        session.flush()
        photo_id, html_id = photo.id, html.id
    staff = browser("taira")

    image = staff.get(f"/admin/records/{record_id}/photos/{photo_id}")
    disguised = staff.get(f"/admin/records/{record_id}/photos/{html_id}")

    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["Content-Disposition"] == f'inline; filename="{receipt}-{photo_id}.png"'
    assert disguised.mimetype == "application/octet-stream"
    assert disguised.headers["Content-Disposition"].startswith("attachment;")
    assert audit_entries("records.photo")[0]["details"]["photo_id"] == photo_id


def test_administrators_manage_response_templates_that_staff_use(app, browser) -> None:  # noqa: ANN001
    admin = browser("admin")
    admin.post("/admin/templates/new", {"category": "elderly", "title": "訪問のご案内",
                                         "body": "ご自宅にうかがうこともできます。", "active": "y"})
    admin.post("/admin/templates/new", {"category": "money", "title": "お金の相談", "body": "制度を確認します。",
                                         "active": "y"})
    assert "訪問のご案内" in page_text(admin.get("/admin/templates/"))
    record_id, _ = submit_record(app, categories=("elderly",))

    page = browser("taira").get(f"/admin/records/{record_id}")

    assert "訪問のご案内" in page_text(page) and "ご自宅にうかがうこともできます。" in page_text(page)
    assert "お金の相談" not in page_text(page)


def test_templates_offer_only_the_contact_channels_the_resident_gave(app, browser) -> None:  # noqa: ANN001
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        load_demo_templates(session, tsunagu.profile)
    browser("admin").post("/admin/templates/new", {"category": "", "title": "連絡のご案内", "active": "y",
                                                   "language": "ja", "body": "あらためて{連絡方法}でご連絡します。"})
    no_phone, _ = submit_record(app, contact="line")
    with_phone, _ = submit_record(app, contact="phone", phone="0246834567")

    without = page_text(browser("taira").get(f"/admin/records/{no_phone}"))
    withit = page_text(browser("taira").get(f"/admin/records/{with_phone}"))

    assert "あらためてこのLINEでご連絡します。" in without and "あらためてこのLINEでご連絡しますので" in without
    assert "お電話" not in without and "{連絡方法}" not in without
    assert "あらためてお電話またはこのLINEでご連絡します。" in withit


def test_an_urgent_record_shows_which_message_raised_it_and_a_misunderstanding_says_so(app, browser) -> None:  # noqa: ANN001
    record_id, _ = danger_record(app, area="taira", text="夫に殴られて逃げています")
    staff = browser("taira")

    text = page_text(staff.get(f"/admin/records/{record_id}"))
    assert "危険のサインがあるメッセージ（DV）" in text
    assert "緊急になったメッセージ：" in text and "夫に殴られて逃げています" in text
    assert "本人の同意を得る前に、このメッセージから作成しました（命や身体を守るため）。" in text

    move(app, record_id, ("withdraw", "resident", {"because": "misunderstanding"}))
    assert "本人が、まちがいだったと答えました。" in page_text(staff.get(f"/admin/records/{record_id}"))
