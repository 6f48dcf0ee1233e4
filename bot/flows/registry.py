"""The flows by name: the name a conversation is stored with, and the scope of its buttons."""
from __future__ import annotations

from bot.flows.base import Flow
from bot.flows.crisis import CrisisFlow
from bot.flows.callback import CallbackFlow
from bot.flows.events import EventsFlow
from bot.flows.intake import IntakeFlow
from bot.flows.language import LanguageFlow
from bot.flows.notices import NoticeSettingsFlow
from bot.flows.mutual_aid import HelperFlow, HelpFlow
from bot.flows.signups import SignupsFlow
from bot.flows.status import IntakeStatusFlow
from bot.flows.thread import RecordChoiceFlow
from bot.flows.watch import WatchFlow

FLOWS: dict[str, type[Flow]] = {
    LanguageFlow.name: LanguageFlow,
    EventsFlow.name: EventsFlow,
    SignupsFlow.name: SignupsFlow,
    IntakeFlow.name: IntakeFlow,
    IntakeStatusFlow.name: IntakeStatusFlow,
    RecordChoiceFlow.name: RecordChoiceFlow,
    CrisisFlow.name: CrisisFlow,
    CallbackFlow.name: CallbackFlow,
    NoticeSettingsFlow.name: NoticeSettingsFlow,
    WatchFlow.name: WatchFlow,
    HelpFlow.name: HelpFlow,
    HelperFlow.name: HelperFlow,
}


def flow_for(ctx, conversation) -> Flow | None:  # noqa: ANN001
    """The flow object for a stored conversation, or None if its flow is gone."""
    flow_class = FLOWS.get(conversation.flow)
    if flow_class is None:
        return None
    return flow_class(ctx, conversation)
