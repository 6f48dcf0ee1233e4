"""Staff handle a record with care: a forward chooses its centre on purpose, confirmations read naturally,
closing asks first and records an outcome, and a centre keeps sight of a record it passed on."""
from __future__ import annotations

import re

from bot.models.intake import IntakeRecord

from tests.admin.records_support import status_of, submit_record
from tests.admin.support import page_text


def test_the_forward_form_preselects_no_centre(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="onahama")
    with app.extensions["tsunagu"].db.transaction() as session:
        session.get(IntakeRecord, record_id).centre_code = None  # in triage: the area suggests 小名浜
    coordinator = browser("coordinator")

    html = coordinator.get(f"/admin/records/{record_id}").get_data(as_text=True)
    form = re.search(r'<form[^>]+id="forward-form".*?</form>', html, re.S).group(0)

    assert "地区からの候補" in form
    assert "selected" not in form
    assert "転送先を選んでください" in form


def test_a_forward_without_a_chosen_centre_is_refused(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area=None)
    coordinator = browser("coordinator")

    response = coordinator.post(f"/admin/records/{record_id}/forward", {"forward-centre": "", "forward-note": "メモ"})

    assert response.status_code == 400
    assert "転送先のセンターを選んでください。" in page_text(response)
    assert status_of(app, record_id) == ("new", None)


def test_confirmations_read_as_natural_japanese(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    staff = browser("taira")

    response = staff.post(f"/admin/records/{record_id}/triage", {})
    text = page_text(staff.get(response.location))

    assert "確認済みにしました。" in text
    assert "を行いました" not in text
