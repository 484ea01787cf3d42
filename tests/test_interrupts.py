"""Ctrl-C held while a native module loads, and delivered once it has."""

from __future__ import annotations

import signal

import pytest

from backstride.interrupts import interrupts_held


def test_a_ctrl_c_inside_the_block_stops_the_command_once_the_block_ends() -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt), interrupts_held():
        signal.raise_signal(signal.SIGINT)
        steps.append("the rest of the block")
    assert steps == ["the rest of the block"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_without_a_ctrl_c_the_block_runs_and_the_handler_is_put_back() -> None:
    with interrupts_held():
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
