"""CP-SAT is imported without pandas, and pandas still works for whatever imports it later."""

from __future__ import annotations

import subprocess
import sys


def test_planning_does_not_import_pandas_and_pandas_still_imports() -> None:
    code = (
        "import sys\n"
        "from backstride.library import load_library\n"
        "from backstride.planner import build_plan\n"
        "from backstride.profile import parse_profile\n"
        "profile = parse_profile({'name': 'P', 'current_weekly': 20, 'goal_weekly': 30,"
        " 'start': '2026-12-07', 'weeks': 2}, 'test')\n"
        "assert build_plan(profile, load_library()).weeks\n"
        "print('pandas' in sys.modules)\n"
        "import pandas\n"
        "print(pandas.Series([1, 2]).sum())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "3"]
