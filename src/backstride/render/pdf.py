"""Write the plan HTML as a PDF with WeasyPrint, through its public API only.

WeasyPrint is imported inside the functions: importing it takes a noticeable
fraction of a second, and commands that never write a PDF should not pay it.
The font configuration and the image cache are made once per process and
reused for every document (measured: this is what keeps a squad fast).

The same HTML gives the same PDF, byte for byte: WeasyPrint subsets fonts with
HarfBuzz, which stamps no date. (Without HarfBuzz's subsetter, 4.1 or later,
WeasyPrint warns and falls back to fontTools, whose subsets carry the current
time unless `SOURCE_DATE_EPOCH` is set; that is the environment's to set.)
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from backstride.files import write_atomically
from backstride.render.join import Pages, join_files
from backstride.render.pages import SHARED_UNITS, PdfDocument, assemble, plan_layout, unit_spans
from backstride.render.templates import stylesheet, templates_dir


class RefusedURLError(ValueError):
    """A document asked for a resource outside the package templates folder."""


def allowed_path(url: str, root: Path) -> Path:
    """The local file `url` names, if it is a file: URL inside `root`; else RefusedURLError.

    A plan is rendered from user-supplied text (names, notes); refusing every
    other URL means no rendering ever reads the disk elsewhere or the network.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURLError(f"backstride renders offline; refused {url!r}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        raise RefusedURLError(f"only files in the templates folder may be used; refused {url!r}")
    return path


@functools.lru_cache(maxsize=1)
def _font_config() -> Any:
    # One FontConfiguration per process: building it scans the system fonts.
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


# Images (the exercise drawings) are parsed once per process, keyed by their data URL.
_IMAGE_CACHE: dict[str, Any] = {}


@functools.lru_cache(maxsize=1)
def _url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves only files from the templates folder."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = templates_dir()

    class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            if url.startswith("data:"):
                # The exercise drawings: inline data, no disk or network. (A name or note
                # cannot smuggle one in: every text from input is escaped.)
                with DataHandler().data_open(Request(url)) as response:
                    mime = response.headers.get("Content-Type", "text/plain")
                    return URLFetcherResponse(url, response.read(), {"Content-Type": mime})
            path = allowed_path(url, root)
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return TemplatesOnlyFetcher(allowed_protocols=("file", "data"))


def write_pdf(html: str, path: Path) -> None:
    """Render `html` to a PDF at `path`, atomically: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda staged: render_pdf(html, staged))


# WeasyPrint is not safe for two documents at once in one process (a Dask worker with
# several threads asks for that); one at a time, and threads only wait for each other.
_ONE_DOCUMENT_AT_A_TIME = threading.Lock()


def render_pdf(html: str, target: Path | None = None) -> bytes | None:
    """Lay out `html` offline (see `_url_fetcher`) and write the PDF to `target`, or return
    it when there is none. `target` is written in place: give it a staged file (see
    `files.stage_file`), or use `write_pdf`."""
    with _ONE_DOCUMENT_AT_A_TIME:
        pdf: bytes | None = _lay_out(html).write_pdf(target)
    return pdf


def render_units(html: str, css: str, names: Sequence[str], target: Path | None = None
                 ) -> tuple[bytes | None, dict[str, tuple[int, int]]]:
    """`render_pdf` for a document of a plan's units (see `render.pages`), which holds no
    stylesheet of its own but is laid out with the stylesheet `css`; and the first page
    and page count of each unit in `names`."""
    with _ONE_DOCUMENT_AT_A_TIME:
        document = _lay_out(html, _parsed(css))
        spans = unit_spans([list(page.anchors) for page in document.pages], names)
        return document.write_pdf(target), spans


@functools.lru_cache(maxsize=4)
def _parsed(css: str) -> Any:
    # Parsed once per process, not once per document: a plan's PDF is laid out in a few
    # documents, a squad's in a few per runner (benchmarks/README.md says what it saves).
    import weasyprint

    return weasyprint.CSS(string=css, base_url=str(templates_dir()) + os.sep,
                          url_fetcher=_url_fetcher(), font_config=_font_config())


def _lay_out(html: str, parsed_css: Any = None) -> Any:
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=str(templates_dir()) + os.sep,
                               url_fetcher=_url_fetcher())
    return document.render(font_config=_font_config(), cache=_IMAGE_CACHE,
                           stylesheets=[parsed_css] if parsed_css is not None else None)


def warm_up() -> None:
    """Import WeasyPrint, build the font configuration, parse the stylesheet and lay out a
    small page, ahead of the first job: paid while the plan is solved, and once for the
    workers forked from this process (see `render.workers`)."""
    # Plain HTML, not a template: a worker never needs jinja.
    html = (templates_dir() / "warm_up.html").read_text(encoding="utf-8")
    render_units(html, stylesheet(), ["warm-up"])


def prepare_worker() -> None:
    """Ready a process that will lay out PDFs: `warm_up`, then what is loaded so far kept
    out of the garbage collector's way, and the collector on (a process forked from the
    CLI starts with it off: see `cli.run`) but run less often.

    Layout makes millions of short-lived objects, and cycles among them (a box and its
    parent); with the default settings the collector keeps scanning every module and cache
    already loaded (benchmarks/bench_squad.py measures what this saves). The settings are
    the whole process's, so only processes backstride starts for this call it (its PDF
    workers and a squad's local workers), never a Dask worker it is a guest in.
    """
    warm_up()
    # Frozen as it is, without a collection first: what little garbage the imports left
    # costs memory, where a full collection would cost the worker's first job its time.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    gc.enable()


def write_plan_pdf(document: PdfDocument, target: Path, shared_pages: Path | None = None
                   ) -> None:
    """The plan's PDF, laid out in this process and written in place at `target`, a staged
    file the caller renames into place.

    Without workers: a squad's worker plans runner after runner. The guide and the cover's
    second page name no runner (`SHARED_UNITS`), so their pages are also kept and reused
    for every runner with the same exercises or kinds of session: most runners of a squad
    share a few of each, and the guide is about two fifths of a 12-week plan's layout work,
    the second page a twentieth. With `shared_pages`, a folder the squad's workers share,
    each is left there for the other workers too, so it is laid out once per squad.
    """
    printed: dict[str, Pages] = {}
    for unit in document.units:
        if unit.name in SHARED_UNITS:
            kept = _KEPT.get(unit.key) or _left_by_another(shared_pages, unit.key)
            if kept is not None:
                printed[unit.key] = kept
    layout = plan_layout(document.units, printed, workers=1)
    pages = dict(layout.reused)
    for _, units in layout.jobs:
        pdf, spans = render_units(document.html(units), document.stylesheet,
                                  [unit.name for unit in units])
        assert pdf is not None
        for unit in units:
            pages[unit.name] = Pages(pdf, *spans[unit.name])
            if unit.name in SHARED_UNITS:  # laid out alone: `pdf` is this unit and nothing else
                _keep(unit.key, pages[unit.name])
                _leave_for_others(shared_pages, unit.key, pdf, pages[unit.name].count)
    assemble(document, pages, target)


# The pages of shared units laid out (or read) in this process, by key, the latest last.
_KEPT: OrderedDict[str, Pages] = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEPT_UNITS = 32


def _left_by_another(shared_pages: Path | None, key: str) -> Pages | None:
    """The shared unit with `key` another worker left in `shared_pages`, if any (as
    "<key>-<pages>.pdf")."""
    if shared_pages is None:
        return None
    for path in shared_pages.glob(f"{key}-*.pdf"):
        count = path.stem.rpartition("-")[2]
        with contextlib.suppress(OSError):
            if count.isdigit():
                pages = Pages(path.read_bytes(), 0, int(count))
                _keep(key, pages)
                return pages
    return None


def _keep(key: str, pages: Pages) -> None:
    with _KEPT_LOCK:  # a Dask worker plans runners in several threads
        _KEPT[key] = pages
        _KEPT.move_to_end(key)
        if len(_KEPT) > KEPT_UNITS:
            _KEPT.popitem(last=False)


def _leave_for_others(shared_pages: Path | None, key: str, pdf: bytes, count: int) -> None:
    """Leave a shared unit's PDF in `shared_pages` for the squad's other workers."""
    if shared_pages is not None:
        with contextlib.suppress(OSError):  # only a saving: the others lay it out instead
            write_atomically(shared_pages / f"{key}-{count}.pdf",
                             lambda path: path.write_bytes(pdf))


def join_pdfs(parts: Sequence[Path], path: Path, *, double_sided: bool = False) -> None:
    """Concatenate PDF files into `path`, atomically (see `render.join.join_files`)."""
    write_atomically(path, lambda staged: join_files(parts, staged, double_sided=double_sided))
