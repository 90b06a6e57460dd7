"""Expected stop/restart intervals per drug and procedure risk class (see test_anticoag.py).

Each row: (stop action, value, value_max, unit, restart action, value, unit). These are the ASRA
Pain Medicine guideline's numbers (second edition, 2018) as read from a published adaptation of
its summary table (UpToDate), transcribed here once and separately from the data file, so a
changed number in data/anticoagulants.yaml fails until it is changed here on purpose too.
Drugs whose intervals could not be confirmed (every cell "not-verified") are checked in
test_anticoag.py for carrying no number at all.
"""

from __future__ import annotations

from typing import Any

EXPECTED: dict[str, dict[str, tuple[Any, ...]]] = {
    "aspirin-primary-prevention": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("shared-decision", None, None, None, "restart", 24, "hours"),
        "high": ("stop", 6, None, "days", "restart", 24, "hours"),
    },
    "aspirin-secondary-prevention": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("shared-decision", None, None, None, "restart", 24, "hours"),
        "high": ("shared-decision", None, None, None, "restart", 24, "hours"),
    },
    "nsaids": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 5, None, "half-lives", "restart", 24, "hours"),
    },
    "diclofenac": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 1, None, "days", "restart", 24, "hours"),
    },
    "ketorolac": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 1, None, "days", "restart", 24, "hours"),
    },
    "ibuprofen": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 1, None, "days", "restart", 24, "hours"),
    },
    "etodolac": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 2, None, "days", "restart", 24, "hours"),
    },
    "indomethacin": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 2, None, "days", "restart", 24, "hours"),
    },
    "naproxen": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 4, None, "days", "restart", 24, "hours"),
    },
    "meloxicam": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 4, None, "days", "restart", 24, "hours"),
    },
    "nabumetone": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 6, None, "days", "restart", 24, "hours"),
    },
    "oxaprozin": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 10, None, "days", "restart", 24, "hours"),
    },
    "piroxicam": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 10, None, "days", "restart", 24, "hours"),
    },
    "cilostazol": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 2, None, "days", "restart", 24, "hours"),
    },
    "dipyridamole": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("continue", None, None, None, "not-applicable", None, None),
        "high": ("stop", 2, None, "days", "not-verified", None, None),
    },
    "aspirin-dipyridamole": {
        "low": ("continue", None, None, None, "not-applicable", None, None),
        "intermediate": ("shared-decision", None, None, None, "restart", 24, "hours"),
        "high": ("shared-decision", None, None, None, "restart", 24, "hours"),
    },
    "warfarin": {
        "low": ("shared-decision", None, None, None, "restart", 6, "hours"),
        "intermediate": ("stop", 5, None, "days", "restart", 6, "hours"),
        "high": ("stop", 5, None, "days", "restart", 6, "hours"),
    },
    "acenocoumarol": {
        "low": ("shared-decision", None, None, None, "restart", 24, "hours"),
        "intermediate": ("stop", 3, None, "days", "restart", 24, "hours"),
        "high": ("stop", 3, None, "days", "restart", 24, "hours"),
    },
    "heparin-iv": {
        "low": ("stop", 6, None, "hours", "restart", 2, "hours"),
        "intermediate": ("stop", 6, None, "hours", "restart", 2, "hours"),
        "high": ("stop", 6, None, "hours", "restart", 2, "hours"),
    },
    "heparin-subcutaneous": {
        "low": ("stop", 6, None, "hours", "restart", 2, "hours"),
        "intermediate": ("stop", 6, None, "hours", "restart", 2, "hours"),
        "high": ("stop", 24, None, "hours", "restart", 6, "hours"),
    },
    "lmwh-prophylactic": {
        "low": ("stop", 12, None, "hours", "restart", 4, "hours"),
        "intermediate": ("stop", 12, None, "hours", "restart", 12, "hours"),
        "high": ("stop", 12, None, "hours", "restart", 12, "hours"),
    },
    "lmwh-therapeutic": {
        "low": ("stop", 24, None, "hours", "restart", 4, "hours"),
        "intermediate": ("stop", 24, None, "hours", "restart", 12, "hours"),
        "high": ("stop", 24, None, "hours", "restart", 12, "hours"),
    },
    "dalteparin": {
        "low": ("stop", 24, None, "hours", "restart", 4, "hours"),
        "intermediate": ("stop", 24, None, "hours", "restart", 12, "hours"),
        "high": ("stop", 24, None, "hours", "not-verified", None, None),  # table copy ends here
    },
}
