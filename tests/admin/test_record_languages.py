"""Staff see each resident's language, and response templates (定型文) come in the resident's language."""
from __future__ import annotations

from sqlalchemy import select

from bot.models import Resident
from bot.models.workflow import ResponseTemplate
from tests.admin.records_support import move, submit_record, user_id
from tests.admin.support import page_text


def set_locale(app, line_user: str, locale: str) -> None:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        session.scalars(select(Resident).where(Resident.line_user_id == line_user)).one().locale = locale


def test_the_record_page_shows_the_residents_language(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, line_user=user_id(700))
    set_locale(app, user_id(700), "vi")
    text = page_text(browser("taira").get(f"/admin/records/{record_id}"))
    assert "相談者の言語 Tiếng Việt" in text


def test_templates_are_written_per_language_and_offered_in_the_residents(app, browser) -> None:  # noqa: ANN001
    admin = browser("admin")
    admin.post("/admin/templates/new", {"category": "", "language": "ja", "title": "お礼", "body": "ご相談ありがとうございます。",
                                        "active": "y"})
    admin.post("/admin/templates/new", {"category": "", "language": "vi", "title": "Cảm ơn",
                                        "body": "Cảm ơn bạn đã liên hệ với chúng tôi.", "active": "y"})
    with app.extensions["tsunagu"].db.transaction() as session:
        saved = {t.title: t.locale for t in session.scalars(select(ResponseTemplate))}
    assert saved == {"お礼": "ja", "Cảm ơn": "vi"}
    assert "Tiếng Việt" in page_text(admin.get("/admin/templates/"))

    vietnamese, _ = submit_record(app, line_user=user_id(701))
    set_locale(app, user_id(701), "vi")
    english, _ = submit_record(app, line_user=user_id(702))
    set_locale(app, user_id(702), "en")
    staff = browser("taira")
    for record_id in (vietnamese, english):
        move(app, record_id, ("start", "centre_staff", {}))
    vi_page = staff.get(f"/admin/records/{vietnamese}").get_data(as_text=True)
    assert "Cảm ơn bạn đã liên hệ với chúng tôi." in vi_page and "ご相談ありがとうございます。" not in vi_page
    en_page = staff.get(f"/admin/records/{english}").get_data(as_text=True)  # none in English: the Japanese ones
    assert "ご相談ありがとうございます。" in en_page and "Cảm ơn bạn" not in en_page


def test_a_template_in_an_unknown_language_is_refused(app, browser) -> None:  # noqa: ANN001
    admin = browser("admin")
    admin.post("/admin/templates/new", {"category": "", "language": "fr", "title": "Merci", "body": "Merci."})
    with app.extensions["tsunagu"].db.transaction() as session:
        assert list(session.scalars(select(ResponseTemplate))) == []
