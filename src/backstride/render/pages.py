"""A plan's PDF in units that each start a page, and putting it together from new and old pages.

A plan PDF is a row of units: the cover, one per week, the exercise guide (or one
referral sheet). Each unit's key is a hash of exactly the HTML it is laid out from, so
two units with the same key print the same pages. Every plan PDF records its units'
keys and page counts in its document information; when it is replaced (a flare-up
re-plans from week 3, a plan is re-rendered unchanged), the units it already has are
copied from it instead of being laid out again. WeasyPrint's layout is most of a
command's time, and a flare-up leaves the guide and the weeks before it as they were.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

UNIT_MARK = "<!--unit:{name}-->"
END_MARK = "<!--units end-->"
_UNIT_MARK = re.compile(r"<!--unit:([a-z0-9-]+)-->")

# The document information entry that records a PDF's units: "key pages key pages ...".
# (Letters, digits and spaces only: pypdf writes them as they are.)
RECORD_ENTRY = "/BackstrideUnits"
_RECORD = re.compile(rb"/BackstrideUnits\s*\(([0-9a-f ]*)\)")
GUIDE = "guide"


@dataclass(frozen=True)
class Unit:
    """One unit of a plan PDF: `section` is its HTML, `key` names what it prints."""

    name: str  # "cover", "week-3", "guide", "referral"
    key: str
    cost: float  # layout work, in week pages (see `render.html.COVER_IN_WEEKS`)
    section: str


@dataclass(frozen=True)
class PdfDocument:
    """A plan PDF as units, and the frames (document head and tail) they are laid out in."""

    title: str
    units: list[Unit]
    frame: tuple[str, str]
    guide_frame: tuple[str, str]  # names no runner: guides are shared (see `render.pdf`)

    def html(self, units: Sequence[Unit]) -> str:
        """One HTML document laying out `units` (all of the runner's, or the guide alone)."""
        head, tail = self.guide_frame if units[0].name == GUIDE else self.frame
        return head + "".join(unit.section for unit in units) + tail


def split_units(html: str) -> tuple[str, list[tuple[str, str]], str]:
    """The head before the first unit, each unit's (name, HTML), and the tail after the last."""
    end = html.index(END_MARK)
    pieces = _UNIT_MARK.split(html[:end])
    head, rest = pieces[0], pieces[1:]
    return head, list(zip(rest[::2], rest[1::2], strict=True)), html[end + len(END_MARK):]


def unit_key(*texts: str) -> str:
    """A short hash of everything a unit's pages are laid out from, and of what lays them out."""
    digest = hashlib.sha256(_renderer_versions().encode("utf-8"))
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()[:24]


def _renderer_versions() -> str:
    found = []
    for package in ("backstride", "weasyprint"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            found.append(f"{package} ?")
    return ", ".join(found)


# -- what an existing PDF already holds ------------------------------------------------------

@dataclass(frozen=True)
class Pages:
    """`count` pages from `first` (0-based) in `source`, a PDF file or a PDF in memory."""

    source: Path | bytes
    first: int
    count: int


def record(units: Sequence[tuple[str, int]]) -> str:
    """The document information value recording `units` (key, page count) in print order."""
    return " ".join(f"{key} {count}" for key, count in units)


def recorded_units(pdf: Path) -> dict[str, Pages]:
    """The units the plan PDF at `pdf` records, by key ({} if none, or no such file).

    A plain search of the file, not pypdf: pypdf writes the document information
    uncompressed, and importing pypdf would cost the command 0.1 s before its first page.
    """
    try:
        found = _RECORD.search(pdf.read_bytes())
    except OSError:
        return {}
    if found is None:
        return {}
    units: dict[str, Pages] = {}
    first = 0
    entries = found.group(1).decode("ascii").split()
    for key, count in zip(entries[::2], entries[1::2], strict=False):
        units.setdefault(key, Pages(pdf, first, int(count)))
        first += int(count)
    return units


def unit_spans(page_anchors: Sequence[Sequence[str]], names: Sequence[str]
               ) -> dict[str, tuple[int, int]]:
    """Each of `names`' first page and page count, from the anchors (element ids) on each
    laid-out page: a unit's section carries its name as its id."""
    starts: dict[str, int] = {}
    for index, anchors in enumerate(page_anchors):
        for name in names:
            if name in anchors and name not in starts:
                starts[name] = index
    missing = set(names) - set(starts)
    if missing:
        raise ValueError(f"units without pages: {', '.join(sorted(missing))}")
    ordered = sorted(starts.items(), key=lambda item: item[1])
    ends = [start for _, start in ordered[1:]] + [len(page_anchors)]
    return {name: (start, end - start) for (name, start), end in zip(ordered, ends, strict=True)}


# -- which units to lay out, and where ----------------------------------------------------

# Laying out a document at all (its stylesheet, the first page) costs about a third of a
# week page (measured as the units' costs were; see `render.html.COVER_IN_WEEKS`).
DOCUMENT_IN_WEEKS = 0.3


@dataclass(frozen=True)
class Layout:
    """What to lay out (documents, each given to a worker) and what is already printed."""

    jobs: list[tuple[int, list[Unit]]]  # (worker, units of one document)
    reused: dict[str, Pages]  # by unit name


def plan_layout(units: Sequence[Unit], printed: Mapping[str, Pages], workers: int) -> Layout:
    """Reuse every unit already `printed` (by key); lay out the rest in documents shared
    between `workers` so that each has about as much layout work.

    The guide is a document of its own (it names no runner); the runner's units are cut
    in two runs, the second going with the guide.
    """
    reused = {unit.name: printed[unit.key] for unit in units if unit.key in printed}
    guide = [u for u in units if u.name == GUIDE and u.name not in reused]
    body = [u for u in units if u.name != GUIDE and u.name not in reused]
    guide_cost = sum(DOCUMENT_IN_WEEKS + u.cost for u in guide)
    if workers < 2:
        cut = len(body)
    else:
        def busiest(cut: int) -> float:
            first = sum(u.cost for u in body[:cut])
            return max(first, sum(u.cost for u in body[cut:]) + guide_cost)

        cut = min(range(len(body) + 1), key=busiest)
    jobs = [(0, body[:cut]), (1 % workers, body[cut:]), (1 % workers, guide)]
    return Layout([(worker, job) for worker, job in jobs if job], reused)


def join_pages(pieces: Sequence[Pages], title: str, units_record: str, target: Path) -> None:
    """Write `pieces` one after the other as one PDF in place at `target`, with its title,
    language and the record of its units."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    readers: dict[Path | bytes, PdfReader] = {}
    writer = PdfWriter()
    for piece in _merged(pieces):
        source = piece.source
        reader = readers.get(source)
        if reader is None:
            reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else str(source))
            readers[source] = reader
        if piece.first + piece.count > len(reader.pages):
            raise ValueError(f"{piece.source!r} has {len(reader.pages)} pages, "
                             f"not {piece.first + piece.count}")
        writer.append(reader, pages=(piece.first, piece.first + piece.count))
    writer.add_metadata({"/Title": title, "/Creator": "backstride",
                         "/Producer": f"{_renderer_versions()} and pypdf",
                         RECORD_ENTRY: units_record})
    writer.root_object[NameObject("/Lang")] = TextStringObject("en")
    writer.write(str(target))


def _merged(pieces: Sequence[Pages]) -> list[Pages]:
    """`pieces` with neighbours that continue each other in the same source as one piece
    (pypdf copies one range of pages much faster than many)."""
    merged: list[Pages] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and last.source == piece.source and last.first + last.count == piece.first:
            merged[-1] = Pages(last.source, last.first, last.count + piece.count)
        else:
            merged.append(piece)
    return merged


def assemble(document: PdfDocument, pages: Mapping[str, Pages], target: Path) -> None:
    """Write the units of `document`, printed as `pages` (by unit name), as its PDF in place
    at `target`, recording which units it holds."""
    join_pages(*pieces_of(document, pages), target)


def pieces_of(document: PdfDocument, pages: Mapping[str, Pages]
              ) -> tuple[list[Pages], str, str]:
    """The pages of `document`'s units in print order, its title and the record of its
    units: what `join_pages` needs, without the units' HTML."""
    return ([pages[unit.name] for unit in document.units], document.title,
            record([(unit.key, pages[unit.name].count) for unit in document.units]))
