"""Handouts as data: a procedure as titled sections, the clinic block, and writing the file.

The same sections feed the terminal's patient view (`render/patient.py`) and the exported files
(`render/handout_md.py`, `render/handout_html.py`), so a patient reads the same words on screen
and on paper. Nothing here knows about terminals or markup.
"""

import contextlib
import datetime as dt
import os
import re
import stat
from collections.abc import Sequence
from typing import Literal, NamedTuple

from ..model.procedure import Procedure

Audience = Literal["patient", "clinician"]
Format = Literal["markdown", "html"]
PATIENT_NOTICE = (
    "This sheet explains a procedure in general terms. It is not medical advice and does not "
    "replace a talk with your own doctor, who knows your health and will decide with you."
)
CLINICIAN_NOTICE = (
    "Reference summary, not medical advice. Decisions belong to the treating clinicians; check "
    "the cited sources and local protocols."
)
BLOOD_THINNER_LINE = (
    "If you take a blood thinner, do not stop it on your own. Stop it only if the doctor who "
    "prescribed it tells you to."
)


WARNING_TITLE = "Call your care team, or get emergency care, if"
BLANK = None  # a clinic line's value when it is left blank, to fill in by hand
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Section(NamedTuple):
    title: str
    paragraphs: Sequence[str] = ()
    items: Sequence[str] = ()
    numbered: bool = False


class Visit(NamedTuple):
    """What a clinic adds to a patient's copy: who to call, and when the procedure is."""

    clinic_name: str | None = None
    clinic_phone: str | None = None
    clinic_address: str | None = None
    date: dt.date | None = None
    time: str | None = None


class ClinicLine(NamedTuple):
    label: str
    value: str | None  # None: a blank line to fill in by hand


def patient_title(procedure: Procedure) -> str:
    """The title a patient reads: the plain-language one where the entry has it."""
    return procedure.patient_title or procedure.name


def clinical_subtitle(procedure: Procedure) -> str | None:
    """The clinical name, printed smaller under a plain-language title (None when they match)."""
    if procedure.patient_title and procedure.patient_title != procedure.name:
        return procedure.name
    return None


def clinic_lines(visit: Visit) -> list[ClinicLine]:
    """The block at the top of a patient handout. What is not given is left blank to write in;
    the address is printed only when there is one (too long to write in a blank)."""
    lines = [ClinicLine("Clinic", visit.clinic_name), ClinicLine("Phone", visit.clinic_phone)]
    if visit.clinic_address:
        lines.append(ClinicLine("Address", visit.clinic_address))
    return [
        *lines,
        ClinicLine("Date", long_date(visit.date) if visit.date else BLANK),
        ClinicLine("Time", visit.time),
        ClinicLine("Arrive by", BLANK),
        ClinicLine("Food and drink before", BLANK),
    ]


def long_date(day: dt.date) -> str:
    """'Wednesday 10 March 2027': the month in words, so no reader can take 03/10 for 3 October,
    and the weekday as a check; English names whatever the locale, as the rest of the sheet."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def parse_time(text: str) -> str:
    """A clock time as written on the sheet ('09:30', '2:15 pm'); raises ValueError."""
    found = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*([ap]\.?m\.?)?\s*", text, re.IGNORECASE)
    if found:
        hour, minute, half = int(found[1]), int(found[2]), found[3]
        if minute < 60 and (1 <= hour <= 12 if half else hour < 24):
            suffix = f" {half.replace('.', '').lower()}" if half else ""
            return f"{hour if half else found[1]}:{found[2]}{suffix}"
    raise ValueError(f"'{text}' is not a time such as 09:30, 14:15 or 2:15 pm")


def patient_sections(procedure: Procedure, visit: Visit | None = None) -> list[Section]:
    """What it is, why, how to prepare, the day, after, relief, warning signs, questions.

    With a clinic phone number, the warning signs say which number to call.
    """
    guide = procedure.patient
    sections = [Section("What it is", [procedure.patient_summary])]
    if guide is None:
        sections.append(
            Section("More information", ["Ask your doctor to explain this procedure to you."])
        )
        return sections
    prepare = list(guide.prepare)
    if not any("blood thinner" in line.lower() for line in prepare):
        prepare.append(BLOOD_THINNER_LINE)  # the rule every patient sheet must carry
    warning = WARNING_TITLE
    if visit is not None and visit.clinic_phone:
        warning = f"Call your care team at {visit.clinic_phone}, or get emergency care, if"
    sections += [
        Section("Why it is done", [guide.why]),
        Section("How to prepare", items=prepare),
        Section("On the day", items=list(guide.day), numbered=True),
        Section("Afterwards", items=list(guide.after)),
        Section("When relief comes and how long it lasts", [guide.relief]),
        Section(warning, items=list(guide.warning_signs)),
        Section("Questions to ask your doctor", items=list(guide.questions)),
    ]
    return sections


def clinician_sections(procedure: Procedure) -> list[Section]:
    """The clinician summary, in the order of `painref show`."""
    p = procedure
    meds = [
        m.agent + (f": {m.dose}" if m.dose else "") + (f". {m.notes}" if m.notes else "")
        for m in p.medications
    ]
    anticoag = [f"Bleeding-risk class (ASRA Pain Medicine): {p.anticoagulation_risk}."]
    if p.anticoagulation_note:
        anticoag.append(p.anticoagulation_note)
    return [
        Section("Summary", [p.summary]),
        Section("Indications", items=list(p.indications)),
        Section("Absolute contraindications", items=list(p.contraindications.absolute)),
        Section("Relative contraindications", items=list(p.contraindications.relative)),
        Section(
            "Imaging and technique",
            [f"Guidance: {', '.join(p.imaging.modalities)}. {p.imaging.notes}"],
            list(p.technique),
            numbered=True,
        ),
        Section("Medications", items=meds or ["No medication is part of this procedure."]),
        Section(
            "Outcomes", [f"Expected: {p.outcomes.expected}", f"Duration: {p.outcomes.duration}"]
        ),
        Section(
            "Complications",
            items=[
                f"{c.event} ({c.frequency})" if c.frequency else c.event for c in p.complications
            ],
        ),
        Section("Recovery and aftercare", items=list(p.recovery)),
        Section("Anticoagulation", anticoag),
        Section("Codes", [f"CPT: {', '.join(c.code for c in p.cpt_codes) or 'none listed'}"]),
        Section("Evidence", [p.evidence]),
        *([Section("Caveats and uncertainty", items=list(p.caveats))] if p.caveats else []),
    ]


def sections_for(
    procedure: Procedure, audience: Audience, visit: Visit | None = None
) -> list[Section]:
    if audience == "patient":
        return patient_sections(procedure, visit)
    return clinician_sections(procedure)


# --- the file ---------------------------------------------------------------------------------


def write_file(path: str, text: str, *, force: bool) -> None:
    """Write all of `text` or nothing: a temporary file beside the target, then a rename.

    The file gets the user's normal permissions (0666 less the umask, as any program's new file),
    not the private 0600 of a temporary file: a handout saved to a shared folder must be readable
    by colleagues. Replacing a file (`force`) keeps that file's mode.
    Raises FileExistsError when the target exists and `force` is false, OSError on failure.
    """
    target = os.path.abspath(path)
    if os.path.lexists(target) and not force:
        raise FileExistsError(target)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None  # a new file: the umask decides, as the kernel applies it to 0666
    _sweep(os.path.dirname(target))
    handle, temporary = _create_beside(target)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())  # a full disk may say so only now; the rename must not hide it
        if not force and os.path.lexists(target):  # appeared meanwhile: still never overwrite
            raise FileExistsError(target)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _create_beside(target: str) -> tuple[int, str]:
    """A new, empty temporary file in the target's folder, created with mode 0666 so the umask
    applies (`tempfile.mkstemp` always makes 0600); its descriptor and path."""
    folder = os.path.dirname(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = os.path.join(folder, f".painref-{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _sweep(folder: str) -> None:
    """Remove temporary files an earlier export left when it was killed mid-write (older than
    ten minutes: no export takes that long)."""
    import time

    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".painref-") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if time.time() - entry.stat(follow_symlinks=False).st_mtime > 600:
                        os.unlink(entry.path)
