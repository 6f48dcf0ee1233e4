"""A conversation flow: a ``transitions`` machine declared as data, and a table of its steps.

A fresh machine is built for every event with ``initial=`` the stored
state, so any worker can continue any conversation. ``on_enter_<state>``
does not fire for the initial state, so rebuilding never repeats a prompt.
The new state is saved in the same transaction as what it caused.

What the resident sends is read through tables, not method names: a tap
goes to the flow's ``anywhere`` handler for its action, else to the current
step's ``on_tap``; typed words go to the step's ``on_text``; ``remind`` asks
the step's question again. Each flow's diagram (``<flow>.mmd``) is drawn
from its machine by ``make diagrams``.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from transitions import Machine

from bot.flows.context import EventContext
from bot.flows.postbacks import Postback, Tap
from bot.models import Conversation


@dataclass(frozen=True)
class Step:
    """One state of a flow: how it asks its question, and how it reads a tap or typed words as the answer.

    Each is a function of the flow, taken from its class (``Step(ask=ask_name,
    on_tap=tap_name, on_text=store_name)``); ``on_tap`` and ``on_text`` return
    False when the answer does not fit, and the question is asked again.
    """

    ask: Callable[..., Any]
    on_tap: Callable[[Any, Postback], bool] | None = None
    on_text: Callable[[Any, str], bool] | None = None


class Flow:
    name: ClassVar[str]
    taps: ClassVar[type[Tap]]  # what the flow's buttons send (bot/flows/postbacks.py); its SCOPE is ``name``
    states: ClassVar[list[Any]]
    transitions: ClassVar[list[dict[str, Any]]]
    initial: ClassVar[str]
    final_states: ClassVar[frozenset[str]] = frozenset({"done"})
    # Every state but the final ones -> its step (each flow's table is at the end of its class).
    steps: ClassVar[dict[str, Step]]
    # Buttons that mean the same on every step, by action.
    anywhere: ClassVar[dict[Tap, Callable[[Any, Postback], bool]]] = {}

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

    def cancel(self) -> str | None:
        """End the flow; returns what to tell the resident first (said in the same bubble as 中止しました), if anything."""
        self.ctx.conversations.end(self.conversation, "cancelled")
        return None

    # What each flow answers; return False to let the caller answer instead.
    def on_begin(self) -> None:
        raise NotImplementedError

    def on_text(self, text: str) -> bool:
        """Typed words, read by the current step; False when they do not fit."""
        on_text = self.steps[self.state].on_text
        return on_text is not None and on_text(self, text)

    def on_postback(self, tap: Postback) -> bool:
        """A tapped button, read by the flow's handler for its action or else by the current step."""
        on_tap = self.anywhere.get(tap.action) or self.steps[self.state].on_tap
        return on_tap is not None and on_tap(self, tap)

    def on_location(self, latitude: float, longitude: float, title: str | None, address: str | None) -> bool:
        return False

    def on_media(self, kind: str, message_id: str) -> bool:
        return False

    def remind(self) -> None:
        """Ask the current question again (after unexpected input or on resume)."""
        self.steps[self.state].ask(self)
