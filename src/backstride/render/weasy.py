"""Import WeasyPrint without two start-up costs that do not depend on the document.

Both are measured on this machine (WeasyPrint 70, cffi 2) and both change only how
fast WeasyPrint starts, never what it draws:

- Finding its C libraries. WeasyPrint tries several names for each library (one per
  platform); for each name that does not load directly, cffi asks
  `ctypes.util.find_library`, which on Linux runs `ldconfig`, `gcc` and `ld` as
  subprocesses. About 14 such lookups fail before the `libX.so.N` names load, and
  they cost 130-170 ms of every process that imports WeasyPrint. On Linux the
  `.so.N` names are in every library's list and load straight from the system
  search path, so the lookups are skipped while WeasyPrint loads. Should that fail
  (a library only `gcc` can find), the import is tried again the usual way.
- Font subsetting allocates `hb_codepoint_t[N]` arrays with N written into the type
  text, and cffi parses every new type text as C (about 12 ms each, with all of
  WeasyPrint's declarations). A plan's PDF meets five or six new N, a squad's worker
  hundreds. `T[N]` with an initialiser of N items is the same array as `T[]` with
  it, which cffi parses once.

And one cost that does depend on the document, but not on what it draws: parsing the
HTML. WeasyPrint parses with tinyhtml5, an HTML5 parser in pure Python, which takes
about 60 ms for a plan's cover and weeks and as long again for its guide (7% of a
squad's work). backstride's templates are also well-formed XML, which Python's expat
parser reads into the same tree in 3 ms; `html_document` does that, and leaves any
document that is not (an edited template, say) to tinyhtml5.

The same goes for the print stylesheet, which every plan document embeds (so plan.html
works on its own): WeasyPrint parses it and compiles its selectors for every document, and
resolves its custom properties (`var(--ink)`) for every element that uses one. Parsed once
per process with the custom properties written in (`parsed_stylesheet`), a plan's cover and
weeks take 4.6% less work (callgrind: 2.94 to 2.80 billion instructions), and the pages are
the same to the byte (tests/test_weasy.py).

One setting changes the bytes, never the pages: where the machine lacks HarfBuzz's
subsetter, WeasyPrint subsets fonts with fontTools, which stamps each font with the
current time, so the same plan would give a different PDF every second. Pinning the
stamp (`SOURCE_DATE_EPOCH`, unless the caller set it) keeps the same input giving the
same PDF either way.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import io
import os
import re
import sys
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from types import ModuleType
from typing import Any

_SIZED_ARRAY = re.compile(r"^(\w+)\[(\d+)\]$")


_IMPORTING = threading.Lock()


def import_weasyprint() -> ModuleType:
    """`import weasyprint`, quicker (see the module docstring).

    Safe from several threads at once (a Dask worker runs tasks in threads): one imports
    while the others wait, so none sees a half-imported module or the patched lookup.
    """
    with _IMPORTING:
        os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
        if "weasyprint" not in sys.modules:
            try:
                # WeasyPrint prints a troubleshooting banner when a library fails to load;
                # the retry below prints it again if the normal way fails too.
                with _library_lookups_skipped(), contextlib.redirect_stdout(io.StringIO()):
                    import weasyprint
            except OSError:
                pass
        import weasyprint

        _share_sized_array_types()
    return weasyprint


@contextlib.contextmanager
def _library_lookups_skipped() -> Iterator[None]:
    if not sys.platform.startswith("linux"):
        yield
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


def _share_sized_array_types() -> None:
    # Only the font subsetting module gets the wrapper: every other cffi call in
    # WeasyPrint (tens of thousands a plan) goes straight to cffi.
    fonts = sys.modules.get("weasyprint.pdf.fonts")
    ffi = getattr(fonts, "ffi", None)
    if fonts is None or ffi is None or isinstance(ffi, _SizedArraysShared):
        return
    fonts.ffi = _SizedArraysShared(ffi)


class _SizedArraysShared:
    """WeasyPrint's cffi `FFI`, whose `new` allocates `T[N]` with N items as `T[]`."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)

    def new(self, cdecl: Any, init: Any = None) -> Any:
        match = _SIZED_ARRAY.match(cdecl) if isinstance(cdecl, str) else None
        if match is not None and isinstance(init, list | tuple) and len(init) == int(match[2]):
            return self._ffi.new(f"{match[1]}[]", init)
        return self._ffi.new(cdecl, init)


def html_document(html: str, base_url: str, url_fetcher: Any) -> Any:
    """`weasyprint.HTML(string=html, ...)`, parsed by expat when `html` is well-formed XML.

    The tree is the one tinyhtml5 builds (tests/test_weasy.py holds this for every kind of
    document backstride lays out, down to the drawn pages) but for white space around the
    document's head and body, which lays out as nothing. The document is made as
    `HTML.__init__` (WeasyPrint 68-70) makes it from its own tree: the tree's cssselect2
    wrapper, the base URL (a document with a `<base>` is left to WeasyPrint), the
    fetcher and the media type.
    """
    weasyprint = import_weasyprint()
    try:
        root = ElementTree.fromstring(html)
    except ElementTree.ParseError:
        root = None
    if root is None or root.tag != "html" or root.find(".//base") is not None:
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    import cssselect2

    document = weasyprint.HTML.__new__(weasyprint.HTML)
    document.base_url = base_url
    document.url_fetcher = url_fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(
        root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


# A `:root` rule's body; a custom property's declaration (name and value) and its name
# alone; a use of one without a fallback.
_ROOT_RULE = re.compile(r":root\s*\{([^{}]*)\}")
_CUSTOM_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]+?)\s*(?:;|$)")
_DECLARED_NAME = re.compile(r"(--[\w-]+)\s*:")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def custom_properties_resolved(css: str) -> str:
    """`css` with every `var(--name)` replaced by the value `:root` gives `--name`.

    Only names declared once in the whole stylesheet, in `:root`, are replaced: a name
    declared again elsewhere may differ from element to element, and stays a `var()`.
    """
    root = _ROOT_RULE.search(css)
    if root is None:
        return css
    declared = _DECLARED_NAME.findall(css)
    values = {name: value for name, value in _CUSTOM_PROPERTY.findall(root.group(1))
              if declared.count(name) == 1}
    return _VAR.sub(lambda use: values.get(use[1], use[0]), css)


@functools.lru_cache(maxsize=1)  # one stylesheet in use at a time; an edited one replaces it
def parsed_stylesheet(css: str, base_url: str, url_fetcher: Any, font_config: Any) -> Any:
    """`css` as a WeasyPrint stylesheet to lay documents out with, parsed once per process
    (see the module docstring). The same for every document: it holds no document's state
    (WeasyPrint cascades it into each document's own styles) and is only read."""
    return import_weasyprint().CSS(string=custom_properties_resolved(css), base_url=base_url,
                                   url_fetcher=url_fetcher, font_config=font_config)
