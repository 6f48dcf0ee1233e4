"""What the consultation says: each question, the summary, the chips, and their words.

A mixin of :class:`bot.flows.intake.IntakeFlow`, kept apart so the flow
module reads as the conversation's logic. Every question fits LINE's 13
quick replies (pages with a 「ほかの…」 chip when it would not) and 20-character
labels; every text is a gettext message id in polite Japanese.
"""
from __future__ import annotations

import re
from typing import Any

from bot.i18n import JAPANESE_LOCALES, LANGUAGE_NAMES, N_
from bot.flows.contact_time_words import contact_wish
from bot.flows.menu import menu_chips
from bot.flows.postbacks import IntakeTap, encode
from bot.messaging.build import postback, share_location, text
from bot.models.intake import ContactMethod, SafeContact, Subject, Urgency
from bot.services.hours import OpeningHours
from bot.services.phone import format_phone
from bot.services.routing import area_of, centre_for_area

MAX_QUICK_REPLIES = 13

SUBJECTS = {Subject.SELF: N_("自分"), Subject.FAMILY: N_("家族"), Subject.NEIGHBOUR: N_("近所・知り合いの人")}
URGENCIES = {Urgency.NOW: N_("今すぐ連絡がほしい"), Urgency.DAYS: N_("数日以内"), Urgency.ANYTIME: N_("いつでもよい")}
CONTACTS = {ContactMethod.LINE: N_("LINEで"), ContactMethod.PHONE: N_("電話で"), ContactMethod.MEET: N_("会って話したい")}
TIMES = {"morning": N_("平日の午前"), "afternoon": N_("平日の午後"), "any": N_("いつでもよい")}
# Offered only to someone who reports a concern about another person (a neighbour, an acquaintance).
NO_CONTACT = N_("連絡は不要")
# Who the resident is to the person concerned (stored as the code); the chips offered depend on
# whether the person is family or a neighbour (RELATION_CHOICES).
RELATIONS = {
    "child": N_("子ども"), "spouse": N_("配偶者"), "parent": N_("親"), "sibling": N_("きょうだい"),
    "relative": N_("ほかの親族"), "neighbour": N_("近所の人"), "friend": N_("知人・友人"), "minsei": N_("民生委員"),
    "care_manager": N_("ケアマネジャー"), "other": N_("その他"),
}
RELATION_CHOICES = {
    Subject.FAMILY: ("child", "spouse", "parent", "sibling", "relative", "other"),
    Subject.NEIGHBOUR: ("neighbour", "friend", "minsei", "care_manager", "other"),
}
# Whether LINE or a phone call is safe, asked when the consultation is about violence (DV).
SAFE_CONTACTS = {
    SafeContact.LINE: N_("LINEならよい"), SafeContact.PHONE: N_("電話ならよい"), SafeContact.BOTH: N_("どちらもよい"),
    SafeContact.NEITHER: N_("どちらも避けてほしい"),
}
CHANGE_LABELS = {
    "who": N_("変更：どなた"), "relation": N_("変更：その方"), "categories": N_("変更：内容"), "area": N_("変更：地区"),
    "details": N_("変更：詳しく"), "urgency": N_("変更：急ぎ"), "safe_contact": N_("変更：安全な連絡"),
    "contact": N_("変更：連絡方法"), "interpreter": N_("変更：通訳"), "times": N_("変更：時間帯"),
}

NOT_ANSWERED = N_("（未回答）")

CONSENT_TEXT = N_(
    "【個人情報の取り扱いについて】\n"
    "・目的：ご相談に応じ、必要な支援におつなぎするためだけに使います。\n"
    "・見る人：担当する{desk_kind}の職員です。複数の機関で支える必要があるときは、{coordinator}も見ます。"
    "ほかの機関に伝えるときは、あらためてご本人の同意をいただきます（命や身体を守るために必要な場合など、法令で認められる場合を除きます）。\n"
    "・保存：相談が終わってから{years}年間保存し、その後、あなたが分かる情報（内容・お名前など）を消します。LINEの会社には残さず、市の相談システムに保存します。\n"
    "・同意しない場合は記録を作りません。お電話での相談もできます。\n"
    "この内容に同意しますか？"
)
# What the consent question shows: the whole text above is one tap away (詳しく), so the question stays short.
CONSENT_SUMMARY = N_(
    "【個人情報の取り扱い】\n"
    "ご相談の内容は、支援におつなぎするためだけに使います。見るのは担当の{desk_kind}と、必要なときは{coordinator}の職員です。"
    "相談が終わってから{years}年で、あなたが分かる情報を消します。\n"
    "同意しますか？（全文は「詳しく」）"
)

WELFARE_CHECK_ADVICE = N_(
    "お話からは、その方が家の中で倒れているおそれもあります。心配なときは、今すぐ119番（救急）か110番（警察）に"
    "電話して、安否の確認を頼んでください。"
)
# Said to residents whose language is not Japanese, under the phone numbers they are given.
JAPANESE_ONLY = N_("これらの電話は、日本語での対応です。")
JAPANESE_ONLY_EXCEPT = N_("「{names}」のほかは、日本語での対応です。")


def japanese_only_note(ctx: Any, hotlines: list[Any] | tuple[Any, ...] = ()) -> str:
    """One line saying the numbers given answer in Japanese, for a resident who does not read Japanese ("" else).

    ``hotlines``: the profile's hotlines among the numbers; a hotline whose
    ``languages`` include the resident's is named as the exception. Desk
    numbers (the centres, the coordinator) are Japanese only.
    """
    locale = ctx.t.locale
    if locale in JAPANESE_LOCALES:
        return ""
    speaking = [hotline.text_in(locale) for hotline in hotlines if locale in hotline.languages]
    if not speaking:
        return ctx._(JAPANESE_ONLY)
    if len(speaking) == len(hotlines):
        return ""
    return ctx._(JAPANESE_ONLY_EXCEPT, names=" / ".join(speaking))


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
    "relation": N_("ボタンから選ぶか、「娘です」「民生委員です」のように送ってください。"),
    "person": N_("お名前を短く送るか、「わからない」を押してください。"),
    "safe_contact": N_("「LINEならよい」「電話ならよい」「どちらもよい」「どちらも避けてほしい」から選んでください。"),
    "interpreter": N_("「はい」か「いいえ」を押すか、通訳の言語を送ってください。"),
    "confirm": N_("「送信する」か、変えたい項目の「変更」を押してください。"),
}

NEXT_STEP = {
    ContactMethod.LINE: N_("このトークで、担当者からご連絡します。"),
    ContactMethod.PHONE: N_("担当者から、お知らせいただいた番号にお電話します。"),
    ContactMethod.MEET: N_("お会いする日時を決めるため、担当者からご連絡します。"),
    ContactMethod.NONE: N_("ご希望どおり、こちらからご連絡はしません。必要に応じて、職員がその方の様子を確かめます。"),
    None: N_("担当者からご連絡します。"),
}
# When staff first read the consultation, by (in triage: the coordinator decides the desk; read today).
FIRST_STEP = {
    (True, True): N_("1. 市の担当者が本日中に内容を確認し、担当のセンターを決めます。"),
    (True, False): N_("1. 市の担当者が次の開庁日（{day}）の午前中に内容を確認し、担当のセンターを決めます。"),
    (False, True): N_("1. 担当の職員が本日中に内容を確認します。"),
    (False, False): N_("1. 担当の職員が次の開庁日（{day}）の午前中に内容を確認します。"),
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
        if note := japanese_only_note(self.ctx):
            body += "\n" + note
        return body, [self.chip(self._("はい、相談する"), IntakeTap.ACCEPT), self.chip(self._("いいえ"), IntakeTap.REFUSE)]

    def question_who(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("どなたのことでのご相談ですか？")
        if any(item["kind"] == "text" for item in self.details()):
            body = self._("お話を、相談の内容として受け取りました。") + "\n" + body
        chips = [self.chip(self._(label), IntakeTap.WHO, code) for code, label in SUBJECTS.items()]
        if self.service.records_of(self.ctx.resident, limit=1):
            chips.append(self.chip(self._("相談の状況"), IntakeTap.STATUS))
        return body, [*chips, self.cancel_chip()]

    def question_relation(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("あなたは、その方の何にあたりますか？（例：お母さまのことなら「子ども」）")
        codes = RELATION_CHOICES.get(self.data.get("subject"), tuple(RELATIONS))
        chips = [self.chip(self._(RELATIONS[code]), IntakeTap.RELATION, code) for code in codes]
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_person(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("その方のお名前を、わかる範囲で教えてください（呼び名でも大丈夫です）。")
        chips = [self.chip(self._("わからない"), IntakeTap.PERSON_UNKNOWN)]
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_safe_contact(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("このLINEや電話に、こちらから連絡しても安全ですか？")
        chips = [self.chip(self._(label), IntakeTap.SAFE_CONTACT, code) for code, label in SAFE_CONTACTS.items()]
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_interpreter(self, brief: bool) -> tuple[str, list[dict]]:
        language = LANGUAGE_NAMES.get(self.ctx.t.locale, self.ctx.t.locale)
        body = self._("お話しするとき、通訳が必要ですか？")
        chips = [self.chip(self._("はい（{language}）", language=language), IntakeTap.INTERPRETER, self.ctx.t.locale),
                 self.chip(self._("ほかの言語"), IntakeTap.INTERPRETER, "other"),
                 self.chip(self._("いいえ、日本語で大丈夫"), IntakeTap.INTERPRETER, "none")]
        return body, [*chips, self.back_chip(), self.cancel_chip()]

    def question_categories(self, brief: bool) -> tuple[str, list[dict]]:
        chosen = self.data.get("categories", [])
        if brief:
            labels = self._("、").join(self.category_label(code) for code in chosen) or self._("（まだありません）")
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
        """The question with every category numbered, chosen ones ticked: by the buttons' short names, so it stays short."""
        lines = [self._("どんなことでお困りですか？いくつでも選んで、「次へ」を押してください（番号で送っても大丈夫です）。")]
        for number, code in enumerate(self.category_codes(), 1):
            lines.append(f"{number}. {self.category_chip(code)}" + (" ✓" if code in chosen else ""))
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
                "気になっている方の様子を、わかる範囲で教えてください。"
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
        # What the resident said is safe (DV) leaves out the way that is not.
        unsafe = {SafeContact.LINE: ContactMethod.PHONE, SafeContact.PHONE: ContactMethod.LINE}.get(
            self.data.get("safe_contact"))
        chips = [self.chip(self._(label), IntakeTap.CONTACT, code)
                 for code, label in CONTACTS.items() if code != unsafe]
        if self.data.get("subject") == Subject.NEIGHBOUR:
            chips.append(self.chip(self._(NO_CONTACT), IntakeTap.CONTACT, ContactMethod.NONE))
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

    def note_on_times(self, typed: str) -> str | None:
        """A kind note when the contact time the resident typed is outside their desk's hours; never a refusal."""
        wish = contact_wish(typed)
        opening = OpeningHours.of(self.ctx.config, self.ctx.profile)
        desk = opening.desk(self.desk_code())  # type: ignore[attr-defined]  # IntakeFlow's
        if wish is None or not opening.outside(desk, wish):
            return None
        return self._("受付時間は{hours}です。時間内にご連絡できるよう調整します。",
                      hours=desk.text_in(self.ctx.t.locale, "hours"))

    def question_consent(self, brief: bool) -> tuple[str, list[dict]]:
        body = self.consent_text(CONSENT_SUMMARY)
        if brief:  # asked again after a note: the text stays above
            body = self._(HINTS["consent"])
        return body, self.consent_chips(more=True)

    def show_consent_text(self) -> None:
        """Shows the whole consent text (詳しく), with the same answers under it."""
        self.ctx.answer(text(self.consent_text(CONSENT_TEXT), self.consent_chips(more=False)))

    def consent_text(self, message: str) -> str:
        return self._(
            message, desk_kind=self._("相談窓口（地区保健福祉センターなど）"),
            coordinator=self.ctx.profile.coordinator.text_in(self.ctx.t.locale), years=self.ctx.profile.retention.years,  # the period the retention task applies
        )

    def consent_chips(self, *, more: bool) -> list[dict]:
        chips = [self.chip(self._("同意する"), IntakeTap.CONSENT, "yes"),
                 self.chip(self._("同意しない"), IntakeTap.CONSENT, "no")]
        if more:
            chips.append(self.chip(self._("詳しく"), IntakeTap.CONSENT, "more"))
        return [*chips, self.back_chip(), self.cancel_chip()]

    def question_confirm(self, brief: bool) -> tuple[str, list[dict]]:
        body = self._("入力内容を確かめてください。") + "\n" + self.summary() + "\n\n" + self._(
            "この内容で送りますか？"
        )
        chips = [self.chip(self._("送信する"), IntakeTap.SUBMIT)]
        for step, label in CHANGE_LABELS.items():
            if self.may_change(step):
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
        contact = _({**CONTACTS, ContactMethod.NONE: NO_CONTACT}.get(data.get("contact"), NOT_ANSWERED))
        if data.get("contact") == ContactMethod.PHONE:
            contact = _("{method}（{phone}）", method=contact, phone=format_phone(data.get("phone")))
        lines = [
            "・" + _("どなた：{value}", value=_(SUBJECTS.get(data.get("subject"), NOT_ANSWERED))),
            *self.person_lines(),
            "・" + _("内容：{value}", value=_("、").join(self.category_label(c) for c in data.get("categories", []))),
            "・" + _("地区：{value}", value=place),
            "・" + _("詳しい内容：{value}", value=written),
            "・" + _("急ぎ：{value}", value=_(URGENCIES.get(data.get("urgency"), NOT_ANSWERED))),
        ]
        if self.about_violence():
            lines.append("・" + _("安全な連絡：{value}", value=_(SAFE_CONTACTS.get(data.get("safe_contact"), NOT_ANSWERED))))
        lines.append("・" + _("連絡方法：{value}", value=contact))
        if self.needs_interpreter():
            lines.append("・" + _("通訳：{value}", value=self.interpreter_label()))
        if self.by_voice():
            times = data.get("times_text") or _(TIMES.get(data.get("times"), NOT_ANSWERED))
            lines.append("・" + _("連絡の時間帯：{value}", value=times))
        return "\n".join(lines)

    def person_lines(self) -> list[str]:
        """The summary's lines about the person concerned, when it is someone else."""
        if self.data.get("subject") not in RELATION_CHOICES:
            return []
        relation = self.data.get("relation")
        relation = self._(RELATIONS[relation]) if relation in RELATIONS else relation or self._(NOT_ANSWERED)
        return [
            "・" + self._("その方のお名前：{value}", value=self.data.get("person_name") or self._("わからない")),
            "・" + self._("あなたとのご関係：{value}", value=relation),
        ]

    def interpreter_label(self) -> str:
        """The interpreter answer as the resident gave it: a language, 不要, or their own words."""
        value = self.data.get("interpreter")
        if value == "none":
            return self._("不要")
        return LANGUAGE_NAMES.get(value, value) if value else self._(NOT_ANSWERED)

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
        opening = OpeningHours.of(self.ctx.config, self.ctx.profile)
        look = opening.first_look(opening.desk(record.centre_code))
        first_step = self._(FIRST_STEP[record.in_triage, look.today], day=self.ctx.t.format_day(look.opens))
        lines = [
            self._("ご相談を受け付けました。"),
            self._("受付番号：{receipt}", receipt=record.receipt_number),
            self._("担当：{desk}", desk=desk),
            self._("☎ {phone}（{hours}）", phone=phone, hours=hours),
            *filter(None, [japanese_only_note(self.ctx)]),
        ]
        if moved:
            told, _phone, _hours = self.service.router.desk_contact(told_desk, self.ctx.t.locale)
            lines.append(self._("先ほどの緊急のメッセージは{told}にお伝えしました。地区が分かったため、このご相談は{desk}が担当します。",
                                told=told, desk=desk))
        # Two short bubbles: the receipt to keep, then what happens next.
        receipt, lines = lines, [
            self._("これからの流れ"),
            first_step,
            "2. " + self._(NEXT_STEP[contact_method]),
        ]
        if record.urgent and look.today:
            lines.append(self._("急ぎのご相談として、受付時間内にできるだけ早くご連絡します。お急ぎのときは上の番号にお電話ください。"))
        elif record.urgent:  # the desk's number does not answer before then
            lines.append(self._("急ぎのご相談として、担当者が確認ししだいご連絡します。それまでに命に関わることがあれば、"
                                "すぐに119番（救急）・110番（警察）に電話してください。"))
        lines += ["", self._("このトークに送ったメッセージや写真は、担当者に届きます。受付番号は、お問い合わせのときにお伝えください。")]
        self.ctx.answer(text("\n".join(receipt)), text("\n".join(lines), [
            self.chip(self._("相談の状況"), IntakeTap.STATUS), *menu_chips(self.ctx)[:MAX_QUICK_REPLIES - 1],
        ]))

    def say_declined(self, desk_code: str | None, urgent_receipt: str | None) -> None:
        """No record: the phone number of the desk, so the person can still call."""
        desk, phone, hours = self.service.router.desk_contact(desk_code, self.ctx.t.locale)
        lines = [
            self._("わかりました。相談の記録は作らず、入力された内容は削除しました。"),
            self._("お電話でもご相談いただけます。"),
            desk + "\n" + self._("☎ {phone}（{hours}）", phone=phone, hours=hours),
            *filter(None, [japanese_only_note(self.ctx)]),
        ]
        if urgent_receipt:
            lines.append(self._("先ほどの緊急のメッセージは、担当者にお伝えしています（受付番号 {receipt}）。", receipt=urgent_receipt))
        lines.append(self._("気が変わったら、いつでも「相談する」からどうぞ。"))
        self.ctx.answer(text("\n".join(lines), menu_chips(self.ctx)))
