"""PDF rendering in worker processes, started before the plan is solved.

Importing WeasyPrint and laying out a plan's pages are most of the `plan`
command's time. A worker, started first, imports WeasyPrint and lays out a small
page while the parent imports OR-Tools and solves, then starts the other workers
from itself, forked, so they start ready: WeasyPrint is imported once, rather
than by every worker at once beside the parent on a machine's two cores. Then
each lays out part of the plan's units (see `render.pages`) on its own core, and
the parent puts the pages together.
Processes, not threads: WeasyPrint's layout holds the GIL (DESIGN.md). Every one
is a `multiprocessing.Process`, stopped with `terminate` when a command is given
up half-way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

from backstride.files import temporary_path
from backstride.render.join import Pages, load_pikepdf
from backstride.render.pages import PdfDocument, assemble, plan_layout


class RenderError(RuntimeError):
    """A worker could not render a PDF; the message says why."""


class PdfRenderer:
    """A small pool of PDF workers; use as a context manager."""

    def __init__(self, workers: int = 2) -> None:
        pipes = [multiprocessing.Pipe() for _ in range(workers)]
        self._connections: list[Connection] = [ours for ours, _ in pipes]
        theirs = [end for _, end in pipes]
        self._processes: list[BaseProcess]
        if "fork" in multiprocessing.get_all_start_methods():
            # The first worker starts the others: not a daemon, as daemons cannot.
            context = multiprocessing.get_context("fork")
            self._processes = [context.Process(target=_serve_and_start_others,
                                               args=(theirs, self._connections))]
        else:  # each worker is a fresh interpreter that imports WeasyPrint itself
            spawning = multiprocessing.get_context("spawn")
            self._processes = [spawning.Process(target=_serve, args=(end,), daemon=True)
                               for end in theirs]
        for process in self._processes:
            process.start()
        for end in theirs:
            end.close()  # the workers' ends are theirs: EOF here when one stops

    def submit(self, document: PdfDocument, path: Path) -> Callable[[], None]:
        """Start laying out `document` as a PDF at `path`, a staged file the caller renames
        into place once done; returns the function that waits for it (and puts the pages
        together), so the caller can work in the meantime."""
        path = Path(path)
        layout = plan_layout(document.units, {}, len(self._connections))
        temporaries = [temporary_path(path.parent) for _ in layout.jobs]
        try:
            for (worker, units), temporary in zip(layout.jobs, temporaries, strict=True):
                self._send(worker, (document.html(units), document.stylesheet, str(temporary),
                                    [unit.name for unit in units]))
        except BaseException:
            _remove(temporaries)
            raise

        # This process puts the pages together: importing pikepdf now costs nothing, while
        # the workers lay out pages.
        load_pikepdf()

        def finish() -> None:
            try:
                # Every worker's answer is read, even after one failed: the parts are only
                # removed once no worker can still be writing one.
                pages: dict[str, Pages] = {}
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
        self.close()

    def close(self) -> None:
        """Let the workers finish and stop, and wait for them."""
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.send(None)
            connection.close()
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()

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
        except OSError as error:
            raise RenderError(f"the PDF worker stopped ({error})") from None

    def _receive(self, worker: int) -> Any:
        """The worker's answer to its oldest job: for a PDF, where each unit's pages are."""
        try:
            status, answer = self._connections[worker].recv()
        except (EOFError, OSError):
            raise RenderError("the PDF worker stopped unexpectedly") from None
        if status != "ok":
            raise RenderError(answer)
        return answer


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _serve(connection: Connection) -> None:
    """A worker: load WeasyPrint up front, then lay out pages until told to stop."""
    from backstride.render.pdf import prepare_worker

    _leave_interrupts_to_the_parent()
    prepare_worker()
    _serve_loop(connection)


def _serve_and_start_others(theirs: list[Connection], ours: list[Connection]) -> None:
    """The first worker: load WeasyPrint, start the other workers forked from itself (ready,
    as it is), then serve like them. Stopped with SIGTERM (`PdfRenderer.abort`), it stops
    them first."""
    from backstride.render.pdf import prepare_worker

    for end in ours:  # the parent's ends, inherited: only the parent keeps them
        end.close()
    _leave_interrupts_to_the_parent()
    prepare_worker()
    context = multiprocessing.get_context("fork")
    others = [context.Process(target=_serve_other, args=(end, theirs[0]), daemon=True)
              for end in theirs[1:]]

    def stop(*_: object) -> None:
        for other in others:
            other.terminate()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    for other in others:
        other.start()
    for end in theirs[1:]:
        end.close()
    try:
        _serve_loop(theirs[0])
    finally:
        for other in others:
            other.join()


def _serve_other(connection: Connection, first_workers_end: Connection) -> None:
    """A worker the first one started: ready as it was, it only lays out pages."""
    first_workers_end.close()  # inherited: only the first worker keeps it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _serve_loop(connection)


def _leave_interrupts_to_the_parent() -> None:
    # Ctrl-C reaches the whole process group; the parent handles it (stops the workers,
    # removes its temporary files), so a worker must not die with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve_loop(connection: Connection) -> None:
    from backstride.render.pdf import render_units

    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        html, css, target, names = job
        # Every target is a file the parent staged and will rename: written in place.
        try:
            connection.send(("ok", render_units(html, css, names, Path(target))[1]))
        except Exception as error:  # reported to the parent, which turns it into a message
            connection.send(("error", f"{type(error).__name__}: {error}"))
