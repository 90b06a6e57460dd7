"""Expected stop/restart intervals per drug and risk class (see test_anticoag.py).

Each row: (stop action, value, value_max, unit, restart action, value, unit). Numbers are the
ASRA Pain Medicine guideline's (2018, second edition), as checked against the sources cited in
data/anticoagulants.yaml.
"""

from __future__ import annotations

from typing import Any

EXPECTED: dict[str, dict[str, tuple[Any, ...]]] = {
    "aspirin-primary-prevention": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("shared-decision", None, None, None, "restart", 24, "hours"),
        "high": ("stop", 6, None, "days", "restart", 24, "hours"),
    },
}
