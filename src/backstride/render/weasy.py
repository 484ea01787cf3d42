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
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import re
import sys
import threading
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
