"""Writing a plan's files: all of them or none, never a half-written one.

Every file is written to a temporary name in its final folder and renamed into
place only once all of them rendered, so an error (or a kill) leaves either the
old files or the new ones, and never a truncated plan.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backstride.inputs.library import Library
from backstride.plan import Plan
from backstride.render.ics import CalendarHistory

if TYPE_CHECKING:
    from backstride.render.workers import PdfRenderer

TEMP_PREFIX = ".backstride-tmp-"
STALE_AFTER_SECONDS = 600  # far longer than any render takes


@dataclass(frozen=True)
class PlanFiles:
    folder: Path
    json: Path
    html: Path
    pdf: Path
    ics: Path

    def all(self) -> tuple[Path, ...]:
        return (self.json, self.html, self.pdf, self.ics)


def plan_folder(out_dir: Path, athlete_id: str) -> Path:
    return out_dir / athlete_id


def write_plan_files(
    plan: Plan,
    library: Library,
    folder: Path,
    renderer: PdfRenderer | None = None,
    earlier: CalendarHistory | None = None,
    shared_pages: Path | None = None,
) -> PlanFiles:
    """Render `plan` to plan.json, plan.html, plan.pdf and plan.ics in `folder`, atomically.

    With a `renderer`, the PDF is laid out in its worker processes, in parts; without,
    in this process, sharing the pages that name no runner (the guide, the cover's second
    page) through the folder `shared_pages` if given (see `render.pdf.write_plan_pdf`).
    `earlier` is what earlier revisions put in the calendar (see `render.ics`).
    """
    from backstride.render.documents import render_documents
    from backstride.render.pdf import write_plan_pdf

    documents = render_documents(plan, library)
    files = PlanFiles(folder, folder / "plan.json", folder / "plan.html", folder / "plan.pdf",
                      folder / "plan.ics")
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    staged_pdf = temporary_path(folder)
    staged: list[tuple[Path, Path]] = [(staged_pdf, files.pdf)]
    try:
        # The PDF first: its workers lay out pages while this process does the rest.
        # The PDF being replaced lends the pages that did not change (see render.pages).
        previous = files.pdf if files.pdf.is_file() else None
        if renderer is None:
            write_plan_pdf(documents.pdf, staged_pdf, previous, shared_pages)
        else:
            finish_pdf = renderer.submit(documents.pdf, staged_pdf, previous)
        staged.append((_stage_text(folder, plan.to_json()), files.json))
        staged.append((_stage_text(folder, documents.html), files.html))
        staged.append((_stage_calendar(folder, plan, library, earlier), files.ics))
        if renderer is not None:
            finish_pdf()
    except BaseException:
        if renderer is not None:
            renderer.abort()
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        remove_stale_temporaries(folder, ours_too=True)  # and what the workers were writing
        raise
    for temporary, final in staged:
        os.replace(temporary, final)
    return files


def _stage_calendar(
    folder: Path, plan: Plan, library: Library, earlier: CalendarHistory | None
) -> Path:
    from backstride.render.ics import plan_calendar

    calendar = plan_calendar(plan, library, earlier)
    return stage_file(folder, lambda path: path.write_bytes(calendar))


def write_calendar(
    plan: Plan, library: Library, path: Path, earlier: CalendarHistory | None = None
) -> None:
    """Only plan.ics, atomically (for a revision kept before calendars were written)."""
    _stage_calendar(path.parent, plan, library, earlier).replace(path)


def _stage_text(folder: Path, text: str) -> Path:
    return stage_file(folder, lambda path: path.write_text(text, encoding="utf-8"))


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Make `path` with `write` (given a temporary path beside it), then rename it into place:
    readers, and a run killed half-way, only ever see the old file or the whole new one.
    A killed run's leftovers in that folder are cleared first."""
    remove_stale_temporaries(path.parent)
    stage_file(path.parent, write).replace(path)


def temporary_path(folder: Path) -> Path:
    """A new, empty temporary file in `folder` that `remove_stale_temporaries` recognises."""
    # The writer's host and pid in the name let a later run tell a dead run's leftovers from
    # a live one's, even on a folder shared by several machines.
    handle, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{_HOST}-{os.getpid()}-", dir=folder)
    os.close(handle)
    os.chmod(name, 0o666 & ~_UMASK)  # as any other file the user writes, not mkstemp's 0600
    return Path(name)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def stage_file(folder: Path, write: Callable[[Path], None]) -> Path:
    """`write` to a temporary file in `folder`; returns it, for the caller to rename."""
    path = temporary_path(folder)
    try:
        write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def remove_stale_temporaries(folder: Path, ours_too: bool = False) -> None:
    """Clear temporary files a killed run left behind; a live run's are kept. With
    `ours_too`, this process's own are cleared as well (it is giving up on a write)."""
    cutoff = time.time() - STALE_AFTER_SECONDS
    for stale in folder.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            host, _, rest = stale.name.removeprefix(TEMP_PREFIX).partition("-")
            pid = rest.partition("-")[0]
            ours = host == _HOST and pid == str(os.getpid())
            if (ours and ours_too) or not _writer_alive(host, pid) or (
                stale.stat().st_mtime < cutoff
            ):
                stale.unlink()


def _writer_alive(host: str, pid: str) -> bool:
    if host != _HOST or not pid.isdigit():
        return host != _HOST  # another machine's: only its age can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    # A killed process nobody has reaped yet (a zombie) still answers; on Linux, ask.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] != "Z"
    return True
