"""plan.json's text: standard, indented JSON, the same bytes for the same plan."""

from __future__ import annotations

import json

from backstride.inputs.library import Library
from tests.conftest import plan_for


def test_plan_json_is_what_python_json_writes(library: Library) -> None:
    # Written by pydantic's serializer for speed; the text must stay the contract's: what
    # json.dumps(indent=2, ensure_ascii=False) writes, non-ASCII and control characters too.
    plan = plan_for(library, name='Zoë "Z" 李明\t\\ \u2028 \x7f', units="mi", weeks=6,
                    back={"pain": 4, "worse_with": "flexion"})
    expected = json.dumps(json.loads(plan.to_json()), indent=2, ensure_ascii=False) + "\n"
    assert plan.to_json() == expected
    assert plan.to_json() == json.dumps(plan.model_dump(mode="json"), indent=2,
                                        ensure_ascii=False) + "\n"
