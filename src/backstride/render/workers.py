"""PDF rendering in worker processes, started before the plan is solved.

Importing WeasyPrint and laying out a plan's pages are most of the `plan`
command's time. A worker, started first, imports WeasyPrint while the parent
imports OR-Tools and solves, and forks a second one from itself; then each lays
out part of the plan's units (see `render.pages`: units the PDF being replaced
already has are not laid out again) on its own core, and the parent puts the
pages together.
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

from backstride.files import temporary_path
from backstride.render.pages import Pages, PdfDocument, assemble, plan_layout, recorded_units


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
                context.Process(target=_serve, args=(end,), daemon=True) for end in theirs
            ]
        for process in self._processes:
            process.start()
        for end in theirs:
            end.close()

    def submit(self, document: PdfDocument, path: Path, previous: Path | None = None
               ) -> Callable[[], None]:
        """Start laying out `document` as a PDF at `path`, a staged file the caller renames
        into place once done, copying the units `previous` (the PDF it replaces) already has;
        returns the function that waits for it (and puts the pages together), so the caller
        can work in the meantime."""
        path = Path(path)
        printed = recorded_units(previous) if previous is not None else {}
        layout = plan_layout(document.units, printed, len(self._connections))
        temporaries = [temporary_path(path.parent) for _ in layout.jobs]
        try:
            for (worker, units), temporary in zip(layout.jobs, temporaries, strict=True):
                self._send(worker, (document.html(units), str(temporary),
                                    [unit.name for unit in units]))
        except BaseException:
            _remove(temporaries)
            raise

        # This process puts the pages together: importing pypdf now costs nothing, while the
        # workers lay out pages (measured: it made each worker's start 0.1 s later).
        import pypdf  # noqa: F401

        def finish() -> None:
            try:
                # Every worker's answer is read, even after one failed: the parts are only
                # removed once no worker can still be writing one.
                pages = dict(layout.reused)
                failures = []
                for (worker, units), temporary in zip(layout.jobs, temporaries, strict=True):
                    try:
                        spans = self._receive(worker)
                    except RenderError as error:
                        failures.append(error)
                        continue
                    pages.update((unit.name, Pages(temporary, *spans[unit.name]))
                                 for unit in units)
                if failures:
                    raise failures[0]
                assemble(document, pages, path)
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

    def _send(self, worker: int, job: tuple[Any, ...]) -> None:
        try:
            self._connections[worker].send(job)
        except (OSError, BrokenPipeError) as error:
            raise RenderError(f"the PDF worker stopped ({error})") from None

    def _receive(self, worker: int) -> Any:
        """The worker's answer to its oldest job: for a PDF, where each unit's pages are."""
        try:
            status, answer = self._connections[worker].recv()
        except EOFError:
            raise RenderError("the PDF worker stopped unexpectedly") from None
        if status != "ok":
            raise RenderError(answer)
        return answer


def _remove(paths: list[str]) -> None:
    for name in paths:
        Path(name).unlink(missing_ok=True)


def _serve_and_fork(theirs: list[Connection], ours: list[Connection]) -> None:
    """The first worker: load WeasyPrint, fork the other workers, then serve like them."""
    from backstride.render.pdf import prepare_worker

    _leave_interrupts_to_the_parent()
    for end in ours:  # the parent's ends, inherited by the fork: only the parent keeps them
        end.close()
    prepare_worker()
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


def _serve(connection: Connection) -> None:
    """A worker's loop: load WeasyPrint up front, then lay out pages until told to stop."""
    from backstride.render.pdf import prepare_worker

    _leave_interrupts_to_the_parent()
    prepare_worker()
    _serve_loop(connection)


def _leave_interrupts_to_the_parent() -> None:
    # Ctrl-C reaches the whole process group; the parent handles it (stops the workers,
    # removes its temporary files), so a worker must not die with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve_loop(connection: Connection) -> None:
    # Every target is a file the parent staged and will rename: written in place.
    from backstride.render.pdf import render_units

    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        html, target, names = job
        try:
            connection.send(("ok", render_units(html, names, Path(target))[1]))
        except Exception as error:  # reported to the parent, which turns it into a message
            connection.send(("error", f"{type(error).__name__}: {error}"))
