"""Ctrl-C held for a moment: while a native module loads.

A Ctrl-C raises an exception wherever Python happens to be. Inside the start-up of a
module built with nanobind (pikepdf), nanobind takes that exception for a broken module
and aborts the whole process, leaving its temporary files behind. Held, the same Ctrl-C
arrives a moment later, once the module has loaded, and stops the command as usual.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) inside the block, and deliver it as the handler in place
    before the block would have once the block ends. Only the main thread handles
    signals: elsewhere, the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[FrameType | None] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(frame)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        if callable(previous):
            previous(signal.SIGINT, held[0])
        else:  # the default action, or none
            signal.raise_signal(signal.SIGINT)

