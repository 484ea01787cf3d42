"""The quicker WeasyPrint import changes start-up time only, never what is drawn."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from pathlib import Path

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


def test_two_threads_can_start_rendering_at_once(tmp_path: Path) -> None:
    # A Dask worker runs tasks in threads: the first two PDFs of a fresh process may ask
    # for WeasyPrint at the same moment.
    script = (
        "import sys, threading, ctypes.util\n"
        "from pathlib import Path\n"
        "from backstride.render.pdf import write_pdf\n"
        "errors = []\n"
        "def render(n):\n"
        "    try:\n"
        "        write_pdf('<p>hello</p>', Path(sys.argv[1]) / f'{n}.pdf')\n"
        "    except Exception as error:\n"
        "        errors.append(repr(error))\n"
        "threads = [threading.Thread(target=render, args=(n,)) for n in range(3)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "assert not errors, errors\n"
        "assert ctypes.util.find_library.__module__ == 'ctypes.util'\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.pdf", "2.pdf"]
