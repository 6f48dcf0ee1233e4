"""Each flow's machine and its table of steps agree: every state a resident can be in asks and reads something."""
from __future__ import annotations

import pytest

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
