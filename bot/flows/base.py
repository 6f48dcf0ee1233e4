"""A conversation flow: a ``transitions`` machine declared as data.

A fresh machine is built for every event with ``initial=`` the stored
state, so any worker can continue any conversation. ``on_enter_<state>``
does not fire for the initial state, so rebuilding never repeats a prompt.
The new state is saved in the same transaction as what it caused.
"""
from __future__ import annotations

import copy
from typing import Any, ClassVar

from transitions import Machine

from bot.flows.context import EventContext
from bot.flows.postbacks import Postback, Tap
from bot.models import Conversation


class Flow:
    name: ClassVar[str]
    taps: ClassVar[type[Tap]]  # what the flow's buttons send (bot/flows/postbacks.py); its SCOPE is ``name``
    states: ClassVar[list[Any]]
    transitions: ClassVar[list[dict[str, Any]]]
    initial: ClassVar[str]
    final_states: ClassVar[frozenset[str]] = frozenset({"done"})

    state: str  # set by the machine

    def __init__(self, ctx: EventContext, conversation: Conversation) -> None:
        self.ctx = ctx
        self.conversation = conversation
        # A deep copy: steps may change nested lists in place, and the saved
        # copy must differ from the loaded one for the change to be stored.
        self.data: dict[str, Any] = copy.deepcopy(conversation.data or {})
        self.machine = Machine(
            model=self,
            states=self.states,
            transitions=self.transitions,
            initial=conversation.state,
            auto_transitions=False,
            queued=False,
        )

    @classmethod
    def begin(cls, ctx: EventContext, **data: Any) -> Flow:
        """Start the flow for the resident, replacing any other active flow."""
        conversation = ctx.conversations.start(ctx.resident, cls.name, cls.initial, data)
        flow = cls(ctx, conversation)
        flow.on_begin()
        flow.save()
        return flow

    @classmethod
    def enter(cls, ctx: EventContext, tap: Postback) -> bool:
        """Start from a button of an earlier message; False when the button is stale."""
        if tap.action == cls.taps.START:
            cls.begin(ctx)
            return True
        return False

    def _(self, message: str, **params: object) -> str:
        return self.ctx._(message, **params)

    def save(self) -> None:
        if self.state in self.final_states:
            self.ctx.conversations.save(self.conversation, self.state, self.data)
            self.ctx.conversations.end(self.conversation, "completed")
        else:
            self.ctx.conversations.save(self.conversation, self.state, self.data)

    def cancel(self) -> None:
        self.ctx.conversations.end(self.conversation, "cancelled")

    # What each flow answers; return False to let the caller answer instead.
    def on_begin(self) -> None:
        raise NotImplementedError

    def on_text(self, text: str) -> bool:
        return False

    def on_postback(self, tap: Postback) -> bool:
        return False

    def on_location(self, latitude: float, longitude: float, title: str | None, address: str | None) -> bool:
        return False

    def on_media(self, kind: str, message_id: str) -> bool:
        return False

    def remind(self) -> None:
        """Ask the current question again (after unexpected input or on resume)."""
        raise NotImplementedError
