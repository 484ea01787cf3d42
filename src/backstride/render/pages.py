"""A plan's PDF in units that each start a page, laid out apart and put together.

A plan PDF is a row of units: the cover, the cover's second page (how to use the plan,
and why each kind of session), one per week, the exercise guide (or one referral sheet).
Each unit's key is a hash of exactly the HTML it is laid out from, so two units with the
same key print the same pages: a squad lays out the units that name no runner once for
every runner who shares them (see `render.pdf`). The units are laid out in a few
documents, side by side in worker processes (see `render.workers`), and their pages
joined into one PDF.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from backstride.render.join import Pages, join_pages

END_MARK = "<!--units end-->"
_UNIT_MARK = re.compile(r"<!--unit:([a-z0-9-]+)-->")

GUIDE = "guide"
INTRO = "intro"
# Units that name no runner: laid out on their own, in a frame that names no runner, so
# every runner with the same exercises (the guide) or the same kinds of session (the intro)
# prints the same pages, and a squad lays each out once (see `render.pdf`).
SHARED_UNITS = frozenset({INTRO, GUIDE})


@dataclass(frozen=True)
class Unit:
    """One unit of a plan PDF: `section` is its HTML, `key` names what it prints."""

    name: str  # "cover", "intro", "week-3", "guide", "referral"
    key: str
    cost: float  # layout work, in week pages (see `render.html.COVER_IN_WEEKS`)
    section: str


@dataclass(frozen=True)
class PdfDocument:
    """A plan PDF as units, the frames (document head and tail) they are laid out in, and
    the stylesheet they are laid out with (the frames hold none: see `render.pdf`)."""

    title: str
    units: list[Unit]
    frame: tuple[str, str]
    shared_frame: tuple[str, str]  # names no runner: for the `SHARED_UNITS`
    stylesheet: str

    def frame_of(self, name: str) -> tuple[str, str]:
        """The head and tail the unit `name` is laid out between."""
        return self.shared_frame if name in SHARED_UNITS else self.frame

    def html(self, units: Sequence[Unit]) -> str:
        """One HTML document laying out `units` (the runner's, or one shared unit alone)."""
        head, tail = self.frame_of(units[0].name)
        return head + "".join(unit.section for unit in units) + tail


def pdf_document(title: str, html: str, cost: Callable[[str], float], stylesheet: str,
                 frame: str, shared_frame: str | None = None) -> PdfDocument:
    """The PDF of `html`, a document marked in units, laid out with `stylesheet`.

    Each unit is laid out between the head and the tail (what comes before its first unit
    and after its last) of `frame`, or of `shared_frame` for the `SHARED_UNITS`: documents
    marked as `html` is, without a stylesheet of their own, whose units (if any) are not
    used. Each unit's key hashes its section, its frame and the stylesheet."""
    head, tail = _frame(frame)
    document = PdfDocument(title, [], (head, tail),
                           _frame(shared_frame) if shared_frame else (head, tail), stylesheet)
    units = []
    for name, section in split_units(html)[1]:
        unit_head, unit_tail = document.frame_of(name)
        units.append(Unit(name, unit_key(stylesheet, unit_head, section, unit_tail), cost(name),
                          section))
    return replace(document, units=units)


def _frame(html: str) -> tuple[str, str]:
    head, _, tail = split_units(html)
    return head, tail


def split_units(html: str) -> tuple[str, list[tuple[str, str]], str]:
    """The head before the first unit, each unit's (name, HTML), and the tail after the last."""
    end = html.index(END_MARK)
    pieces = _UNIT_MARK.split(html[:end])
    head, rest = pieces[0], pieces[1:]
    return head, list(zip(rest[::2], rest[1::2], strict=True)), html[end + len(END_MARK):]


# What lays out and draws the pages: a new version of any may print them differently.
RENDERERS = ("backstride", "weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools",
             "tinyhtml5")


def unit_key(*texts: str) -> str:
    """A short hash of everything a unit's pages are laid out from, and of what lays them out."""
    digest = hashlib.sha256(_renderer_versions().encode("utf-8"))
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()[:24]


@functools.cache
def _renderer_versions() -> str:
    # Imported here: the PDF workers import this module first thing, and never need it.
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in RENDERERS:
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            found.append(f"{package} ?")
    # The fonts a page is set in come from fontconfig, which these choose.
    found += [os.environ.get(name, "") for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")]
    return ", ".join(found)


# -- where each unit's pages are -----------------------------------------------------------

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

# Laying out a document at all (its HTML, the cascade, the first page) costs a share of a
# week page. Measured at three quarters when each document also parsed the stylesheet (now
# parsed once per process: see `render.pdf`); kept, as the two workers of a flare-up still
# finish together with it.
DOCUMENT_IN_WEEKS = 0.75


@dataclass(frozen=True)
class Layout:
    """What to lay out (documents, each given to a worker) and what is already printed (the
    units that name no runner, kept from an earlier runner's plan)."""

    jobs: list[tuple[int, list[Unit]]]  # (worker, units of one document)
    reused: dict[str, Pages]  # by unit name


def plan_layout(units: Sequence[Unit], printed: Mapping[str, Pages], workers: int) -> Layout:
    """Reuse every unit already `printed` (by key); lay out the rest in documents shared
    between `workers` so that the busiest has as little layout work as can be.

    Each shared unit (see `SHARED_UNITS`) is a document of its own; the runner's units are
    one document, or two cut where the work comes out most even. Each worker is given its
    biggest document first.
    """
    reused = {unit.name: printed[unit.key] for unit in units if unit.key in printed}
    shared = [[u] for u in units if u.name in SHARED_UNITS and u.name not in reused]
    body = [u for u in units if u.name not in SHARED_UNITS and u.name not in reused]
    if workers < 2:
        return Layout([(0, job) for job in [body, *shared] if job], reused)
    cuts = [[job for job in (body[:cut], body[cut:], *shared) if job]
            for cut in range(len(body) + 1)]
    return Layout(min((_shared_out(documents, workers) for documents in cuts),
                      key=lambda jobs: _busiest(jobs, workers)), reused)


def _cost(document: Sequence[Unit]) -> float:
    return DOCUMENT_IN_WEEKS + sum(unit.cost for unit in document)


def _shared_out(documents: list[list[Unit]], workers: int) -> list[tuple[int, list[Unit]]]:
    """Each document, the biggest first, to the worker with the least work so far."""
    work = [0.0] * workers
    jobs = []
    for document in sorted(documents, key=_cost, reverse=True):
        worker = work.index(min(work))
        work[worker] += _cost(document)
        jobs.append((worker, document))
    return jobs


def _busiest(jobs: list[tuple[int, list[Unit]]], workers: int) -> float:
    return max(sum(_cost(document) for worker, document in jobs if worker == each)
               for each in range(workers))


def assemble(document: PdfDocument, pages: Mapping[str, Pages], target: Path) -> None:
    """Write the units of `document`, printed as `pages` (by unit name), as its PDF in place
    at `target`."""
    join_pages([pages[unit.name] for unit in document.units], document.title, target)
