"""OR-Tools' CP-SAT module, imported without pandas.

`ortools.sat.python.cp_model` imports pandas (about 0.2 s here, half of its import)
only for its `..._series` methods, which take and return pandas objects; at import it
needs no more than the names `pandas.Index` and `pandas.Series` for its type hints.
backstride never uses those methods, so while cp_model loads (from the main thread),
`pandas` is a small stand-in with those two names, and it is taken away again at once:
anything that imports pandas later gets the real one. Should cp_model ever need more of
pandas to load, it is imported again the usual way.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_IMPORTING = threading.Lock()
CP_MODEL = "ortools.sat.python.cp_model"


def import_cp_model() -> ModuleType:
    """`from ortools.sat.python import cp_model`, quicker (see the module docstring)."""
    with _IMPORTING:
        # Only from the main thread: while cp_model loads, the stand-in is what any thread
        # importing pandas would get (a Dask worker runs tasks in threads of its own).
        quick = threading.current_thread() is threading.main_thread()
        if quick and CP_MODEL not in sys.modules and "pandas" not in sys.modules:
            stand_in = ModuleType("pandas", "backstride's stand-in while cp_model imports")
            stand_in.Index = type("Index", (), {})  # type: ignore[attr-defined]
            stand_in.Series = type("Series", (), {})  # type: ignore[attr-defined]
            sys.modules["pandas"] = stand_in
            try:
                from ortools.sat.python import cp_model
            except Exception:  # it needs the real pandas: forget the half-import
                sys.modules.pop(CP_MODEL, None)
            finally:
                if sys.modules.get("pandas") is stand_in:
                    del sys.modules["pandas"]
        from ortools.sat.python import cp_model

        return cp_model
