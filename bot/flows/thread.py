"""After a receipt: a resident's messages join the record the conversation is about, with a short answer.

    choosing ─pick─▶ done

``take_message`` files a text or photo on the record the rule in
bot/services/threads.py names, and acknowledges it (at most once per few
minutes while staff have not answered). When the resident has several open
records and none is clearly current, the message is held and the resident
is asked which consultation it is about (受付番号 and topic); their choice
files everything held. Held messages are never dropped: a choice left open
(やめる, another menu item, expiry) keeps them, and the next choice files
them too.
Diagram: thread.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.flows.base import Flow, Step
from bot.flows.context import EventContext
from bot.flows.menu import menu_chips
from bot.flows.postbacks import Postback, ThreadTap, encode
from bot.messaging.build import postback, text
from bot.models import Conversation, utcnow
from bot.models.intake import IntakeAttachment, IntakeRecord
from bot.services.intake import IntakeService
from bot.services.threads import CHOICE_FLOW, ThreadService, record_named
from bot.tasks.intake import fetch_intake_photo

STATES = ["choosing", "done"]
TRANSITIONS = [
    {"trigger": "pick", "source": "choosing", "dest": "done"},
]
MAX_CHOICES = 12  # LINE's 13 quick replies, and a list one can still read


def threads(ctx: EventContext) -> ThreadService:
    return ThreadService.from_config(ctx.session, ctx.profile, ctx.config)


def take_message(ctx: EventContext, *, message_id: str, typed: str | None = None, image: bool = False) -> bool:
    """File what the resident sent on the record the conversation is about, or ask which; False: no open record."""
    addressee = threads(ctx).addressee(ctx.resident)
    if addressee.record is not None:
        item = {"kind": "image", "id": message_id} if image else {"kind": "text", "id": message_id, "text": typed}
        file_on(ctx, addressee.record, [_with_photo(ctx, item, record=addressee.record)])
        acknowledge(ctx, addressee.record)
        return True
    if addressee.unclear:
        RecordChoiceFlow.hold(ctx, message_id=message_id, typed=typed, image=image)
        return True
    return False


def decline_unkept_media(ctx: EventContext) -> bool:
    """A video, voice message or file while a record is open: say it cannot reach staff, and what to do."""
    if not threads(ctx).open_records(ctx.resident):
        return False
    ctx.answer(text(
        ctx._("写真のほかは受け取れません。動画や音声の内容は、文章で送るか、お電話でお伝えください。"), menu_chips(ctx)))
    return True


def file_on(ctx: EventContext, record: IntakeRecord, items: list[dict[str, Any]]) -> None:
    """Add held or new messages (texts and photos) to the record's thread for staff."""
    service = IntakeService(ctx.session, ctx.profile)
    for item in items:
        if item.get("kind") == "image":
            photo = ctx.session.get(IntakeAttachment, item.get("attachment")) if item.get("attachment") else None
            if photo is not None:  # else taken back by the resident meanwhile
                service.add_message(record, line_message_id=item.get("id"), attachment=photo)
        elif item.get("text"):
            service.add_message(record, text=item["text"], line_message_id=item.get("id"))


def acknowledge(ctx: EventContext, record: IntakeRecord, *, always: bool = False) -> None:
    """Tell the resident their message reached the record: fully the first time, then briefly, once per burst.

    ``always``: the resident answered a question of ours (which record?), and an answer is owed.
    """
    rule = threads(ctx)
    if not always and not rule.ack_due(record):
        ctx.covered_by_earlier_answer()
        return
    rule.acknowledged(record)
    ctx.acknowledged = True
    service = IntakeService(ctx.session, ctx.profile)
    desk, phone, hours = service.desk_contact(record, ctx.t.locale)
    if service.first_thread_notice(record):
        ctx.answer(text(
            ctx._(
                "メッセージは、受付番号 {receipt} のご相談として{desk}に届きました。"
                "このあとも、ここに送ったメッセージは担当者に届きます（お返事は受付時間内：{hours}）。"
                "急ぐときは ☎ {phone} へ。新しく別の相談をするときは「相談する」を押してください。",
                receipt=record.receipt_number, desk=desk, hours=hours, phone=phone,
            ),
            menu_chips(ctx),
        ))
        return
    ctx.answer(text(
        ctx._("受け取りました。受付番号 {receipt} のご相談として、{desk}の担当者に届けました。",
              receipt=record.receipt_number, desk=desk),
        menu_chips(ctx),
    ))


def _with_photo(ctx: EventContext, item: dict[str, Any], *, record: IntakeRecord | None = None,
                conversation_id: int | None = None) -> dict[str, Any]:
    """A photo's item gets its place in our database; the worker fetches it from LINE after commit."""
    if item.get("kind") != "image":
        return item
    photo = IntakeService(ctx.session, ctx.profile).new_photo(
        ctx.resident, item["id"], record=record, conversation_id=conversation_id)
    ctx.enqueue_after_commit(fetch_intake_photo, photo.id)
    return {**item, "attachment": photo.id}


def _held_earlier(ctx: EventContext) -> list[Conversation]:
    """The resident's earlier questions that still hold messages, oldest first."""
    conversations = ctx.session.scalars(
        select(Conversation)
        .where(Conversation.resident_id == ctx.resident.id, Conversation.flow == RecordChoiceFlow.name)
        .order_by(Conversation.id)
    ).all()
    return [conversation for conversation in conversations if (conversation.data or {}).get("held")]


class RecordChoiceFlow(Flow):
    """「どのご相談についてのメッセージですか？」: holds the resident's messages until they choose a record."""

    name = CHOICE_FLOW
    taps = ThreadTap
    states = STATES
    transitions = TRANSITIONS
    initial = "choosing"

    @classmethod
    def hold(cls, ctx: EventContext, *, message_id: str, typed: str | None, image: bool) -> None:
        """Hold the message (with any still held from an earlier, unanswered question) and ask which record."""
        conversation = ctx.conversations.start(ctx.resident, cls.name, cls.initial, {"held": []})
        flow = cls(ctx, conversation)
        flow.data["held"] = flow.take_over_earlier()
        flow.keep(message_id=message_id, typed=typed, image=image)
        flow.ask_which()
        flow.save()

    @classmethod
    def enter(cls, ctx: EventContext, tap: Postback) -> bool:
        """A record chosen under an earlier question: files what is still held; False when nothing is."""
        if tap.action != ThreadTap.PICK or not _held_earlier(ctx):
            return False
        conversation = ctx.conversations.start(ctx.resident, cls.name, cls.initial, {"held": []})
        flow = cls(ctx, conversation)
        flow.data["held"] = flow.take_over_earlier()
        if not flow.choose(tap.arg):
            flow.ask_which()  # that record is closed meanwhile: ask again among the open ones
        flow.save()
        return True

    def on_begin(self) -> None:
        self.ask_which()

    # -- choosing -------------------------------------------------------------------------

    def ask_which(self) -> None:
        """Asks which consultation the held messages are about, each by receipt number, topic and desk."""
        records = self.choices()
        lines = [self._("どのご相談についてのメッセージですか？受付番号を選んでください。")]
        for record in records:
            desk = self.service.desk_contact(record, self.ctx.t.locale)[0]
            lines.append(self._("・{receipt}：{topic}（{desk}）", receipt=record.receipt_number,
                                topic=self.topic(record), desk=desk))
        chips = [postback(record.receipt_number, encode(ThreadTap.PICK, record.id), record.receipt_number)
                 for record in records]
        self.ctx.answer(text("\n".join(lines), chips))
        self.data["asked_at"] = utcnow().isoformat()

    def tap_choosing(self, tap: Postback) -> bool:
        return tap.action == ThreadTap.PICK and self.choose(tap.arg)

    def type_choosing(self, typed: str) -> bool:
        """A receipt number (or its last digits) chooses; other words are held too, and the question stays."""
        record = record_named(self.choices(), typed)
        if record is not None:
            return self.choose(str(record.id))
        self.keep(message_id=str(self.ctx.event.message.id), typed=typed, image=False)
        self.covered_or_asked_again()
        return True

    def on_media(self, kind: str, message_id: str) -> bool:
        if kind != "image":
            return False
        self.keep(message_id=message_id, typed=None, image=True)
        self.covered_or_asked_again()
        return True

    def covered_or_asked_again(self) -> None:
        """One question per burst: a message soon after it is covered by it; later, it is asked again."""
        if threads(self.ctx).recently(self.data.get("asked_at")):
            self.ctx.covered_by_earlier_answer()
        else:
            self.ask_which()

    def choose(self, record_id: str) -> bool:
        """Files the held messages on the chosen record, which the conversation is now about."""
        record = next((r for r in self.choices() if str(r.id) == record_id), None)
        if record is None:
            return False
        file_on(self.ctx, record, self.data.get("held") or [])
        self.data["held"] = []
        threads(self.ctx).focus(record)
        acknowledge(self.ctx, record, always=True)
        self.pick()
        return True

    # -- helpers --------------------------------------------------------------------------------

    @property
    def service(self) -> IntakeService:
        return IntakeService(self.ctx.session, self.ctx.profile)

    def choices(self) -> list[IntakeRecord]:
        return threads(self.ctx).open_records(self.ctx.resident)[:MAX_CHOICES]

    def keep(self, *, message_id: str, typed: str | None, image: bool) -> None:
        item = {"kind": "image", "id": message_id} if image else {"kind": "text", "id": message_id, "text": typed}
        self.data["held"] = [*(self.data.get("held") or []),
                             _with_photo(self.ctx, item, conversation_id=self.conversation.id)]

    def take_over_earlier(self) -> list[dict[str, Any]]:
        """What earlier questions still hold (left with やめる, the menu or expiry), oldest first; moved here."""
        held: list[dict[str, Any]] = []
        for conversation in _held_earlier(self.ctx):
            if conversation.id == self.conversation.id:
                continue
            items = conversation.data["held"]
            held += items
            conversation.data = {**conversation.data, "held": []}
            for item in items:
                photo = self.ctx.session.get(IntakeAttachment, item["attachment"]) if item.get("attachment") else None
                if photo is not None and photo.record_id is None:
                    photo.conversation_id = self.conversation.id
        return held

    def topic(self, record: IntakeRecord) -> str:
        """What the consultation is about, in the resident's language: its first category."""
        if not record.categories:
            return self._("ご相談")
        return self.ctx.profile.category_label(record.categories[0], self.ctx.t.locale)

    # -- the steps, as a table ---------------------------------------------------------------------

    steps = {
        "choosing": Step(ask=ask_which, on_tap=tap_choosing, on_text=type_choosing),
    }
