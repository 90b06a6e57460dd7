"""The export command: a handout or clinician summary as Markdown, HTML or JSON, to stdout or a
file written safely."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...errors import EXIT_USAGE, CommandExit
from .common import State, err, parsed, resolve_all, split_names, usage, write

if TYPE_CHECKING:
    from ...query.handout import Visit


# --- export -----------------------------------------------------------------------------------


def export(
    state: State,
    names: Sequence[str],
    fmt: str | None,
    output: str | None,
    force: bool,
    audience: str | None,
    clinic_name: str | None = None,
    clinic_phone: str | None = None,
    date: str | None = None,
    time: str | None = None,
    json_output: bool = False,
) -> None:
    from typing import cast

    from ...query import handout

    example = "painref export medial-branch-rfa --format html -o rfa.html"
    if not names:
        usage("export needs one or more procedures.", example)
    if json_output and fmt is not None:
        usage(
            "--json and --format are different outputs; choose one.",
            "painref export medial-branch-rfa --json",
        )
    if fmt is None:
        fmt = "html" if output and output.lower().endswith((".html", ".htm")) else "markdown"
    if fmt not in ("markdown", "html"):
        usage(f"--format must be markdown or html (got '{fmt}').", example)
    audience = audience or state.config.get("handout.audience") or "patient"
    if audience not in ("patient", "clinician"):
        usage(f"--for must be patient or clinician (got '{audience}').", example)
    visit = _visit(state, clinic_name, clinic_phone, date, time)
    names = split_names(state, names, "export", example)
    procedures = resolve_all(state, names)
    who = cast(handout.Audience, audience)
    if json_output:
        from ...render.jsonout import dumps, handout_data

        fmt = "json"
        text = dumps(handout_data(procedures, who)) + "\n"
    elif fmt == "html":
        from ...render.handout_html import to_html

        text = to_html(procedures, who, visit)
    else:
        from ...render.handout_md import to_markdown

        text = to_markdown(procedures, who, visit)
    if output is None or output == "-":
        write(text)
        return
    from ...printable import printable

    target = _export_target(output, force, example)
    try:  # the document is cleaned like stdout: it is opened with `cat` and `less` too
        handout.write_file(target, printable(text), force=force)
    except FileExistsError:
        usage(f"{output} already exists; add --force to replace it.", f"{example} --force")
    except OSError as exc:
        err(f"Error: could not write {output}: {exc.strerror or exc}")
        raise CommandExit(EXIT_USAGE) from None
    err(f"Wrote {output} ({fmt}, {audience}, {len(procedures)} procedure(s))")


def _visit(
    state: State,
    clinic_name: str | None,
    clinic_phone: str | None,
    date: str | None,
    time: str | None,
) -> Visit:
    """The clinic block's values: the options, else the config file's clinic."""
    from ...query.handout import Visit, parse_time
    from ...query.intervals import parse_date

    example = "painref export mbb -o mbb.html --date 2027-03-10 --time 09:30"
    day = parsed("--date", date, parse_date, example) if date is not None else None
    if time is not None:
        time = parsed("--time", time, parse_time, example)
    for option, value in (("--clinic-name", clinic_name), ("--clinic-phone", clinic_phone)):
        if value is not None and (not value.strip() or not value.isprintable()):
            usage(f"{option} must be one line of text (got {value!r}).", example)
    config = state.config
    return Visit(
        (clinic_name or config.get("clinic.name") or "").strip() or None,
        (clinic_phone or config.get("clinic.phone") or "").strip() or None,
        config.get("clinic.address"),
        day,
        time,
    )


def _export_target(output: str, force: bool, example: str) -> str:
    """The file `export -o` writes: refused when it is not a regular file (a device, a pipe, a
    folder, or a link to one of them, even with --force: replacing /dev/null with a handout is
    never meant); a link to a regular file is followed, so --force replaces the file and keeps
    the link; a link that points nowhere counts as existing."""
    import os
    import stat

    path = os.path.abspath(output)
    try:
        info = os.lstat(path)
    except OSError:
        return path  # nothing there (or an unreachable folder: the write says why)
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except OSError:
            if not force:
                usage(f"{output} is a link to nothing; add --force to replace it.", example)
            return path  # the link itself is replaced
        path = os.path.realpath(path)
    if stat.S_ISDIR(info.st_mode):
        usage(f"{output} is a folder; name a file to write.", example)
    if not stat.S_ISREG(info.st_mode):
        usage(
            f"{output} is not a regular file (a device or a pipe?); painref writes only files. "
            "To print the document, leave out -o.",
            example,
        )
    if not force:
        usage(f"{output} already exists; add --force to replace it.", f"{example} --force")
    return path
