"""The red flags: signs that need a clinician before any training (DESIGN.md, "Safety").

A module of its own, without pydantic: the CLI offers them as choices before it imports
anything heavier.
"""

from __future__ import annotations

from typing import Literal

RED_FLAGS: dict[str, str] = {
    "saddle_numbness": "numbness in the saddle area",
    "bladder_bowel": "a change in bladder or bowel control",
    "progressive_weakness": "leg weakness that is getting worse",
    "fever": "fever with back pain",
    "weight_loss": "unexplained weight loss",
    "night_pain": "constant pain at night",
    "trauma": "pain after a fall or other trauma",
    "cancer_history": "a history of cancer",
}
RedFlag = Literal[
    "saddle_numbness", "bladder_bowel", "progressive_weakness", "fever",
    "weight_loss", "night_pain", "trauma", "cancer_history",
]
