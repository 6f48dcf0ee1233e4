"""相談する: a consultation that never turns anyone away (断らない相談).

    offered ─accept_offer─▶ who ─▶ [relation ─▶ person] ─▶ categories ─▶ area ─▶ details ─▶ urgency
        ─▶ [safe_contact] ─▶ contact ─▶ [phone] ─▶ [interpreter] ─▶ [times] ─▶ consent ─agree─▶ confirm
        ─submit─▶ done                                                        └decline─▶ declined
    [relation, person]: about someone else; [safe_contact]: about violence (DV);
    [interpreter]: a resident who does not use Japanese asked to be called or met.
    戻る: one step back, the answer kept. 変更: from the summary to one step and back.

Diagram: intake.mmd, drawn from TRANSITIONS by ``make diagrams``. What the bot
says — each question, the summary, the chips — is in bot/flows/intake_questions.py;
every question also takes typed words (bot/flows/intake_words.py). The record is created only on submit, after
consent (bot/services/intake.py); until then the answers are a draft in the
conversation, deleted on やめる, on declining, or 24 hours after the last
answer. Danger signals are answered before any step (bot/handlers/crisis.py).
"""
from __future__ import annotations

import copy
import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from bot.flows.base import Flow, Step
from bot.flows.context import EventContext
from bot.flows.intake_questions import (
    CHANGE_LABELS,
    CONTACTS,
    DEFAULT_HINT,
    HINTS,
    RELATION_CHOICES,
    RELATIONS,
    SAFE_CONTACTS,
    SUBJECTS,
    TIMES,
    URGENCIES,
    WELFARE_CHECK_ADVICE,
    IntakeQuestions,
    japanese_only_note,
)
from bot.flows.intake_words import (
    NUMBER_LIST,
    area_from_text,
    asks_for_status,
    categories_from_text,
    change_from_text,
    contact_from_text,
    declines_contact,
    is_not_needed,
    language_from_text,
    looks_like_story,
    relation_from_text,
    safe_contact_from_text,
    relation_from_person,
    subject_from_text,
    time_from_text,
    urgency_from_text,
    welfare_signs,
)
from bot.flows.menu import asks_for_menu, menu_chips
from bot.flows.postbacks import IntakeTap, Postback
from bot.i18n import JAPANESE_LOCALES
from bot.messaging.build import text
from bot.models import utcnow
from bot.models.intake import ContactMethod, IntakeRecord, SafeContact, Subject, Urgency
from bot.services.intake import (
    CONSENT_VERSION,
    DRAFT_ANSWER_KEYS,
    Answers,
    IntakeService,
    held_answers,
)
from bot.services.hours import OpeningHours
from bot.services.phone import InvalidPhone, normalise_phone
from bot.services.routing import centre_for_area
from bot.services.safety import DV, VIOLENCE
from bot.tasks.intake import fetch_intake_photo
from bot.tasks.workflow import email_urgent_record
from bot.understanding.answers import (
    AGREE,
    DISAGREE,
    SEND,
    is_back,
    is_more,
    is_next,
    is_no,
    is_restart,
    is_resume,
    is_skip,
    is_unknown,
    is_yes,
)
from bot.understanding.normalise import normalise

# -- the conversation as data ------------------------------------------------------

# The questions, in order; each asks itself on entry.
QUESTIONS = ["offered", "who", "relation", "person", "categories", "area", "details", "urgency", "safe_contact",
             "contact", "phone", "interpreter", "times", "consent", "confirm"]
STATES = [{"name": name, "on_enter": "ask"} for name in QUESTIONS] + ["done", "declined"]
# The answers a resident can change from the summary (変更), each asked by its own step
# (「その方」 asks the relation, then the name).
CHANGEABLE = ["who", "relation", "categories", "area", "details", "urgency", "safe_contact", "contact", "interpreter",
              "times"]
CHANGE_TRIGGERS = {step: f"change_{step}" for step in CHANGEABLE}
ANSWER_STEPS = [*CHANGEABLE, "person", "phone"]

TRANSITIONS: list[dict[str, Any]] = [
    # Offered when a resident wrote about a trouble outside any flow.
    {"trigger": "accept_offer", "source": "offered", "dest": "who"},
    # Answering moves on; while changing one answer, back to the summary once what it needs is asked.
    {"trigger": "next", "source": "who", "dest": "relation", "conditions": ["about_someone_else", "asks_relation"]},
    {"trigger": "next", "source": "who", "dest": "person", "conditions": "about_someone_else"},
    {"trigger": "next", "source": "relation", "dest": "person"},
    {"trigger": "next", "source": "contact", "dest": "phone", "conditions": "asks_phone"},
    {"trigger": "next", "source": ["contact", "phone"], "dest": "interpreter", "conditions": "asks_interpreter"},
    {"trigger": "next", "source": ["contact", "phone", "interpreter"], "dest": "times",
     "conditions": ["changing", "needs_times"]},
    {"trigger": "next", "source": "categories", "dest": "safe_contact",
     "conditions": ["changing", "asks_safe_contact"]},
    {"trigger": "next", "source": ["who", "person"], "dest": "contact", "conditions": ["changing", "asks_contact"]},
    {"trigger": "next", "source": ANSWER_STEPS, "dest": "confirm", "conditions": "changing"},
    {"trigger": "next", "source": ["who", "person"], "dest": "categories"},
    {"trigger": "next", "source": "categories", "dest": "area"},
    {"trigger": "next", "source": "area", "dest": "details"},
    {"trigger": "next", "source": "details", "dest": "urgency"},
    {"trigger": "next", "source": "urgency", "dest": "safe_contact", "conditions": "about_violence"},
    {"trigger": "next", "source": ["urgency", "safe_contact"], "dest": "contact"},
    {"trigger": "next", "source": "contact", "dest": "consent", "conditions": "by_line"},
    {"trigger": "next", "source": "contact", "dest": "consent", "conditions": "no_contact"},
    {"trigger": "next", "source": ["contact", "phone", "interpreter"], "dest": "times"},
    {"trigger": "next", "source": "times", "dest": "consent"},
    {"trigger": "agree", "source": "consent", "dest": "confirm"},
    {"trigger": "decline", "source": "consent", "dest": "declined"},
    {"trigger": "submit", "source": "confirm", "dest": "done"},
    # 戻る: one step back with the earlier answer kept; a change is undone.
    {"trigger": "back", "source": "phone", "dest": "contact"},
    {"trigger": "back", "source": CHANGEABLE, "dest": "confirm", "conditions": "changing", "before": "undo_change"},
    {"trigger": "back", "source": "relation", "dest": "who"},
    {"trigger": "back", "source": "person", "dest": "relation"},
    {"trigger": "back", "source": "categories", "dest": "person", "conditions": "about_someone_else"},
    {"trigger": "back", "source": "categories", "dest": "who"},
    {"trigger": "back", "source": "area", "dest": "categories"},
    {"trigger": "back", "source": "details", "dest": "area"},
    {"trigger": "back", "source": "urgency", "dest": "details"},
    {"trigger": "back", "source": "safe_contact", "dest": "urgency"},
    {"trigger": "back", "source": "contact", "dest": "safe_contact", "conditions": "about_violence"},
    {"trigger": "back", "source": "contact", "dest": "urgency"},
    {"trigger": "back", "source": "interpreter", "dest": "phone", "conditions": "by_phone"},
    {"trigger": "back", "source": "interpreter", "dest": "contact"},
    {"trigger": "back", "source": "times", "dest": "interpreter", "conditions": "needs_interpreter"},
    {"trigger": "back", "source": "times", "dest": "phone", "conditions": "by_phone"},
    {"trigger": "back", "source": "times", "dest": "contact"},
    {"trigger": "back", "source": "consent", "dest": "contact", "conditions": "by_line"},
    {"trigger": "back", "source": "consent", "dest": "contact", "conditions": "no_contact"},
    {"trigger": "back", "source": "consent", "dest": "times"},
    {"trigger": "back", "source": "confirm", "dest": "consent"},
    # 変更: change one answer from the summary, then come back to it.
    *({"trigger": CHANGE_TRIGGERS[step], "source": "confirm", "dest": step, "before": "start_change"}
      for step in CHANGEABLE),
    # 最初から: forget the answers and start again.
    {"trigger": "restart", "source": QUESTIONS, "dest": "who", "before": "forget_answers"},
]
# What each state asks, and the taps and words it reads: IntakeFlow.steps, at the end of the class.

# The steps that keep what the resident writes (the offer's story, the details, additions at the summary).
FREE_TEXT_STEPS = ("offered", "details", "confirm")
MAX_DETAIL_ITEMS = 30
MAX_PHOTOS = 10
# A resident who comes back after this long is offered to continue, rather than told off for odd input.
RESUME_AFTER = timedelta(minutes=30)

class IntakeFlow(IntakeQuestions, Flow):
    name = "intake"
    taps = IntakeTap
    states = STATES
    transitions = TRANSITIONS
    initial = "who"
    final_states = frozenset({"done", "declined"})

    def __init__(self, ctx, conversation) -> None:  # noqa: ANN001
        self.idle = utcnow() - conversation.updated_at  # before this event touches it
        super().__init__(ctx, conversation)
        # Lists inside are changed in place; a deep copy lets the JSON column see the change.
        self.data = copy.deepcopy(self.data)
        self.notes: list[str] = []  # said before the next question, in the same message
        self.unexpected = "text"

    # -- starting, resuming, leaving ---------------------------------------------------

    @classmethod
    def begin(cls, ctx, **data: Any) -> Flow:  # noqa: ANN001
        """Start a consultation; offer to continue an unfinished one instead."""
        from bot.flows.status import IntakeStatusFlow

        message = getattr(ctx.event, "message", None)
        if getattr(message, "type", None) == "text" and asks_for_status(message.text or ""):
            return IntakeStatusFlow.begin(ctx)
        service = cls.service_for(ctx)
        draft = service.resumable_draft(ctx.resident)
        if draft is not None and held_answers(draft.data):
            return cls.resume(ctx, draft)
        expired = service.expired_draft(ctx.resident)
        conversation = ctx.conversations.start(ctx.resident, cls.name, cls.initial, data)
        flow = cls(ctx, conversation)
        if expired is not None:
            service.forget_draft(expired, "purged")
            flow.notes.append(flow._("前回、入力の途中だった相談は、24時間たったため削除しました。お手数ですが、はじめからお願いします。"))
        flow.on_begin()
        flow.save()
        return flow

    @classmethod
    def resume(cls, ctx, draft) -> Flow:  # noqa: ANN001
        """Reopen an unfinished consultation and ask whether to continue it."""
        current = ctx.conversations.active(ctx.resident)
        if current is not None and current.id != draft.id:
            ctx.conversations.end(current, "replaced")
        draft.ended_at = None
        draft.end_reason = None
        flow = cls(ctx, draft)
        flow.offer_resume()
        flow.save()
        return flow

    @classmethod
    def offer(cls, ctx, typed: str, message_id: str) -> Flow:  # noqa: ANN001
        """Offer a consultation to a resident who wrote about a trouble; their words are kept for it."""
        data = {"details": [{"kind": "text", "id": message_id, "text": typed}]}
        conversation = ctx.conversations.start(ctx.resident, cls.name, "offered", data)
        flow = cls(ctx, conversation)
        flow.ask()
        flow.save()
        return flow

    @classmethod
    def enter(cls, ctx, tap: Postback) -> bool:  # noqa: ANN001
        """A button of an earlier consultation message, after the conversation ended."""
        service = cls.service_for(ctx)
        if tap.action == IntakeTap.STATUS:
            from bot.flows.status import IntakeStatusFlow

            IntakeStatusFlow.begin(ctx)
            return True
        if tap.action == IntakeTap.SUBMIT:
            records = service.records_of(ctx.resident, limit=1)
            if records and utcnow() - records[0].created_at < timedelta(minutes=30):
                ctx.answer(text(ctx._("このご相談は受付済みです（受付番号 {receipt}）。", receipt=records[0].receipt_number),
                                menu_chips(ctx)))
                return True
        cls.begin(ctx)
        return True

    @staticmethod
    def service_for(ctx) -> IntakeService:  # noqa: ANN001
        return IntakeService(ctx.session, ctx.profile, draft_ttl=timedelta(minutes=ctx.config["CONVERSATION_TTL_MINUTES"]))

    @property
    def service(self) -> IntakeService:
        return self.service_for(self.ctx)

    def on_begin(self) -> None:
        """Says what happens and asks who needs help."""
        self.notes.append(self._(
            "ご相談をお受けします。どなたのことでも、どんな内容でも大丈夫です。\n"
            "いくつか質問します。途中で「戻る」「やめる」もできます。"
        ))
        self.ask()

    def offer_resume(self) -> None:
        """Asks whether to continue an unfinished consultation where it stopped."""
        self.data["resume_offered"] = True
        saved = self.ctx.t.format_datetime(self.conversation.updated_at, "short")
        self.ctx.answer(text(
            self._("入力の途中の相談があります（最後の入力：{saved}）。続きから入力しますか？", saved=saved),
            [self.chip(self._("続きから"), IntakeTap.RESUME), self.chip(self._("最初から"), IntakeTap.RESTART),
             self.cancel_chip()],
        ))

    def cancel(self) -> str | None:
        """やめる deletes the draft; メニュー only leaves it, to be continued within 24 hours."""
        message = getattr(self.ctx.event, "message", None)
        typed = message.text if getattr(message, "type", None) == "text" else ""
        if typed and asks_for_menu(typed):
            return self.leave()
        return self.discard()

    def leave(self) -> str | None:
        """Keeps the draft; returns how to come back to it, when there is something to come back to."""
        self.ctx.conversations.end(self.conversation, "left")
        if held_answers(self.data):
            return self._("入力の途中の相談は24時間保存します。「相談する」から続きを入力できます。")
        return None

    def discard(self) -> str:
        """Deletes the draft (answers, text and photos) and returns what to tell the resident."""
        urgent_receipt = self._urgent_receipt()
        self.service.forget_draft(self.conversation, "cancelled")
        self.data = {}
        note = self._("入力された内容は削除しました。")
        if urgent_receipt:
            note += "\n" + self._("先ほどの緊急のメッセージは、担当者にお伝えしています（受付番号 {receipt}）。", receipt=urgent_receipt)
        return note

    # -- what the resident sends ---------------------------------------------------------

    def on_text(self, typed: str) -> bool:
        """戻る, and 続きから or 最初から when offered, on every step; else what the step reads."""
        if is_back(typed):
            return self.control(IntakeTap.BACK)
        if self.data.get("resume_offered"):
            if is_resume(typed):
                return self.control(IntakeTap.RESUME)
            if is_restart(typed):
                return self.control(IntakeTap.RESTART)
        return super().on_text(typed)

    def on_location(self, latitude: float, longitude: float, title: str | None, address: str | None) -> bool:
        if self.state != "area":
            self.unexpected = "location"
            return False
        area = self.ctx.profile.area_near(latitude, longitude)
        if area is None:
            # Often a son or daughter far away sharing their own place: ask for the person's area instead.
            self.notes.append(self._("送っていただいた場所は{city}の外のようです。", city=self.ctx.profile.text_in(self.ctx.t.locale)))
            self.ask()
            return True
        self.notes.append(self._(
            "位置情報から「{area}」地区としました（担当：{desk}）。違う場合は、最後の確認で変更できます。",
            area=area.place_in(self.ctx.t.locale),
            desk=self.service.router.desk_name(self.desk_code(area.code), self.ctx.t.locale),
        ))
        return self.choose_area(area.code, "location")

    def on_media(self, kind: str, message_id: str) -> bool:
        """A photo is kept for the details on any question once the resident agreed to consult; nothing else is."""
        if self.state == "offered":
            self.unexpected = "media"
            return False
        if kind != "image":
            self.notes.append(self._("写真のほかは受け取れません。動画や音声の内容は、文章で送るか、お電話でお伝えください。"))
            self.ask()
            return True
        return self.add_photo(message_id) if self.state == "details" else self.add_early_photo(message_id)

    def on_danger(self, typed: str, message_id: str, kinds: frozenset[str], *, read_again: bool = True) -> None:
        """Marks the consultation urgent after a danger signal, then carries on with the step.

        ``read_again``: the step has not read these words yet (False when it did,
        before 「今、身の危険を感じていますか？」 was asked, bot/flows/crisis.py).
        """
        service = self.service
        area = (self.data["area"], self.data.get("area_source")) if self.data.get("area") else None
        record, created = service.raise_alarm(
            self.ctx.resident, typed, message_id, kinds, record_id=self.data.get("urgent_record_id"), area=area
        )
        self.data["urgent_record_id"] = record.id
        self.ctx.enqueue_after_commit(email_urgent_record, record.id)
        self.data["danger"] = sorted(set(self.data.get("danger", [])) | set(kinds))
        self.ctx.answer(text(danger_notice(self.ctx, service, record, created=created, in_consultation=True)))
        if read_again and self.state in FREE_TEXT_STEPS and self.on_text(typed):
            return
        self.notes.append(self._("よろしければ、相談の続きもお聞かせください。"))
        self.ask()

    def remind(self) -> None:
        """Asks the current question again with a short hint, or offers to continue after a long pause."""
        if self.idle >= RESUME_AFTER and not self.data.get("resume_offered"):
            self.offer_resume()
            return
        if self.unexpected == "media":
            self.notes.append(self._("写真は「詳しい内容」の質問のときに送れます。"))
        elif self.unexpected == "location":
            self.notes.append(self._("位置情報は、地区の質問のときに使えます。"))
        elif self.state in ("consent", "confirm"):
            self.ask(brief=True)  # the short hint, not the consent text or the summary again
            return
        else:
            self.notes.append(self._(HINTS.get(self.state, DEFAULT_HINT)))
        # The category list, the consent text and the summary are long and still just above:
        # a short reminder, not them again.
        self.ask(brief=self.state in ("categories", "consent", "confirm"))

    def tap_control(self, tap: Postback) -> bool:
        return self.control(tap.action)

    def control(self, action: IntakeTap) -> bool:
        """戻る, やめる, 続きから, 最初から, 相談の状況: the same on every step."""
        self.data.pop("resume_offered", None)
        if action == IntakeTap.BACK:
            if self.may_back():
                self.back()
            else:
                self.notes.append(self._("これが最初の質問です。"))
                self.ask()
        elif action == IntakeTap.CANCEL:
            note = self.discard()
            self.ctx.answer(text(note + "\n" + self._("中止しました。ほかにご用件があれば選んでください。"), menu_chips(self.ctx)))
        elif action == IntakeTap.RESUME:
            self.ask()
        elif action == IntakeTap.RESTART:
            self.restart()
        elif action == IntakeTap.STATUS:
            from bot.flows.status import IntakeStatusFlow

            if note := self.leave():
                self.ctx.answer(text(note))
            IntakeStatusFlow.begin(self.ctx)
        return True

    # -- offered ---------------------------------------------------------------------------

    def tap_offered(self, tap: Postback) -> bool:
        if tap.action == IntakeTap.ACCEPT:
            self.accept_offer()
            return True
        if tap.action == IntakeTap.REFUSE:
            return self.refuse_offer()
        return False

    def type_offered(self, typed: str) -> bool:
        if is_yes(typed, AGREE):
            self.accept_offer()
            return True
        if is_no(typed, DISAGREE):
            return self.refuse_offer()
        self.keep_words(typed, self.message_id)
        self.ask()
        return True

    def refuse_offer(self) -> bool:
        """Deletes what the resident wrote and shows the menu."""
        self.discard()
        self.ctx.answer(text(self._("わかりました。書いてくださった内容は削除しました。いつでも「相談する」からご相談ください。"),
                             menu_chips(self.ctx)))
        return True

    # -- who -------------------------------------------------------------------------------

    def tap_who(self, tap: Postback) -> bool:
        return tap.action == IntakeTap.WHO and tap.arg in SUBJECTS and self.choose_subject(tap.arg)

    def type_who(self, typed: str) -> bool:
        if looks_like_story(typed):
            # A whole story at the first question: keep it, then still ask whose it is.
            self.keep_words(typed, self.message_id)
            self.ask()
            return True
        subject = subject_from_text(typed)
        relation = relation_from_person(typed) if subject == Subject.FAMILY else None
        return subject is not None and self.choose_subject(subject, relation)

    def choose_subject(self, subject: str, relation: str | None = None) -> bool:
        """Stores who needs help (and who the resident is to them, when the words said it) and asks about them."""
        self.data["subject"] = subject
        self.data.pop("relation", None)
        if relation:
            self.data["relation"] = relation  # 「母のことです」: not asked again
        if subject not in RELATION_CHOICES:
            self.data.pop("person_name", None)
        if subject != Subject.NEIGHBOUR and self.no_contact():
            self.data.pop("contact", None)  # 連絡は不要 is only for a report about someone else: asked again
        if subject == Subject.NEIGHBOUR:
            self.notes.append(self._(
                "気にかけてくださり、ありがとうございます。内容によっては、センターの職員がその方を訪ねて、"
                "様子をうかがうことがあります。ご連絡くださった方のことは、その方に伝えません。"
            ))
        self.next()
        return True

    # -- the person concerned (family, a neighbour) -------------------------------------------

    def tap_relation(self, tap: Postback) -> bool:
        return tap.action == IntakeTap.RELATION and tap.arg in RELATIONS and self.choose_relation(tap.arg)

    def type_relation(self, typed: str) -> bool:
        if is_unknown(typed) or is_skip(typed):
            return self.choose_relation(None)
        if is_yes(typed) or is_no(typed):
            return False
        if len(typed.strip()) > 50:
            # A story rather than an answer: kept for the details, and the question asked again.
            self.keep_words(typed, self.message_id)
            self.notes.append(self._("詳しい内容として受け取りました。"))
            self.ask()
            return True
        # A relation the words name plainly, else the resident's own words (「母のことです」) for staff to read.
        return self.choose_relation(relation_from_text(typed) or typed.strip() or None)

    def choose_relation(self, relation: str | None) -> bool:
        """Stores who the resident is to the person concerned and asks the person's name."""
        self.data["relation"] = relation
        self.next()
        return True

    def tap_person(self, tap: Postback) -> bool:
        return tap.action == IntakeTap.PERSON_UNKNOWN and self.choose_person_name(None)

    def type_person(self, typed: str) -> bool:
        if is_unknown(typed) or is_skip(typed) or is_no(typed):
            return self.choose_person_name(None)
        if is_yes(typed):
            return False  # 「はい」 is not a name: asked again with a hint
        if len(typed.strip()) > 40:
            self.keep_words(typed, self.message_id)
            self.notes.append(self._("詳しい内容として受け取りました。"))
            self.ask()
            return True
        return self.choose_person_name(typed.strip())

    def choose_person_name(self, name: str | None) -> bool:
        """Stores the person's name (None: not known) and asks what the trouble is about."""
        self.data["person_name"] = name
        self.next()
        return True

    # -- categories ------------------------------------------------------------------------

    def tap_categories(self, tap: Postback) -> bool:
        if tap.action == IntakeTap.CATEGORY and tap.arg in self.category_codes():
            chosen = self.data.setdefault("categories", [])
            if tap.arg in chosen:
                chosen.remove(tap.arg)
            else:
                chosen.append(tap.arg)
            self.ask(brief=True)
            return True
        if tap.action == IntakeTap.CATEGORY_PAGE:
            self.data["category_page"] = _int(tap.arg)
            self.ask(brief=True)
            return True
        if tap.action == IntakeTap.CATEGORIES_DONE:
            return self.finish_categories()
        return False

    def type_categories(self, typed: str) -> bool:
        if is_next(typed):
            return self.finish_categories()
        codes = self.categories_by_number(typed) or categories_from_text(typed, self.ctx.profile)
        if looks_like_story(typed):
            self.keep_words(typed, self.message_id)
        if not codes:
            if looks_like_story(typed):
                self.ask()
                return True
            return False
        chosen = self.data.setdefault("categories", [])
        chosen.extend(code for code in codes if code not in chosen)
        labels = self._("、").join(self.category_label(code) for code in codes)
        self.notes.append(self._("「{labels}」を選びました。", labels=labels))
        self.ask(brief=True)
        return True

    def finish_categories(self) -> bool:
        """Stores what the trouble is about and asks where the person lives."""
        if not self.data.get("categories"):
            self.notes.append(self._("1つ以上選んでください。当てはまるものがなければ「わからない・その他」で大丈夫です。"))
            self.ask()
            return True
        self.data.pop("category_page", None)
        self.next()
        return True

    def categories_by_number(self, typed: str) -> list[str]:
        """「1と4」「１、４」: the numbers shown in the question's list."""
        word = unicodedata.normalize("NFKC", typed)
        if not NUMBER_LIST.fullmatch(word):
            return []
        codes = self.category_codes()
        return [codes[int(n) - 1] for n in re.findall(r"\d+", word) if 1 <= int(n) <= len(codes)]

    # -- area --------------------------------------------------------------------------------

    def tap_area(self, tap: Postback) -> bool:
        if tap.action == IntakeTap.AREA and tap.arg == "unknown":
            return self.choose_area(None, "unknown")
        if tap.action == IntakeTap.AREA and tap.arg in {area.code for area in self.ctx.profile.areas}:
            return self.choose_area(tap.arg, "chosen")
        if tap.action == IntakeTap.AREA_PAGE:
            self.data["area_page"] = _int(tap.arg)
            self.ask()
            return True
        return False

    def type_area(self, typed: str) -> bool:
        if is_unknown(typed):
            return self.choose_area(None, "unknown")
        area = area_from_text(typed, self.ctx.profile)
        if looks_like_story(typed):
            self.keep_words(typed, self.message_id)
            if area is None:
                self.ask()
                return True
        return area is not None and self.choose_area(area.code, "typed")

    def choose_area(self, area_code: str | None, source: str) -> bool:
        """Stores where the person lives (or わからない) and asks for the details."""
        self.data["area"] = area_code
        self.data["area_source"] = source
        self.data.pop("area_page", None)
        if area_code is None:
            self.notes.append(self._(
                "わかりました。市の{coordinator}が内容を確認して、担当のセンターにおつなぎします。",
                coordinator=self.ctx.profile.coordinator.text_in(self.ctx.t.locale),
            ))
        self.next()
        return True

    # -- details -------------------------------------------------------------------------------

    def tap_details(self, tap: Postback) -> bool:
        if tap.action in (IntakeTap.DETAILS_DONE, IntakeTap.DETAILS_SKIP):
            self.next()
            return True
        if tap.action == IntakeTap.DETAILS_CLEAR:
            self.clear_details()
            self.ask()
            return True
        return False

    def type_details(self, typed: str) -> bool:
        if is_next(typed) or (is_skip(typed) and len(normalise(typed)) <= 6):
            self.next()
            return True
        return self.add_words(typed, self.message_id)

    def add_words(self, typed: str, message_id: str) -> bool:
        """Stores one message of the details and asks for more or 次へ."""
        if self.keep_words(typed, message_id):
            self.notes.append(self._("受け取りました（{count}件）。続けて送るか、書き終わったら「次へ」を押してください。",
                                     count=len(self.details())))
        self.ask(brief=True)
        return True

    def add_photo(self, message_id: str) -> bool:
        """Stores a photo of the details (fetched by the worker) and asks for more or 次へ."""
        count = self.keep_photo(message_id)
        if count:
            self.notes.append(self._("写真を受け取りました（{count}枚）。続けて送るか、書き終わったら「次へ」を押してください。",
                                     count=count))
        self.ask(brief=True)
        return True

    def add_early_photo(self, message_id: str) -> bool:
        """Keeps a photo sent at another question for the details, and asks that question again."""
        if self.keep_photo(message_id):
            if self.data.get("changing") and "details" in self.data.get("before_change", {}):
                # 戻る undoes the change being made, not the photo.
                before = self.data["before_change"]
                before["details"] = [*(before["details"] or []), self.data["details"][-1]]
            self.notes.append(self._("写真を受け取りました。ご相談の内容に添えてお送りします。"))
        self.ask(brief=True)
        return True

    def keep_photo(self, message_id: str) -> int:
        """Keeps a photo in the details (the worker fetches it); the number of photos, or 0 past the limit."""
        photos = [item for item in self.details() if item["kind"] == "image"]
        if len(photos) >= MAX_PHOTOS:
            self.notes.append(self._("写真は{count}枚まで受け付けています。", count=MAX_PHOTOS))
            return 0
        photo = self.service.new_photo(self.ctx.resident, message_id, conversation_id=self.conversation.id)
        self.data.setdefault("details", []).append({"kind": "image", "id": message_id, "attachment": photo.id})
        self.ctx.enqueue_after_commit(fetch_intake_photo, photo.id)
        return len(photos) + 1

    def keep_words(self, typed: str, message_id: str) -> bool:
        """Keeps what the resident wrote as part of the details (in the draft until submitted)."""
        details = self.data.setdefault("details", [])
        if len([item for item in details if item["kind"] == "text"]) >= MAX_DETAIL_ITEMS:
            self.notes.append(self._("たくさん書いてくださり、ありがとうございます。続きは職員に直接お伝えください。"))
            return False
        if any(item.get("id") == message_id for item in details):
            return False
        details.append({"kind": "text", "id": message_id, "text": typed})
        self.check_welfare(typed)
        return True

    def check_welfare(self, typed: str) -> None:
        """Advises, once, to call 119/110 when the words suggest someone may have collapsed at home (安否確認)."""
        if self.data.get("welfare_check") or self.data.get("subject") == Subject.SELF or not welfare_signs(typed):
            return
        self.data["welfare_check"] = True  # staff see it on the record
        self.notes.append("\n".join(filter(None, [self._(WELFARE_CHECK_ADVICE), japanese_only_note(self.ctx)])))

    def clear_details(self) -> None:
        """Deletes the details written so far (書き直す)."""
        for item in self.details():
            if item["kind"] == "image":
                self.service.delete_photo(item.get("attachment"))
        self.data["details"] = []

    def details(self) -> list[dict[str, Any]]:
        return list(self.data.get("details", []))

    # -- urgency, contact, phone, times ----------------------------------------------------------

    def tap_urgency(self, tap: Postback) -> bool:
        return tap.action == IntakeTap.URGENCY and tap.arg in URGENCIES and self.choose_urgency(tap.arg)

    def type_urgency(self, typed: str) -> bool:
        urgency = urgency_from_text(typed)
        return urgency is not None and self.choose_urgency(urgency)

    def choose_urgency(self, urgency: str) -> bool:
        """Stores how soon contact is needed and asks how to contact."""
        self.data["urgency"] = urgency
        if urgency == Urgency.NOW:
            self.notes.append(self._(
                "急ぎのご相談として、担当者にすぐ見えるようにします。"
                "命に関わるときは、すぐに119番（救急）・110番（警察）に電話してください。"
            ))
        self.next()
        return True

    def tap_safe_contact(self, tap: Postback) -> bool:
        return tap.action == IntakeTap.SAFE_CONTACT and tap.arg in SAFE_CONTACTS and self.choose_safe_contact(tap.arg)

    def type_safe_contact(self, typed: str) -> bool:
        safe = safe_contact_from_text(typed)
        if safe is None and is_yes(typed):
            safe = SafeContact.BOTH
        elif safe is None and is_no(typed):
            safe = SafeContact.NEITHER
        return safe is not None and self.choose_safe_contact(safe)

    def choose_safe_contact(self, safe: str) -> bool:
        """Stores whether LINE or a phone call is safe (DV) and asks how to contact."""
        self.data["safe_contact"] = safe
        if safe == SafeContact.NEITHER:
            self.notes.append(self._("わかりました。担当者に伝え、こちらから連絡するときは十分に気をつけます。"))
        self.next()
        return True

    def tap_contact(self, tap: Postback) -> bool:
        if tap.action == IntakeTap.CONTACT and tap.arg == ContactMethod.NONE:
            return self.may_decline_contact() and self.choose_contact(ContactMethod.NONE)
        return tap.action == IntakeTap.CONTACT and tap.arg in CONTACTS and self.choose_contact(tap.arg)

    def type_contact(self, typed: str) -> bool:
        if self.may_decline_contact() and declines_contact(typed):
            return self.choose_contact(ContactMethod.NONE)
        method = contact_from_text(typed)
        if method is None:
            return False
        phone = None
        if method == ContactMethod.PHONE:
            try:
                phone = normalise_phone(typed)
            except InvalidPhone:
                phone = None
        return self.choose_contact(method, phone)

    def choose_contact(self, method: str, phone: str | None = None) -> bool:
        """Stores how to contact and asks for the phone number or a convenient time."""
        self.data["contact"] = method
        if phone:
            self.data["phone"] = phone
        self.data["ask_phone"] = method == ContactMethod.PHONE and phone is None
        self.next()
        return True

    def tap_phone(self, tap: Postback) -> bool:
        if tap.action == IntakeTap.KEEP_PHONE and self.data.get("phone"):
            self.data["ask_phone"] = False
            self.next()
            return True
        return False

    def type_phone(self, typed: str) -> bool:
        try:
            self.data["phone"] = normalise_phone(typed)
        except InvalidPhone:
            return False
        return self.store_phone()

    def store_phone(self) -> bool:
        """Stores the phone number (normalised) and asks for a convenient time."""
        self.data["ask_phone"] = False
        self.next()
        return True

    def tap_interpreter(self, tap: Postback) -> bool:
        if tap.action != IntakeTap.INTERPRETER:
            return False
        if tap.arg == "other":
            self.notes.append(self._("通訳の言語を送ってください（例：タガログ語、ネパール語）。"))
            self.ask()
            return True
        return tap.arg in ("none", self.ctx.t.locale) and self.choose_interpreter(tap.arg)

    def type_interpreter(self, typed: str) -> bool:
        language = language_from_text(typed)
        if language == "ja" or is_no(typed) or is_not_needed(typed):
            language = "none"  # 「日本語で大丈夫」
        elif language is None and is_yes(typed):
            language = self.ctx.t.locale
        elif language is None and is_skip(typed):
            language = "none"
        elif language is None:
            if is_unknown(typed) or not 2 <= len(typed.strip()) <= 40:
                return False
            language = typed.strip()  # another language, in the resident's words
        return self.choose_interpreter(language)

    def choose_interpreter(self, language: str) -> bool:
        """Stores whether an interpreter is needed (and for which language) and asks for a convenient time."""
        self.data["interpreter"] = language
        self.next()
        return True

    def tap_times(self, tap: Postback) -> bool:
        return tap.action == IntakeTap.TIMES and tap.arg in TIMES and self.choose_times(tap.arg)

    def type_times(self, typed: str) -> bool:
        slot = time_from_text(typed)
        if slot is None and (len(typed.strip()) < 2 or len(typed) > 200):
            return False
        return self.choose_times(slot, None if slot else typed.strip())

    def choose_times(self, slot: str | None, typed: str | None = None) -> bool:
        """Stores a convenient time (a choice or the resident's own words) and asks for consent."""
        self.data["times"] = slot
        self.data["times_text"] = typed
        if typed and (note := self.note_on_times(typed)):
            self.notes.append(note)
        self.next()
        return True

    # -- consent, summary, submit ----------------------------------------------------------------

    def tap_consent(self, tap: Postback) -> bool:
        if tap.action == IntakeTap.CONSENT and tap.arg == "yes":
            return self.give_consent()
        if tap.action == IntakeTap.CONSENT and tap.arg == "no":
            self.decline()
            return True
        if tap.action == IntakeTap.CONSENT and tap.arg == "more":
            self.show_consent_text()
            return True
        return False

    def type_consent(self, typed: str) -> bool:
        if is_yes(typed, AGREE):
            return self.give_consent()
        if is_no(typed, DISAGREE):
            self.decline()
            return True
        if is_more(typed):
            self.show_consent_text()
            return True
        return False

    def give_consent(self) -> bool:
        """Stores the consent (time and text version) and shows the summary."""
        self.data["consent_at"] = utcnow().isoformat()
        self.data["consent_version"] = CONSENT_VERSION
        self.agree()
        return True

    def tap_confirm(self, tap: Postback) -> bool:
        if tap.action == IntakeTap.SUBMIT:
            self.submit()
            return True
        if tap.action == IntakeTap.CHANGE and tap.arg in CHANGEABLE and self.may_change(tap.arg):
            self.trigger(CHANGE_TRIGGERS[tap.arg])
            return True
        return False

    def type_confirm(self, typed: str) -> bool:
        if is_yes(typed, SEND):
            self.submit()
            return True
        labels = {normalise(label): step for step, label in CHANGE_LABELS.items()}
        labels |= {normalise(self._(label)): step for step, label in CHANGE_LABELS.items()}
        step = labels.get(normalise(typed), change_from_text(typed))  # a chip's label typed, or words
        if step in CHANGE_TRIGGERS and self.may_change(step):
            self.trigger(CHANGE_TRIGGERS[step])
            return True
        if step is not None:  # 「直したい」 without saying what: the 変更 buttons are below the hint
            self.ask(brief=True)
            return True
        if looks_like_story(typed):
            self.keep_words(typed, self.message_id)
            self.notes.append(self._("詳しい内容に追加しました。"))
            self.ask()
            return True
        return False

    def start_change(self) -> None:
        """Remembers the answers, so 戻る can undo a change made from the summary."""
        self.data["changing"] = True
        self.data["before_change"] = {key: self.data.get(key) for key in DRAFT_ANSWER_KEYS}

    def undo_change(self) -> None:
        for key, value in (self.data.get("before_change") or {}).items():
            self.data[key] = value

    def forget_answers(self) -> None:
        """Starts again: keeps only a record made for a danger signal."""
        self.clear_details()
        keep = {key: self.data[key] for key in ("urgent_record_id", "danger") if key in self.data}
        self.data = keep

    def on_enter_done(self) -> None:
        """Creates the record and tells the receipt number, who will call, and what happens next."""
        answers = Answers(
            subject=self.data.get("subject"),
            categories=list(self.data.get("categories", [])),
            area_code=self.data.get("area"),
            area_source=self.data.get("area_source"),
            urgency=self.data.get("urgency"),
            contact_method=self.data.get("contact"),
            phone=self.data.get("phone"),
            contact_times=self.times_for_staff(),
            details=self.details(),
            danger_kinds=list(self.data.get("danger", [])),
            person_name=self.data.get("person_name"),
            relation=self.data.get("relation"),
            safe_contact=self.data.get("safe_contact") if self.about_violence() else None,
            interpreter=self.data.get("interpreter") if self.needs_interpreter() else None,
            welfare_check=bool(self.data.get("welfare_check")),
        )
        consent_at = self.data.get("consent_at")
        urgent_id = self.data.get("urgent_record_id")
        urgent = self.service.record_of(self.ctx.resident, urgent_id) if urgent_id else None
        told_desk = urgent.centre_code if urgent is not None else None  # the desk the crisis notice named
        record = self.service.submit(
            self.ctx.resident,
            answers,
            consent_at=datetime.fromisoformat(consent_at) if consent_at else None,
            consent_version=self.data.get("consent_version"),
            urgent_record_id=self.data.get("urgent_record_id"),
        )
        if record.urgent and record.id != urgent_id:  # 「今すぐ」: a danger message would have emailed already
            self.ctx.enqueue_after_commit(email_urgent_record, record.id)
        self.service.discard_draft_photos(self.conversation.id)  # any the resident dropped on the way
        self.service.first_thread_notice(record)  # the receipt below says that later messages reach staff
        moved = urgent is not None and record.id == urgent.id and record.centre_code != told_desk
        self.say_receipt(record, answers.contact_method, moved=moved, told_desk=told_desk)
        self.data = {"record_id": record.id}

    def on_enter_declined(self) -> None:
        """Deletes the draft and gives the phone number, so the person can still call."""
        urgent_receipt = self._urgent_receipt()
        desk_code = self.desk_code()
        self.service.forget_draft(self.conversation, "declined")
        self.data = {}
        self.say_declined(desk_code, urgent_receipt)

    # -- conditions of the transitions -----------------------------------------------------------

    def changing(self, *_: Any) -> bool:
        return bool(self.data.get("changing"))

    def asks_phone(self, *_: Any) -> bool:
        return bool(self.data.get("ask_phone"))

    def by_line(self, *_: Any) -> bool:
        return self.data.get("contact") == ContactMethod.LINE

    def by_phone(self, *_: Any) -> bool:
        return self.data.get("contact") == ContactMethod.PHONE

    def by_voice(self, *_: Any) -> bool:
        """A phone call or a meeting: a convenient time is asked."""
        return self.data.get("contact") in (ContactMethod.PHONE, ContactMethod.MEET)

    def no_contact(self, *_: Any) -> bool:
        return self.data.get("contact") == ContactMethod.NONE

    def needs_times(self, *_: Any) -> bool:
        return self.by_voice() and not (self.data.get("times") or self.data.get("times_text"))

    def about_someone_else(self, *_: Any) -> bool:
        return self.data.get("subject") in RELATION_CHOICES

    def asks_contact(self, *_: Any) -> bool:
        return not self.data.get("contact")

    def asks_relation(self, *_: Any) -> bool:
        return not self.data.get("relation")

    def about_violence(self, *_: Any) -> bool:
        """DV・暴力 among the categories, or a DV or violence danger signal: whether contact is safe is asked."""
        fields = {category.field for category in self.ctx.profile.categories
                  if category.code in self.data.get("categories", [])}
        return "violence" in fields or bool({DV, VIOLENCE} & set(self.data.get("danger", [])))

    def asks_safe_contact(self, *_: Any) -> bool:
        return self.about_violence() and not self.data.get("safe_contact")

    def needs_interpreter(self, *_: Any) -> bool:
        """A resident who does not use Japanese asked to be called or met: whether an interpreter is needed."""
        return self.ctx.t.locale not in JAPANESE_LOCALES and self.by_voice()

    def asks_interpreter(self, *_: Any) -> bool:
        return self.needs_interpreter() and not (self.changing() and self.data.get("interpreter"))

    def may_decline_contact(self) -> bool:
        """Only someone reporting a concern about another person may say no contact is needed."""
        return self.data.get("subject") == Subject.NEIGHBOUR

    def may_change(self, step: str) -> bool:
        """Whether the summary offers to change the answer of ``step`` (only steps that were asked)."""
        asked = {"relation": self.about_someone_else, "safe_contact": self.about_violence,
                 "interpreter": self.needs_interpreter, "times": self.by_voice}.get(step)
        return asked is None or asked()

    def times_for_staff(self) -> str | None:
        if not self.by_voice():
            return None
        # A chosen slot is kept as its msgid (Japanese); the admin view shows it in the staff's language.
        return self.data.get("times_text") or TIMES.get(self.data.get("times"))

    def desk_code(self, area_code: str | None = None) -> str | None:
        """The centre that takes the chosen area (or ``area_code``); None: the coordinator decides."""
        centre = centre_for_area(self.ctx.profile, area_code or self.data.get("area"))
        return centre.code if centre else None

    def _urgent_receipt(self) -> str | None:
        record_id = self.data.get("urgent_record_id")
        record = self.service.record_of(self.ctx.resident, record_id) if record_id else None
        return record.receipt_number if record is not None else None

    @property
    def message_id(self) -> str:
        """The id of the text message being read: what the resident wrote is kept under it."""
        message = getattr(self.ctx.event, "message", None)
        return str(getattr(message, "id", "") or "")

    # -- the steps, as a table ---------------------------------------------------------------------

    # 戻る, やめる, 続きから, 最初から, 相談の状況: the same on every step.
    anywhere = dict.fromkeys(
        (IntakeTap.BACK, IntakeTap.CANCEL, IntakeTap.RESUME, IntakeTap.RESTART, IntakeTap.STATUS), tap_control)
    # Each question (bot/flows/intake_questions.py), the buttons under it, and the words it understands.
    steps = {
        "offered": Step(ask=IntakeQuestions.question_offered, on_tap=tap_offered, on_text=type_offered),
        "who": Step(ask=IntakeQuestions.question_who, on_tap=tap_who, on_text=type_who),
        "relation": Step(ask=IntakeQuestions.question_relation, on_tap=tap_relation, on_text=type_relation),
        "person": Step(ask=IntakeQuestions.question_person, on_tap=tap_person, on_text=type_person),
        "categories": Step(ask=IntakeQuestions.question_categories, on_tap=tap_categories, on_text=type_categories),
        "area": Step(ask=IntakeQuestions.question_area, on_tap=tap_area, on_text=type_area),
        "details": Step(ask=IntakeQuestions.question_details, on_tap=tap_details, on_text=type_details),
        "urgency": Step(ask=IntakeQuestions.question_urgency, on_tap=tap_urgency, on_text=type_urgency),
        "safe_contact": Step(ask=IntakeQuestions.question_safe_contact, on_tap=tap_safe_contact,
                             on_text=type_safe_contact),
        "contact": Step(ask=IntakeQuestions.question_contact, on_tap=tap_contact, on_text=type_contact),
        "phone": Step(ask=IntakeQuestions.question_phone, on_tap=tap_phone, on_text=type_phone),
        "interpreter": Step(ask=IntakeQuestions.question_interpreter, on_tap=tap_interpreter,
                            on_text=type_interpreter),
        "times": Step(ask=IntakeQuestions.question_times, on_tap=tap_times, on_text=type_times),
        "consent": Step(ask=IntakeQuestions.question_consent, on_tap=tap_consent, on_text=type_consent),
        "confirm": Step(ask=IntakeQuestions.question_confirm, on_tap=tap_confirm, on_text=type_confirm),
    }


def danger_notice(ctx: EventContext, service: IntakeService, record: IntakeRecord, *, created: bool,
                  in_consultation: bool) -> str:
    """After the numbers: which desk now has the danger signal, under which receipt number.

    ``created``: a new minimal record was made for it (else it joined the
    resident's open record). ``in_consultation``: the resident is answering
    the consultation's questions, so what they type next are answers, not
    messages to the desk.
    """
    desk, _phone, hours = service.desk_contact(record, ctx.t.locale)
    if not created:
        notice = ctx._(
            "このメッセージは、受付番号 {receipt} のご相談に緊急として加え、{desk}にお伝えしました。"
            "時間外や急ぐときは、上の番号に電話してください。",
            receipt=record.receipt_number, desk=desk,
        )
    elif in_consultation:
        notice = ctx._(
            "このメッセージは、緊急のご相談として{desk}にお伝えしました（受付番号 {receipt}）。"
            "職員が確認してご連絡します（{hours}）。時間外や急ぐときは、上の番号に電話してください。",
            desk=desk, receipt=record.receipt_number, hours=hours,
        )
    else:
        notice = ctx._(
            "このメッセージは、緊急のご相談として{desk}にお伝えしました（受付番号 {receipt}）。"
            "職員が確認してご連絡します（{hours}）。時間外や急ぐときは、上の番号に電話してください。\n"
            "このトークに送ったメッセージは、担当者に届きます。",
            desk=desk, receipt=record.receipt_number, hours=hours,
        )
    opening = OpeningHours.of(ctx.config, ctx.profile)
    desk_hours = opening.desk(record.centre_code)
    if not opening.is_open(desk_hours):  # nobody reads it before then: the numbers above are the help for now
        opens = opening.next_opening(desk_hours)
        notice += "\n" + ctx._("いまは受付時間外です。職員が読むのは{day} {time}からです。",
                               day=ctx.t.format_day(opens), time=ctx.t.format_time(opens))
    return notice


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0
