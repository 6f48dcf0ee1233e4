"""Danger first: every text is read for danger signals before any flow (bot/services/safety.py).

- A signal wins over the open flow: the numbers, then the urgent record's
  notice, which says in one line that the open flow ended; what the resident
  sends next joins the urgent record (bot/flows/crisis.py).
- Inside a consultation the consultation goes on and becomes urgent
  (``IntakeFlow.on_danger``).
- Words that may or may not be a signal (a denied wish to die, 「楽になりたい」)
  are asked about gently first: 「今、身の危険を感じていますか？」.
"""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.crisis import CrisisFlow, crisis_text, sound_alarm
from bot.flows.intake import FREE_TEXT_STEPS, IntakeFlow
from bot.handlers.common import active_flow
from bot.messaging.build import text
from bot.services.safety import read_danger

__all__ = ["crisis_text", "danger_signal"]


def danger_signal(ctx: EventContext, typed: str) -> bool:
    """Answer a danger signal with the numbers first, or ask gently when unsure."""
    reading = read_danger(typed)
    if not reading.kinds and not reading.unsure:
        return False
    message_id = str(ctx.event.message.id)
    flow = active_flow(ctx)
    if isinstance(flow, CrisisFlow):
        if not reading.kinds:
            return False  # the question reads the answer; after an alarm, the words join the record
        ended_flow = flow.state == "asking" and flow.data.get("resume_id") is not None
        if flow.state == "asking" and flow.in_consultation():
            flow.dismiss()
            flow.save()
            flow, ended_flow = flow.take_up_interrupted(), False
        record_id = flow.data.get("record_id") if isinstance(flow, CrisisFlow) else None
    else:
        ended_flow, record_id = flow is not None, None
    if isinstance(flow, IntakeFlow):
        if reading.kinds:
            ctx.answer(text(crisis_text(ctx, reading.kinds)))
            flow.on_danger(typed, message_id, reading.kinds)
        else:
            if flow.state in FREE_TEXT_STEPS:
                flow.on_text(typed)  # kept for the consultation before the question
            flow.save()
            CrisisFlow.ask_first(ctx, typed, message_id, interrupted=flow)
            return True
        flow.save()
        return True
    if not reading.kinds:
        CrisisFlow.ask_first(ctx, typed, message_id, interrupted=flow)
        return True
    record, created = sound_alarm(ctx, typed, message_id, reading.kinds, ended_flow=ended_flow, record_id=record_id)
    CrisisFlow.listen(ctx, record, created)
    return True
