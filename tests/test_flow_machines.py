"""Each flow's machine and its table of steps agree: every state a resident can be in asks and reads something."""
from __future__ import annotations

import pytest
from transitions import Machine, MachineError

from bot.flows.registry import FLOWS


def state_names(flow) -> list[str]:  # noqa: ANN001
    return [state if isinstance(state, str) else state["name"] for state in flow.states]


@pytest.mark.parametrize("flow", FLOWS.values(), ids=list(FLOWS))
def test_every_state_but_the_final_ones_has_a_step(flow) -> None:  # noqa: ANN001
    assert set(flow.steps) == set(state_names(flow)) - flow.final_states
    assert all(step.ask is not None for step in flow.steps.values())


@pytest.mark.parametrize("flow", FLOWS.values(), ids=list(FLOWS))
def test_taps_on_every_step_are_the_flows_own(flow) -> None:  # noqa: ANN001
    assert all(isinstance(action, flow.taps) for action in flow.anywhere)


@pytest.mark.parametrize("flow", FLOWS.values(), ids=list(FLOWS))
def test_transitions_name_their_sources(flow) -> None:  # noqa: ANN001
    """No transition from "*": each move is declared, so the diagram shows it and any other raises."""
    assert all(transition["source"] != "*" for transition in flow.transitions)
    finals = flow.final_states
    assert not any(source in finals for t in flow.transitions
                   for source in ([t["source"]] if isinstance(t["source"], str) else t["source"]))


def test_a_move_the_events_flow_does_not_declare_raises() -> None:
    machine = Machine(states=FLOWS["events"].states, transitions=FLOWS["events"].transitions, initial="done",
                      auto_transitions=False)
    with pytest.raises(MachineError):
        machine.trigger("ask_area")
    machine.set_state("choosing")
    with pytest.raises(MachineError):
        machine.trigger("set_name")
