"""PDF rendering in worker processes, started before the plan is solved.

Importing WeasyPrint and laying out a plan's pages are most of the `plan`
command's time. Two workers, started first, import WeasyPrint while the parent
imports OR-Tools and solves; then each lays out one part of the document (the
weeks, the exercise guide) on its own core, and the first joins the parts.
Processes, not threads: WeasyPrint's layout holds the GIL (DESIGN.md).
"""

from __future__ import annotations

import contextlib
import multiprocessing
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
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._connections: list[Connection] = []
        self._processes: list[Any] = []
        for index in range(workers):
            ours, theirs = context.Pipe()
            joins = index == 0
            process = context.Process(target=_serve, args=(theirs, joins), daemon=True)
            process.start()
            theirs.close()
            self._connections.append(ours)
            self._processes.append(process)

    def write(self, parts: list[str], path: Path) -> None:
        """Render the HTML `parts` as one PDF at `path` (atomically)."""
        path = Path(path)
        if len(parts) == 1:
            self._ask(0, ("pdf", parts[0], str(path)))
            return
        temporaries = []
        try:
            for index, html in enumerate(parts):
                name = str(temporary_path(path.parent))
                temporaries.append(name)
                self._send(index % len(self._connections), ("pdf", html, name))
            for index in range(len(parts)):
                self._receive(index % len(self._connections))
            self._ask(0, ("join", temporaries, str(path)))
        finally:
            for name in temporaries:
                Path(name).unlink(missing_ok=True)

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


def _serve(connection: Connection, joins: bool) -> None:
    """A worker's loop: load WeasyPrint up front, then render or join until told to stop."""
    from backstride.render.pdf import join_pdfs, warm_up, write_pdf

    warm_up(joins)
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
                write_pdf(source, Path(target))
            else:
                join_pdfs([Path(p) for p in source], Path(target))
            connection.send(("ok", ""))
        except Exception as error:  # reported to the parent, which turns it into a message
            connection.send(("error", f"{type(error).__name__}: {error}"))
