"""PDF rendering in worker processes, started before the plan is solved.

Importing WeasyPrint and laying out a plan's pages are most of the `plan`
command's time. A worker, started first, imports WeasyPrint while the parent
imports OR-Tools and solves, and forks a second one from itself; then each lays
out one part of the document (the weeks, the exercise guide) on its own core,
and the first joins the parts.
Processes, not threads: WeasyPrint's layout holds the GIL (DESIGN.md).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from backstride.output import temporary_path


class RenderError(RuntimeError):
    """A worker could not render a PDF; the message says why."""


class PdfRenderer:
    """A small pool of PDF workers; use as a context manager."""

    def __init__(self, workers: int = 2) -> None:
        pipes = [multiprocessing.Pipe() for _ in range(workers)]
        self._connections: list[Connection] = [ours for ours, _ in pipes]
        theirs = [end for _, end in pipes]
        if "fork" in multiprocessing.get_all_start_methods():
            # One process imports WeasyPrint and forks the other workers from itself: they
            # start warm, and the import is paid once, on the core the parent leaves free
            # while it imports OR-Tools and solves (measured: a second importing process
            # made both workers late by about 0.3 s on two cores).
            context = multiprocessing.get_context("fork")
            first = context.Process(target=_serve_and_fork, args=(theirs, self._connections),
                                    daemon=True)
            self._processes: list[Any] = [first]
        else:
            context = multiprocessing.get_context("spawn")
            self._processes = [
                context.Process(target=_serve, args=(end, index == 0), daemon=True)
                for index, end in enumerate(theirs)
            ]
        for process in self._processes:
            process.start()
        for end in theirs:
            end.close()

    def submit(self, parts: list[str], path: Path) -> Callable[[], None]:
        """Start laying out the HTML `parts` as one PDF at `path`, a staged file the caller
        renames into place once done; returns the function that waits for it (and joins the
        parts), so the caller can work in the meantime."""
        path = Path(path)
        if len(parts) == 1:
            self._send(0, ("pdf", parts[0], str(path)))
            return lambda: self._receive(0)
        temporaries = [str(temporary_path(path.parent)) for _ in parts]
        try:
            for index, html in enumerate(parts):
                self._send(index % len(self._connections), ("pdf", html, temporaries[index]))
        except BaseException:
            _remove(temporaries)
            raise

        def finish() -> None:
            try:
                # Every worker's answer is read, even after one failed: the parts are only
                # removed once no worker can still be writing one.
                failures = []
                for index in range(len(parts)):
                    try:
                        self._receive(index % len(self._connections))
                    except RenderError as error:
                        failures.append(error)
                if failures:
                    raise failures[0]
                self._ask(0, ("join", temporaries, str(path)))
            finally:
                _remove(temporaries)

        return finish

    def abort(self) -> None:
        """Stop the workers now, mid-job if need be (the command failed or was interrupted),
        so none writes a file after its caller has cleaned up."""
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            process.join(timeout=5)
        self.close()

    def close(self) -> None:
        for connection in self._connections:
            with contextlib.suppress(OSError, BrokenPipeError):
                connection.send(None)
                connection.close()
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _ask(self, worker: int, job: tuple[Any, ...]) -> None:
        self._send(worker, job)
        self._receive(worker)

    def _send(self, worker: int, job: tuple[Any, ...]) -> None:
        try:
            self._connections[worker].send(job)
        except (OSError, BrokenPipeError) as error:
            raise RenderError(f"the PDF worker stopped ({error})") from None

    def _receive(self, worker: int) -> None:
        try:
            status, message = self._connections[worker].recv()
        except EOFError:
            raise RenderError("the PDF worker stopped unexpectedly") from None
        if status != "ok":
            raise RenderError(message)


def _remove(paths: list[str]) -> None:
    for name in paths:
        Path(name).unlink(missing_ok=True)


def _serve_and_fork(theirs: list[Connection], ours: list[Connection]) -> None:
    """The first worker: load WeasyPrint, fork the other workers, then serve like them."""
    from backstride.render.pdf import warm_up

    _leave_interrupts_to_the_parent()
    for end in ours:  # the parent's ends, inherited by the fork: only the parent keeps them
        end.close()
    warm_up(joins=True)
    children: list[int] = []
    for connection in theirs[1:]:
        pid = os.fork()
        if pid == 0:
            for other in theirs:
                if other is not connection:
                    other.close()
            try:
                _serve_loop(connection)
            finally:
                os._exit(0)
        children.append(pid)
        connection.close()

    def stop_children(*_: object) -> None:
        # The parent only knows this process: whatever ends it (a finished command, or the
        # parent's terminate() after a timeout) must not leave a forked worker writing on.
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)

    signal.signal(signal.SIGTERM, lambda *_: (stop_children(), os._exit(0)))
    try:
        _serve_loop(theirs[0])
    finally:
        stop_children()


def _serve(connection: Connection, joins: bool) -> None:
    """A worker's loop: load WeasyPrint up front, then render or join until told to stop."""
    from backstride.render.pdf import warm_up

    _leave_interrupts_to_the_parent()
    warm_up(joins)
    _serve_loop(connection)


def _leave_interrupts_to_the_parent() -> None:
    # Ctrl-C reaches the whole process group; the parent handles it (stops the workers,
    # removes its temporary files), so a worker must not die with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve_loop(connection: Connection) -> None:
    # Every target is a file the parent staged and will rename: written in place.
    from backstride.render.pdf import join_into, render_pdf

    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        kind, source, target = job
        try:
            if kind == "pdf":
                render_pdf(source, Path(target))
            else:
                join_into([Path(p) for p in source], Path(target))
            connection.send(("ok", ""))
        except Exception as error:  # reported to the parent, which turns it into a message
            connection.send(("error", f"{type(error).__name__}: {error}"))
