"""The quicker WeasyPrint import changes start-up time only, never what is drawn."""

from __future__ import annotations

import ctypes.util

from backstride.render.weasy import import_weasyprint


def test_sized_arrays_hold_the_same_values() -> None:
    import_weasyprint()
    import weasyprint.pdf.fonts

    ffi = weasyprint.pdf.fonts.ffi
    values = [3, 1, 4, 1, 5]
    array = ffi.new(f"hb_codepoint_t[{len(values)}]", values)
    assert ffi.typeof(array) == ffi.typeof("hb_codepoint_t[]")
    assert list(array) == values
    assert list(ffi.new("hb_codepoint_t[4]")) == [0, 0, 0, 0]  # no initialiser: as before


def test_library_lookups_are_restored() -> None:
    import_weasyprint()
    assert ctypes.util.find_library.__module__ == "ctypes.util"
