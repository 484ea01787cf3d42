"""Contact sheet of exercise drawings, for checking poses by eye.

    python tools/pose_sheet.py OUT.pdf [--category core] [ID ...]
    pdftoppm -png -r 70 OUT.pdf sheet     # then look at sheet-*.png
    python tools/pose_sheet.py --points ID  # joint heights above the floor, to check contact

Each exercise shows its name, id and start/end drawing, so a wrong limb or a
floating body stands out.
"""

from __future__ import annotations

import argparse
from html import escape
from pathlib import Path

from weasyprint import HTML

from backstride.inputs.library import Exercise, load_library
from backstride.inputs.pose import Figure
from backstride.render.figure import floor_level, pose_svg

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 10mm; }}
body {{ font-family: sans-serif; font-size: 8pt; }}
.grid {{ display: flex; flex-wrap: wrap; }}
.cell {{ width: 62mm; height: 44mm; margin: 1mm; border: 0.3pt solid #ccc; padding: 1mm;
         break-inside: avoid; }}
.cell svg {{ width: 60mm; height: 34mm; }}
</style></head><body><div class="grid">{cells}</div></body></html>"""


def print_points(exercise: Exercise) -> None:
    """Each joint's x and its height above the floor, for the start and end position."""
    for label, position in (("start", exercise.pose.start), ("end", exercise.pose.end)):
        figure = Figure(position, exercise.pose.view)
        floor = floor_level(figure, exercise.pose)
        print(f"{label}: (x, height above floor)")
        for name, (x, y) in figure.points().items():
            print(f"  {name:16} {x:6.2f} {y - floor:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--points", metavar="ID", help="print one exercise's joints and stop")
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--category")
    args = parser.parse_args()
    library = load_library()
    if args.points:
        print_points(library.get(args.points))
        return
    cells = []
    for exercise in library.exercises.values():
        if args.category and exercise.category != args.category:
            continue
        if args.ids and exercise.id not in args.ids:
            continue
        drawing = pose_svg(exercise.pose, exercise.name)
        cells.append(
            f'<div class="cell"><b>{escape(exercise.name)}</b> ({escape(exercise.id)})'
            f"{drawing}</div>"
        )
    HTML(string=PAGE.format(cells="".join(cells))).write_pdf(args.out)
    print(f"{len(cells)} exercises -> {args.out}")


if __name__ == "__main__":
    main()
