"""Putting PDF pages together: a plan's units laid out apart, or a squad's plans in one pack.

With pikepdf (qpdf underneath): it copies pages and writes the result in a few
milliseconds, where a pure-Python join was a tenth of a flare-up's time (benchmarks/
README.md). Imported inside the functions, as WeasyPrint is: only commands that join
pay for it. The same parts give the same bytes: the file's ID is derived from its
content (`deterministic_id`).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pikepdf import OutlineItem, Pdf


@dataclass(frozen=True)
class Pages:
    """`count` pages from `first` (0-based) in `source`, a PDF file or a PDF in memory."""

    source: Path | bytes
    first: int
    count: int


def join_pages(pieces: Sequence[Pages], title: str, target: Path) -> None:
    """Write `pieces` one after the other as one PDF in place at `target`, with its title,
    language and bookmarks (each piece's own, pointing at its pages)."""
    import pikepdf

    joined = pikepdf.new()
    opened: dict[Path | bytes, Pdf] = {}
    bookmarks: list[OutlineItem] = []
    for piece in _merged(pieces):
        source = opened.get(piece.source)
        if source is None:
            source = pikepdf.open(io.BytesIO(piece.source) if isinstance(piece.source, bytes)
                                  else piece.source)
            opened[piece.source] = source
        offset = len(joined.pages)
        joined.pages.extend(source.pages[piece.first:piece.first + piece.count])
        bookmarks += _bookmarks(source, range(piece.first, piece.first + piece.count), offset)
    _finish(joined, bookmarks, {"/Title": title, "/Creator": "backstride",
                                "/Producer": _producer()}, "en", target)
    for source in opened.values():
        source.close()


def join_files(parts: Sequence[Path], target: Path, *, double_sided: bool = False) -> None:
    """Write the PDF files `parts` one after the other as one PDF in place at `target`,
    with the first part's title and other document information, and its language (which
    screen readers use). Each part's bookmarks go under one named by its title (a squad's
    pack: one per runner). `double_sided` ends each part on an even page (a blank one the
    size of its last page added where needed), so printed on both sides every part starts
    a sheet of its own."""
    import pikepdf

    joined = pikepdf.new()
    opened = [pikepdf.open(part) for part in parts]
    bookmarks: list[OutlineItem] = []
    for source in opened:
        offset = len(joined.pages)
        joined.pages.extend(source.pages)
        title = str(source.docinfo.get("/Title", ""))
        inner = _bookmarks(source, range(len(source.pages)), offset)
        if title:
            part = pikepdf.OutlineItem(title, offset)
            part.children = inner
            bookmarks.append(part)
        else:
            bookmarks += inner
        if double_sided and len(source.pages) % 2:
            box = source.pages[-1].mediabox
            joined.add_blank_page(page_size=(float(box[2] - box[0]), float(box[3] - box[1])))
    first = opened[0]
    language = first.Root.get("/Lang")
    _finish(joined, bookmarks, {str(key): str(value) for key, value in first.docinfo.items()},
            str(language) if language is not None else None, target)
    for source in opened:
        source.close()


def _bookmarks(source: Pdf, pages: range, offset: int) -> list[OutlineItem]:
    """The bookmarks of `source` that point at one of `pages`, nested as they were, each
    pointing at its page in a PDF where `pages` start at page `offset`. (A bookmark on
    another page is left out with the bookmarks under it.)"""
    import pikepdf

    def copied(items: list[OutlineItem]) -> list[OutlineItem]:
        kept = []
        for item in items:
            destination = item.destination
            if not isinstance(destination, pikepdf.Array):
                continue  # WeasyPrint points every bookmark at a page
            page = pikepdf.Page(destination[0]).index
            if page in pages:
                copy = pikepdf.OutlineItem(item.title, offset + page - pages.start)
                copy.children = copied(item.children)
                kept.append(copy)
        return kept

    with source.open_outline() as outline:
        return copied(outline.root)


def _finish(joined: Pdf, bookmarks: list[OutlineItem], info: dict[str, str],
            language: str | None, target: Path) -> None:
    import pikepdf

    with joined.open_outline() as outline:
        outline.root.extend(bookmarks)
    for key, value in info.items():
        joined.docinfo[key] = pikepdf.String(value)
    if language is not None:
        joined.Root.Lang = pikepdf.String(language)
    joined.save(target, deterministic_id=True)


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
