"""What the consultation says: each question, the summary, the chips, and their words.

A mixin of :class:`bot.flows.intake.IntakeFlow`, kept apart so the flow
module reads as the conversation's logic. Every question fits LINE's 13
quick replies (pages with a 「ほかの…」 chip when it would not) and 20-character
labels; every text is a gettext message id in polite Japanese.
"""
from __future__ import annotations

import re
from typing import Any

from bot.i18n import N_
from bot.flows.menu import menu_chips
from bot.flows.postbacks import IntakeTap, encode
from bot.messaging.build import postback, share_location, text
from bot.models.intake import ContactMethod, Subject, Urgency
from bot.services.phone import format_phone
from bot.services.routing import area_of, centre_for_area

MAX_QUICK_REPLIES = 13

SUBJECTS = {Subject.SELF: N_("自分"), Subject.FAMILY: N_("家族"), Subject.NEIGHBOUR: N_("近所・知り合いの人")}
URGENCIES = {Urgency.NOW: N_("今すぐ連絡がほしい"), Urgency.DAYS: N_("数日以内"), Urgency.ANYTIME: N_("いつでもよい")}
CONTACTS = {ContactMethod.LINE: N_("LINEで"), ContactMethod.PHONE: N_("電話で"), ContactMethod.MEET: N_("会って話したい")}
TIMES = {"morning": N_("平日の午前"), "afternoon": N_("平日の午後"), "any": N_("いつでもよい")}
CHANGE_LABELS = {
    "who": N_("変更：どなた"), "categories": N_("変更：内容"), "area": N_("変更：地区"), "details": N_("変更：詳しく"),
    "urgency": N_("変更：急ぎ"), "contact": N_("変更：連絡方法"), "times": N_("変更：時間帯"),
}

NOT_ANSWERED = N_("（未回答）")

CONSENT_TEXT = N_(
    "【個人情報の取り扱いについて】\n"
    "・目的：ご相談に応じ、必要な支援におつなぎするためだけに使います。\n"
    "・見る人：担当する{desk_kind}の職員です。複数の機関で支える必要があるときは、{coordinator}も見ます。"
    "ほかの機関に伝えるときは、あらためてご本人の同意をいただきます（命や身体を守るために必要な場合など、法令で認められる場合を除きます）。\n"
    "・保存：相談が終わってから{years}年間保存し、その後削除します。LINEの会社には残さず、市の相談システムに保存します。\n"
    "・同意しない場合は記録を作りません。お電話での相談もできます。\n"
    "この内容に同意しますか？"
)


def fit(label: str, limit: int = 20) -> str:
    """A chip label within LINE's 20 characters: drop a trailing （…）, then cut with … (between words if spaced).

    A last resort for a profile written later: the labels and chips of the profiles shipped
    here all fit without it (tests/test_catalog.py).
    """
    if len(label) <= limit:
        return label
    short = re.sub(r"\s*[（(][^（()）]*[)）]\s*$", "", label)
    if len(short) <= limit:
        return short
    cut = short[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")].rstrip(" ,/")
    return cut + "…"

DEFAULT_HINT = N_("下のボタンから選んでください。")
HINTS = {
    "offered": N_("「はい、相談する」か「いいえ」を選んでください。"),
    "details": N_("続けて文章や写真を送るか、書き終わったら「次へ」を押してください。"),
    "who": N_("「自分」「家族」「近所・知り合いの人」から選ぶか、そのように送ってください。"),
    "categories": N_("当てはまるものを押すか、「介護」「お金」のように送ってください。わからなければ「わからない・その他」で大丈夫です。"),
    "area": N_("地区名が見つかりませんでした。ボタンから選ぶか、「わからない」を押してください。"),
    "urgency": N_("「今すぐ」「数日以内」「いつでもよい」から選んでください。"),
    "contact": N_("「LINEで」「電話で」「会って話したい」から選んでください。"),
    "phone": N_("電話番号を確かめられませんでした。市外局番から、数字で送ってください。"),
    "times": N_("ボタンから選ぶか、都合のよい時間を短く送ってください。"),
    "consent": N_("「同意する」か「同意しない」を選んでください。"),
    "confirm": N_("「送信する」か、変えたい項目の「変更」を押してください。"),
}

NEXT_STEP = {
    ContactMethod.LINE: N_("このトークで、担当者からご連絡します。"),
    ContactMethod.PHONE: N_("担当者から、お知らせいただいた番号にお電話します。"),
    ContactMethod.MEET: N_("お会いする日時を決めるため、担当者からご連絡します。"),
    None: N_("担当者からご連絡します。"),
}


class IntakeQuestions:
    """Asks the question of the flow's current state (its step's ``ask``, one of ``question_*``), after any notes."""

    # Set by the flow.
    ctx: Any
    data: dict[str, Any]
    notes: list[str]
    state: str
    name: str
    steps: dict[str, Any]

    def ask(self, *_: Any, brief: bool = False) -> None:
        """Asks the current question, after any notes (on entering a state, or again)."""
        if self.state == "confirm":
            self.data.pop("changing", None)
            self.data.pop("before_change", None)
        body, chips = self.steps[self.state].ask(self, brief)
        if brief and self.notes and self.state == "details":
            body = ""  # the note already says what to do next
        self.ctx.answer(text("\n\n".join([*self.notes, body] if body else self.notes), chips[:MAX_QUICK_REPLIES]))
        self.notes = []

    def question_offered(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._(
            "メッセージをありがとうございます。お困りのことがあれば、ご相談としてお受けします"
            "（書いてくださった内容も引き継ぎます）。相談をはじめますか？\nお電話での相談もできます：{phone}",
            phone=self.ctx.profile.coordinator.phone,
        )
        return body, [self.chip(self._("はい、相談する"), IntakeTap.ACCEPT), self.chip(self._("いいえ"), IntakeTap.REFUSE)]

    def question_who(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("どなたのことでのご相談ですか？")
        if any(item["kind"] == "text" for item in self.details()):
            body = self._("お話を、相談の内容として受け取りました。") + "\n" + body
        chips = [self.chip(self._(label), IntakeTap.WHO, code) for code, label in SUBJECTS.items()]
        if self.service.records_of(self.ctx.resident, limit=1):
            chips.append(self.chip(self._("相談の状況"), IntakeTap.STATUS))
        return body, [*chips, self.cancel_chip()]

    def question_categories(self, brief: bool) -> tuple[str, list[dict]]:
        chosen = self.data.get("categories", [])
        if brief:
            labels = "、".join(self.category_label(code) for code in chosen) or self._("（まだありません）")
            lines = [self._("選んでいるもの：{labels}", labels=labels),
                     self._("ほかにもあれば押し、選び終わったら「次へ」を押してください。")]
        else:
            lines = self.category_list(chosen)
        fixed = [self.chip(self._("次へ"), IntakeTap.CATEGORIES_DONE), self.back_chip(), self.cancel_chip()]
        items = []
        for code in self.category_codes():
            label, short = self.category_label(code), self.category_chip(code)
            if code in chosen:
                items.append(self.chip(fit("✓" + short), IntakeTap.CATEGORY, code, self._("{label}を外す", label=label)))
            else:
                items.append(self.chip(fit(short), IntakeTap.CATEGORY, code, label))
        page = self.page(items, len(fixed), "category_page", IntakeTap.CATEGORY_PAGE, self._("ほかの項目"))
        return "\n".join(lines), [*page, *fixed]

    def category_list(self, chosen: list[str]) -> list[str]:
        """The question with every category numbered, chosen ones ticked."""
        lines = [self._(
            "どんなことでお困りですか？当てはまるものを、いくつでも選んでください（もう一度押すと外れます）。"
            "選び終わったら「次へ」を押してください。番号で送ることもできます（例：1と4）。"
        )]
        for number, code in enumerate(self.category_codes(), 1):
            lines.append(f"{number}. {self.category_label(code)}" + (" ✓" if code in chosen else ""))
        return lines

    def question_area(self, brief: bool) -> tuple[str, list[dict]]:
        whose = self._("お住まいの地区") if self.data.get("subject") in (None, Subject.SELF) else self._("その方がお住まいの地区")
        body = self._(
            "{whose}を選んでください。地区名を送っても大丈夫です（例：{example}）。"
            "「位置情報を送る」で、近くの地区を探すこともできます。",
            whose=whose, example=self.ctx.profile.areas[min(1, len(self.ctx.profile.areas) - 1)].place_in(self.ctx.t.locale),
        )
        fixed = [share_location(self._("位置情報を送る")), self.chip(self._("わからない"), IntakeTap.AREA, "unknown"),
                 self.back_chip(), self.cancel_chip()]
        areas = sorted(self.ctx.profile.areas, key=lambda a: a.code != self.ctx.resident.area_code)
        items = [self.chip(area.place_in(self.ctx.t.locale, limit=20), IntakeTap.AREA, area.code) for area in areas]
        page = self.page(items, len(fixed), "area_page", IntakeTap.AREA_PAGE, self._("ほかの地区"))
        return body, [*page, *fixed]

    def question_details(self, brief: bool) -> tuple[str, list[dict]]:
        if brief:
            body = self._("続けてどうぞ。")
        elif self.data.get("subject") == Subject.NEIGHBOUR:
            body = self._(
                "気になっている方のこと（お名前やお住まい、気になる様子など）を、わかる範囲で教えてください。"
                "何回かに分けて送っても、写真を送っても大丈夫です。書き終わったら「次へ」を押してください。"
            )
        else:
            body = self._(
                "困っていることを、よろしければ詳しく教えてください。"
                "何回かに分けて送っても、写真を送っても大丈夫です。書き終わったら「次へ」を押してください。"
            )
        count = len(self.details())
        if count and not brief:
            body += "\n" + self._("（いま{count}件受け取っています）", count=count)
        if count:
            chips = [self.chip(self._("次へ"), IntakeTap.DETAILS_DONE)]
        else:
            chips = [self.chip(self._("書かずに次へ"), IntakeTap.DETAILS_SKIP)]
        chips.append({"type": "cameraRoll", "label": self._("写真を選ぶ")})
        if count:
            chips.append(self.chip(self._("消して書き直す"), IntakeTap.DETAILS_CLEAR))
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_urgency(self, brief: bool) -> tuple[str, list[dict]]:
        chips = [self.chip(self._(label), IntakeTap.URGENCY, code) for code, label in URGENCIES.items()]
        return self._("ご連絡は、どのくらい急ぎますか？"), [*chips, self.back_chip(), self.cancel_chip()]

    def question_contact(self, brief: bool) -> tuple[str, list[dict]]:
        chips = [self.chip(self._(label), IntakeTap.CONTACT, code) for code, label in CONTACTS.items()]
        return self._("ご連絡の方法を選んでください。"), [*chips, self.back_chip(), self.cancel_chip()]

    def question_phone(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("お電話番号を送ってください（例：090-1234-5678、0246-22-1111）。")
        chips = []
        if self.data.get("phone"):
            chips.append(self.chip(fit(self._("{phone}でよい", phone=format_phone(self.data["phone"]))),
                                   IntakeTap.KEEP_PHONE))
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_times(self, brief: bool) -> tuple[str, list[dict]]:
        chips = [self.chip(self._(label), IntakeTap.TIMES, code) for code, label in TIMES.items()]
        body = self._("連絡のつきやすい時間帯を選ぶか、送ってください（例：火曜の午後）。")
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_consent(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._(
            CONSENT_TEXT, desk_kind=self._("相談窓口（地区保健福祉センターなど）"),
            coordinator=self.ctx.profile.coordinator.text_in(self.ctx.t.locale),
            years=self.ctx.profile.retention.years,  # the period the retention task applies
        )
        chips = [self.chip(self._("同意する"), IntakeTap.CONSENT, "yes"),
                 self.chip(self._("同意しない"), IntakeTap.CONSENT, "no")]
        if brief:  # asked again after a note: the long text stays above
            body = self._(HINTS["consent"])
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_confirm(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("入力内容を確かめてください。") + "\n" + self.summary() + "\n\n" + self._(
            "この内容で送りますか？変えたいところがあれば「変更」を押してください。"
        )
        chips = [self.chip(self._("送信する"), IntakeTap.SUBMIT)]
        for step, label in CHANGE_LABELS.items():
            if step != "times" or not self.by_line():
                chips.append(self.chip(self._(label), IntakeTap.CHANGE, step))
        if brief:  # asked again after a note: the summary stays above
            body = self._(HINTS["confirm"])
        return body, [*chips, self.cancel_chip()]

    def summary(self) -> str:
        """Every answer, as the resident will check it before sending."""
        data, _ = self.data, self._
        area, centre = area_of(self.ctx.profile, data.get("area")), centre_for_area(self.ctx.profile, data.get("area"))
        if area and centre:
            place = _("{area}（担当：{desk}）", area=area.place_in(self.ctx.t.locale), desk=centre.place_in(self.ctx.t.locale))
        else:
            place = _("わからない（市の{coordinator}が担当を決めます）", coordinator=self.ctx.profile.coordinator.text_in(self.ctx.t.locale))
        texts = [item["text"] for item in self.details() if item["kind"] == "text"]
        photos = len(self.details()) - len(texts)
        written = "\n".join(texts)
        if len(written) > 120:
            written = written[:120] + "…"
        if not texts and not photos:
            written = _("（なし）")
        if photos:
            written += _("（写真{count}枚）", count=photos)
        contact = _(CONTACTS.get(data.get("contact"), NOT_ANSWERED))
        if data.get("contact") == ContactMethod.PHONE:
            contact = _("{method}（{phone}）", method=contact, phone=format_phone(data.get("phone")))
        lines = [
            "・" + _("どなた：{value}", value=_(SUBJECTS.get(data.get("subject"), NOT_ANSWERED))),
            "・" + _("内容：{value}", value="、".join(self.category_label(c) for c in data.get("categories", []))),
            "・" + _("地区：{value}", value=place),
            "・" + _("詳しい内容：{value}", value=written),
            "・" + _("急ぎ：{value}", value=_(URGENCIES.get(data.get("urgency"), NOT_ANSWERED))),
            "・" + _("連絡方法：{value}", value=contact),
        ]
        if not self.by_line():
            times = data.get("times_text") or _(TIMES.get(data.get("times"), NOT_ANSWERED))
            lines.append("・" + _("連絡の時間帯：{value}", value=times))
        return "\n".join(lines)

    # -- helpers -----------------------------------------------------------------------------------

    def chip(self, label: str, action: IntakeTap, arg: object = "", display: str | None = None) -> dict:
        return postback(fit(label), encode(action, arg), display or label)

    def back_chip(self) -> dict:
        return self.chip(self._("戻る"), IntakeTap.BACK)

    def cancel_chip(self) -> dict:
        return self.chip(self._("やめる"), IntakeTap.CANCEL)

    def page(self, items: list[dict], fixed: int, key: str, action: IntakeTap, more: str) -> list[dict]:
        """The chips of one page, with a 「ほかの…」 chip when they do not all fit in 13."""
        room = MAX_QUICK_REPLIES - fixed
        if len(items) <= room:
            return items
        size = room - 1
        pages = (len(items) + size - 1) // size
        current = self.data.get(key, 0) % pages
        following = (current + 1) % pages
        nav = self.chip(f"{more} ▶ {following + 1}/{pages}", action, following, more)
        return [*items[current * size:(current + 1) * size], nav]

    def category_codes(self) -> list[str]:
        return [category.code for category in self.ctx.profile.categories]

    def category_label(self, code: str) -> str:
        category = self.ctx.profile.category(code)
        return category.text_in(self.ctx.t.locale)

    def category_chip(self, code: str) -> str:
        """The category's label on a button: a short form the profile gives where the label is long."""
        return self.ctx.profile.category(code).chip_in(self.ctx.t.locale)

    # -- the end of the conversation ------------------------------------------------------------

    def say_receipt(self, record, contact_method: str | None, *,  # noqa: ANN001
                    moved: bool = False, told_desk: str | None = None) -> None:
        """The receipt number, who will contact and how to reach them, and what happens next.

        ``moved``: a crisis notice named another desk for this record
        (``told_desk``, a centre code; None is the coordinator) before the
        area was known; the receipt then says plainly that the record moved.
        """
        desk, phone, hours = self.service.desk_contact(record, self.ctx.t.locale)
        first_step = (N_("1. 市の担当者が内容を確認し、担当のセンターを決めます。") if record.in_triage
                      else N_("1. 担当の職員が内容を確認します。"))
        lines = [
            self._("ご相談を受け付けました。"),
            self._("受付番号：{receipt}", receipt=record.receipt_number),
            self._("担当：{desk}", desk=desk),
            f"☎ {phone}（{hours}）",
        ]
        if moved:
            told, _phone, _hours = self.service.router.desk_contact(told_desk, self.ctx.t.locale)
            lines.append(self._("先ほどの緊急のメッセージは{told}にお伝えしました。地区が分かったため、このご相談は{desk}が担当します。",
                                told=told, desk=desk))
        lines += [
            "",
            self._("これからの流れ"),
            self._(first_step),
            "2. " + self._(NEXT_STEP[contact_method]),
        ]
        if record.urgent:
            lines.append(self._("急ぎのご相談として、受付時間内にできるだけ早くご連絡します。お急ぎのときは上の番号にお電話ください。"))
        lines += ["", self._("このトークに送ったメッセージや写真は、担当者に届きます。受付番号は、お問い合わせのときにお伝えください。")]
        self.ctx.answer(text("\n".join(lines), [
            self.chip(self._("相談の状況"), IntakeTap.STATUS), *menu_chips(self.ctx)[:MAX_QUICK_REPLIES - 1],
        ]))

    def say_declined(self, desk_code: str | None, urgent_receipt: str | None) -> None:
        """No record: the phone number of the desk, so the person can still call."""
        desk, phone, hours = self.service.router.desk_contact(desk_code, self.ctx.t.locale)
        lines = [
            self._("わかりました。相談の記録は作らず、入力された内容は削除しました。"),
            self._("お電話でもご相談いただけます。"),
            f"{desk}\n☎ {phone}（{hours}）",
        ]
        if urgent_receipt:
            lines.append(self._("先ほどの緊急のメッセージは、担当者にお伝えしています（受付番号 {receipt}）。", receipt=urgent_receipt))
        lines.append(self._("気が変わったら、いつでも「相談する」からどうぞ。"))
        self.ctx.answer(text("\n".join(lines), menu_chips(self.ctx)))
