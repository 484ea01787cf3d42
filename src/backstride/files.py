"""Writing files atomically (readers see the old file or the whole new one), cleaning up
what killed runs left behind, where a runner's files go, and folder names safe on every
system (slugs)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TEMP_PREFIX = ".backstride-tmp-"
STALE_AFTER_SECONDS = 600  # far longer than any render takes


@dataclass(frozen=True)
class PlanFiles:
    """Where a plan's files are: plan.json, plan.html, plan.pdf and plan.ics in `folder`."""

    folder: Path
    json: Path
    html: Path
    pdf: Path
    ics: Path

    def all(self) -> tuple[Path, ...]:
        return (self.json, self.html, self.pdf, self.ics)


def plan_folder(out_dir: Path, athlete_id: str) -> Path:
    return out_dir / athlete_id


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
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


def stage_file(folder: Path, write: Callable[[Path], object]) -> Path:
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


# --- safe folder names -----------------------------------------------------------------

def slugify(text: str, separator: str = "-") -> str:
    """A lower-case ASCII slug: letters, digits and `separator` only."""
    return _full_slug(text, separator)[:MAX_SLUG].strip(separator)


def _full_slug(text: str, separator: str = "-") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator)


MAX_SLUG = 60
# Names Windows will not give a file or folder, whatever the extension.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{n}" for p in ("com", "lpt") for n in range(10)]
)


def folder_slug(text: str, fallback: str) -> str:
    """A folder name for `text` that is safe on every system and keeps different texts apart.

    Letters that have no ASCII form (a Chinese or Greek name), a cut-off long name or a
    name that is nothing but punctuation would otherwise collapse onto the same folder,
    so those get a short digest of the full text appended.
    """
    slug = slugify(text)
    lossy = len(_full_slug(text)) > MAX_SLUG or any(
        ch.isalnum() and not unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
        for ch in text
    )
    if not slug or lossy:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{(slug or fallback)[:MAX_SLUG - 9].strip('-')}-{digest}"
    if slug in _RESERVED:
        slug = f"{slug}-{fallback}"
    return slug
