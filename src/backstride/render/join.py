"""Putting PDF pages together: a plan's units laid out apart, or a squad's plans in one pack.

With pikepdf (qpdf underneath), which copies pages and writes the result much faster
than a pure-Python join (benchmarks/README.md). Imported inside the functions, as
WeasyPrint is: only commands that join pay for it (`load_pikepdf`). The joined PDF keeps
what each part had: its bookmarks and named destinations (`plan.pdf#week-3`) pointing
where they did, and its PDF version. The same parts give the same bytes: the file's ID
is derived from its content (`deterministic_id`).
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.interrupts import interrupts_held

if TYPE_CHECKING:
    from pikepdf import Array, OutlineItem, Pdf


@dataclass(frozen=True)
class Pages:
    """`count` pages from `first` (0-based) in `source`, a PDF file or a PDF in memory."""

    source: Path | bytes
    first: int
    count: int


def load_pikepdf() -> None:
    """Import pikepdf, with Ctrl-C held while it loads (see `backstride.interrupts`): ahead of
    a join, or at the start of one."""
    with interrupts_held():
        import pikepdf  # noqa: F401


def join_pages(pieces: Sequence[Pages], title: str, target: Path) -> None:
    """Write `pieces` one after the other as one PDF in place at `target`, with its title,
    language, bookmarks and named destinations (each piece's own, pointing at its pages)."""
    load_pikepdf()
    import pikepdf

    with contextlib.ExitStack() as stack:
        joined = stack.enter_context(pikepdf.new())
        opened: dict[Path | bytes, Pdf] = {}
        bookmarks: list[OutlineItem] = []
        for piece in _merged(pieces):
            source = opened.get(piece.source)
            if source is None:
                source = stack.enter_context(pikepdf.open(_readable(piece.source)))
                opened[piece.source] = source
            bookmarks += _append(joined, source, range(piece.first, piece.first + piece.count))
        joined.Root.Lang = pikepdf.String("en")
        _finish(joined, list(opened.values()), bookmarks,
                {"/Title": title, "/Creator": "backstride", "/Producer": _producer()}, target)


def join_files(parts: Sequence[Path], target: Path, *, double_sided: bool = False) -> None:
    """Write the PDF files `parts` one after the other as one PDF in place at `target`,
    with the first part's title and other document information, and its language (which
    screen readers use). Each part's bookmarks go under one named by its title (a squad's
    pack: one per runner). `double_sided` ends each part on an even page (a blank one the
    size of its last page added where needed), so printed on both sides every part starts
    a sheet of its own."""
    load_pikepdf()
    import pikepdf

    with contextlib.ExitStack() as stack:
        joined = stack.enter_context(pikepdf.new())
        # Read whole: a pack may hold more runners than a process may keep files open.
        opened = [stack.enter_context(pikepdf.open(_readable(part.read_bytes())))
                  for part in parts]
        bookmarks: list[OutlineItem] = []
        for source in opened:
            offset = len(joined.pages)
            inner = _append(joined, source, range(len(source.pages)))
            title = str(source.docinfo.get("/Title", ""))
            if title:
                part = pikepdf.OutlineItem(title, offset)
                part.children = inner
                bookmarks.append(part)
            else:
                bookmarks += inner
            if double_sided and len(source.pages) % 2:
                box = source.pages[-1].mediabox
                joined.add_blank_page(page_size=(float(box[2] - box[0]),
                                                 float(box[3] - box[1])))
        first = opened[0]
        language = first.Root.get("/Lang")
        if language is not None:
            joined.Root.Lang = language
        _finish(joined, opened, bookmarks, dict(first.docinfo.items()), target)


def _readable(source: Path | bytes) -> Path | io.BytesIO:
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _append(joined: Pdf, source: Pdf, pages: range) -> list[OutlineItem]:
    """Copy `pages` of `source` to the end of `joined`, with the named destinations that
    point at them; returns the bookmarks of `source` that point at them, as bookmarks of
    `joined`, nested as they were (one under a bookmark left out moves up a level)."""
    import pikepdf

    offset = len(joined.pages)
    joined.pages.extend(source.pages[pages.start:pages.stop])

    def moved(destination: Any) -> Array | None:
        """`destination` (a page and where on it) pointing at the copy, if one was made."""
        if not isinstance(destination, pikepdf.Array) or not len(destination):
            return None  # WeasyPrint points every bookmark and anchor at a page and a place
        page = pikepdf.Page(destination[0]).index
        if page not in pages:
            return None
        return pikepdf.Array([joined.pages[offset + page - pages.start].obj,
                              *destination[1:]])

    if "/Names" in source.Root and "/Dests" in source.Root.Names:
        names = _destinations(joined)
        for name, destination in pikepdf.NameTree(source.Root.Names.Dests).items():
            copy = moved(destination)
            if copy is not None:
                names[name] = copy

    def copied(items: list[OutlineItem]) -> list[OutlineItem]:
        kept = []
        for item in items:
            destination = moved(item.destination)
            if destination is None:
                kept += copied(item.children)
                continue
            copy = pikepdf.OutlineItem(item.title, destination)
            copy.children = copied(item.children)
            kept.append(copy)
        return kept

    # Read only: leaving `open_outline`'s block would write the outline back to `source`.
    return copied(source.open_outline().root)


def _destinations(joined: Pdf) -> Any:
    """The named destinations of `joined`, made empty the first time."""
    import pikepdf

    if "/Names" not in joined.Root:
        joined.Root.Names = pikepdf.Dictionary()
    if "/Dests" not in joined.Root.Names:
        joined.Root.Names.Dests = pikepdf.NameTree.new(joined).obj
    return pikepdf.NameTree(joined.Root.Names.Dests)


def _finish(joined: Pdf, sources: Sequence[Pdf], bookmarks: list[OutlineItem],
            info: dict[str, Any], target: Path) -> None:
    """Give `joined` its bookmarks and document information, and write it to `target` at
    the PDF version of its newest source (a new PDF starts at 1.3, before transparency)."""
    import pikepdf

    with joined.open_outline() as outline:
        outline.root.extend(bookmarks)
    for key, value in info.items():
        joined.docinfo[key] = pikepdf.String(value) if isinstance(value, str) else value
    joined.save(target, deterministic_id=True,
                min_version=max(source.pdf_version for source in sources))


@functools.cache
def _producer() -> str:
    # Once per process: each version lookup reads the installed packages' metadata.
    from importlib.metadata import version

    return f"backstride {version('backstride')}, WeasyPrint {version('weasyprint')} and pikepdf"


def _merged(pieces: Sequence[Pages]) -> list[Pages]:
    """`pieces` with neighbours that continue each other in the same source as one piece."""
    merged: list[Pages] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and last.source == piece.source and last.first + last.count == piece.first:
            merged[-1] = Pages(last.source, last.first, last.count + piece.count)
        else:
            merged.append(piece)
    return merged
