"""The config file: where it is found, what each setting does, and how a broken one is refused."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from painref.cli.commands.common import State
from painref.store import config, paths

from .conftest import Invoke, dump_dataset, make_entry, run_entry, run_typer

WriteConfig = Callable[[str], dict[str, str]]


@pytest.fixture
def write_config(tmp_path: Path) -> WriteConfig:
    """Write a config file; the environment that makes painref read it."""

    def write(text: str) -> dict[str, str]:
        path = tmp_path / "config.toml"
        path.write_text(text, "utf-8")
        return {"PAINREF_CONFIG": str(path)}

    return write


def _overlay(folder: Path, file_name: str, **entry: object) -> Path:
    path = folder / file_name
    path.write_text(dump_dataset([make_entry(**entry)]), "utf-8")
    return path


# --- where the file is ------------------------------------------------------------------------


def test_the_config_file_is_in_the_platforms_config_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PAINREF_CONFIG")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(paths.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert paths.config_file() == str(tmp_path / "xdg" / "painref" / "config.toml")
    for ignored in ("", "relative/config"):  # the XDG spec: a relative path is ignored
        monkeypatch.setenv("XDG_CONFIG_HOME", ignored)
        assert paths.config_file() == str(tmp_path / ".config" / "painref" / "config.toml")
    monkeypatch.setattr(paths.sys, "platform", "darwin")
    mac = tmp_path / "Library" / "Application Support" / "painref" / "config.toml"
    assert paths.config_file() == str(mac)
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert paths.config_file() == os.path.join(tmp_path, "Roaming", "painref", "config.toml")


def test_painref_config_names_another_file_and_empty_means_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, invoke: Invoke
) -> None:
    monkeypatch.setenv("PAINREF_CONFIG", str(tmp_path / "clinic.toml"))
    assert paths.config_file() == str(tmp_path / "clinic.toml")
    monkeypatch.setenv("PAINREF_CONFIG", "")
    assert paths.config_file() is None
    # A broken file where painref would look is not read when PAINREF_CONFIG is empty.
    monkeypatch.delenv("PAINREF_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "painref").mkdir()
    (tmp_path / "painref" / "config.toml").write_text("this is not toml\n")
    assert invoke("show", "tfesi").exit_code == 2
    disabled = invoke("show", "tfesi", env={"PAINREF_CONFIG": ""})
    assert disabled.exit_code == 0, disabled.stderr
    shown = invoke("config", env={"PAINREF_CONFIG": ""})
    assert "Config file: none (PAINREF_CONFIG is set empty)" in shown.stdout


def test_without_a_config_file_painref_runs_on_its_defaults(tmp_path: Path, invoke: Invoke) -> None:
    env = {"PAINREF_CONFIG": str(tmp_path / "none.toml")}
    assert invoke("show", "tfesi", env=env).exit_code == 0
    result = invoke("config", env=env)
    assert result.exit_code == 0
    assert f"Config file: {tmp_path / 'none.toml'} (not there" in result.stdout
    assert "painref config --init" in result.stdout
    assert re.search(r"handout\.audience +patient +default", result.stdout)
    assert re.search(r"clinic\.phone +- +not set", result.stdout)


def test_reading_no_config_file_costs_no_toml_parser(tmp_path: Path) -> None:
    """A bare `painref show` stays cheap: tomllib (and nothing heavy) is loaded only when needed."""
    script = (
        "import sys\n"
        "from painref.cli import launch\n"
        "try:\n    launch.main(['show', 'tfesi'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('tomllib', 'typer', 'weasyprint', 'markdown_it', 'prompt_toolkit')\n"
        "sys.stderr.write(','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PAINREF_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    (tmp_path / "none.toml").write_text('[clinic]\nname = "X"\n')
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stderr == "tomllib"


# --- what it shows ------------------------------------------------------------------------------


def test_painref_config_shows_each_value_and_where_it_came_from(
    write_config: WriteConfig, tmp_path: Path, invoke: Invoke
) -> None:
    overlay = _overlay(tmp_path, "local.yaml", id="local-block")
    env = write_config(
        "# our clinic\n"
        "[data]\n"
        'overlays = ["local.yaml"]\n'
        "\n"
        "[clinic]\n"
        'name = "Riverside Pain Clinic"\n'
        'phone = "555-0100"\n'
        "[display]\n"
        "pager = false\n"
    )
    result = invoke("config", env=env)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"Config file: {tmp_path / 'config.toml'}\n" in out
    assert re.search(rf"data\.overlays +{re.escape(str(overlay))} +config file, line 3", out)
    assert re.search(r"clinic\.name +Riverside Pain Clinic +config file, line 6", out)
    assert re.search(r"clinic\.phone +555-0100 +config file, line 7", out)
    assert re.search(r"display\.pager +false \(never\) +config file, line 9", out)
    assert re.search(r"display\.color +auto +default", out)
    assert re.search(rf"{re.escape(str(overlay))} +config file, data\.overlays", out)
    data = json.loads(invoke("config", "--json", env=env).stdout)
    assert data["file"] == str(tmp_path / "config.toml") and data["found"] is True
    assert data["settings"]["clinic.phone"] == {"value": "555-0100", "from": "config file",
                                                "line": 7}  # fmt: skip
    assert data["settings"]["clinic.address"] == {"value": None, "from": "not set", "line": None}
    assert data["settings"]["display.pager"]["value"] is False
    assert {"path": str(overlay), "from": "config file, data.overlays"} in data["data_files"]


def test_options_and_the_environment_show_as_their_origin(
    write_config: WriteConfig, invoke: Invoke
) -> None:
    env = write_config('[display]\ncolor = "always"\n')
    assert re.search(
        r"display\.color +always +config file, line 2", invoke("config", env=env).stdout
    )
    overridden = invoke("--color", "never", "config", env=env).stdout
    assert re.search(r"display\.color +never +command line", overridden)
    paged = invoke("config", env={**env, "PAGER": "most"}).stdout
    assert re.search(r"display\.pager +most +PAGER", paged)
    assert re.search(
        r"display\.pager +false \(never\) +--no-pager", invoke("--no-pager", "config").stdout
    )


# --- each value applied -------------------------------------------------------------------------


def test_config_overlays_apply_after_painref_data_and_before_data(
    write_config: WriteConfig, tmp_path: Path, invoke: Invoke
) -> None:
    from_env = _overlay(tmp_path, "env.yaml", id="local-block", name="From the environment")
    _overlay(tmp_path, "configured.yaml", id="local-block", name="From the config file")
    from_option = _overlay(tmp_path, "option.yaml", id="local-block", name="From the option")
    env = {
        **write_config('[data]\noverlays = ["configured.yaml"]\n'),
        "PAINREF_DATA": str(from_env),
    }

    def name(*args: str) -> str:
        result = invoke(*args, "show", "local-block", "--json", env=env)
        assert result.exit_code == 0, result.stderr
        return str(json.loads(result.stdout)["name"])

    assert name() == "From the config file"
    assert name("--data", str(from_option)) == "From the option"
    env["PAINREF_CONFIG"] = ""
    assert name() == "From the environment"


def test_every_yaml_file_in_the_overlay_folder_applies_in_name_order(
    write_config: WriteConfig, tmp_path: Path, invoke: Invoke
) -> None:
    folder = tmp_path / "local"
    folder.mkdir()
    _overlay(folder, "20-later.yaml", id="local-block", name="Later wins")
    _overlay(folder, "10-first.yaml", id="local-block", name="First")
    _overlay(folder, "10-other.yaml", id="other-block", name="Other")
    (folder / "notes.txt").write_text("not an overlay")
    (folder / ".20-later.yaml.swp").write_text("an editor's swap file")
    (folder / "sub.yaml").mkdir()  # a folder named like a file is not read
    env = write_config('[data]\nfolder = "local"\n')
    data = json.loads(invoke("config", "--json", env=env).stdout)
    assert [f["path"] for f in data["data_files"] if "folder" in f["from"]] == [
        str(folder / name) for name in ("10-first.yaml", "10-other.yaml", "20-later.yaml")
    ]
    shown = json.loads(invoke("show", "local-block", "--json", env=env).stdout)
    assert shown["name"] == "Later wins"
    assert invoke("show", "other-block", env=env).exit_code == 0
    assert invoke("for", "sciatica", env=env).exit_code == 0


def test_a_broken_file_in_the_overlay_folder_is_refused_like_data(
    write_config: WriteConfig, tmp_path: Path, invoke: Invoke
) -> None:
    folder = tmp_path / "local"
    folder.mkdir()
    broken = _overlay(folder, "bad.yaml", summary=None)
    env = write_config(f'[data]\nfolder = "{folder}"\n')
    for run in (run_entry, run_typer):
        result = run("show", "tfesi", env=env)
        assert result.exit_code == 2
        assert (
            f"{broken}:" in result.stderr and "summary: required field is missing" in result.stderr
        )
    checked = invoke("validate", env=env)
    assert checked.exit_code == 2 and f"{broken}:" in checked.stdout


def test_a_missing_overlay_or_folder_is_an_error_at_its_line(
    write_config: WriteConfig, tmp_path: Path, invoke: Invoke
) -> None:
    env = write_config('[data]\noverlays = ["gone.yaml"]\nfolder = "~/no-such-painref-folder"\n')
    result = invoke("list", env=env)
    assert result.exit_code == 2
    config_path = tmp_path / "config.toml"
    assert f"{config_path}:2: data.overlays: no file {tmp_path / 'gone.yaml'}" in result.stderr
    home = os.path.expanduser("~")
    assert f"{config_path}:3: data.folder: {home}/no-such-painref-folder: no such folder" in (
        result.stderr
    )


def test_the_clinic_and_the_audience_apply_to_handouts(
    write_config: WriteConfig, invoke: Invoke
) -> None:
    env = write_config(
        '[clinic]\nname = "Riverside Pain Clinic"\nphone = "555-0100"\n'
        'address = "12 River Road"\n[handout]\naudience = "clinician"\n'
    )
    clinician = invoke("export", "mbb", env=env).stdout
    assert "*Clinician summary*" in clinician and "Riverside" not in clinician
    patient = invoke("export", "mbb", "--for", "patient", env=env).stdout
    assert "- **Clinic:** Riverside Pain Clinic" in patient
    assert "- **Phone:** 555-0100" in patient and "- **Address:** 12 River Road" in patient
    assert "## Call your care team at 555-0100, or get emergency care, if" in patient
    chosen = invoke(
        "export", "mbb", "--for", "patient", "--clinic-name", "Hill Clinic", "--clinic-phone",
        "555-0199", env=env,
    ).stdout  # fmt: skip
    assert "- **Clinic:** Hill Clinic" in chosen and "555-0100" not in chosen


def test_the_colour_setting_applies_and_options_override_it(
    write_config: WriteConfig, invoke: Invoke
) -> None:
    env = {**write_config('[display]\ncolor = "always"\n'), "NO_COLOR": ""}
    assert "\x1b[" in invoke("show", "tfesi", env=env).stdout
    assert "\x1b[" not in invoke("--color", "never", "show", "tfesi", env=env).stdout
    assert "\x1b[" not in invoke("show", "tfesi", "--no-color", env=env).stdout


def test_the_pager_setting_reaches_the_state() -> None:
    def state(text: str, **options: object) -> State:
        settings = config.Config("x.toml", True, {"display.pager": config.Setting(text, 1)})
        return State(config=settings, **options)  # type: ignore[arg-type]

    assert state("most").pager == "most" and not state("most").no_pager
    assert state(False).no_pager  # type: ignore[arg-type]
    assert state("most", no_pager=True).no_pager
    assert State().pager is None and not State().no_pager


# --- broken files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[clinic]\nname = "Riverside\n', ":2: not valid TOML: Illegal character"),
        ("[clinic]\nname = Riverside\n", ":2: not valid TOML: Invalid value (column 8)"),
        ('[clinic]\nname = "a"\n[clinic]\n', ":3: not valid TOML: Cannot declare"),
        ("[clinic]\nphone = 5550100\n", ":2: clinic.phone: must be non-empty text in quotes"),
        ('[clinic]\nfax = "555"\n', ":2: clinic.fax: unknown setting; [clinic] has name, phone"),
        ('color = "never"\n', ":1: color: unknown setting; did you mean display.color?"),
        ('[display]\ncolor = "sometimes"\n', ":2: display.color: must be one of 'auto'"),
        ("[display]\npager = true\n", ":2: display.pager: must be a command in quotes"),
        ('[handout]\naudience = "nurse"\n', ":2: handout.audience: must be one of 'patient'"),
        ('[data]\noverlays = "one.yaml"\n', ":2: data.overlays: must be a list of file paths"),
        ('clinic.name = 3\n', ":1: clinic.name: must be non-empty text"),
        ('[fonts]\nsize = 3\n', ":1: fonts: unknown setting; the tables are [data], [clinic]"),
        ("data = 3\n", ":1: data: must be a table"),
        ("\n\n[clinic\n", ":3: not valid TOML"),
        ("[clinic]\nname = ", ":2: not valid TOML: Invalid value (at the end of the file)"),
        (b"[clinic]\nname = '\xff'\n", ": not UTF-8 text"),
    ],
)  # fmt: skip
def test_a_broken_config_file_is_an_error_naming_its_line(
    tmp_path: Path, text: str | bytes, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    for run in (run_entry, run_typer):
        result = run("show", "tfesi", env={"PAINREF_CONFIG": str(path)})
        assert result.exit_code == 2
        assert result.stdout == ""
        assert f"{path}{expected}" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert "PAINREF_CONFIG=" in result.stderr  # how to run without it


def test_every_problem_is_reported_at_once(write_config: WriteConfig, invoke: Invoke) -> None:
    env = write_config('[clinic]\nphone = 1\nfax = "x"\n[display]\ncolor = "pink"\n')
    result = invoke("config", env=env)
    assert result.exit_code == 2
    assert "has 3 problem(s)" in result.stderr
    assert [line.split(":")[1] for line in result.stderr.splitlines()[1:4]] == ["2", "3", "5"]


def test_a_config_that_is_not_a_file_is_refused(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("list", env={"PAINREF_CONFIG": str(tmp_path)})
    assert result.exit_code == 2 and f"{tmp_path}: is not a regular file" in result.stderr


# --- --init -------------------------------------------------------------------------------------


def test_init_writes_a_commented_starter_and_never_overwrites(
    tmp_path: Path, invoke: Invoke
) -> None:
    path = tmp_path / "new" / "painref" / "config.toml"
    env = {"PAINREF_CONFIG": str(path)}
    result = invoke("config", "--init", env=env)
    assert result.exit_code == 0, result.stderr
    assert f"Wrote a starter config file: {path}" in result.stdout
    starter = path.read_text("utf-8")
    assert tomllib.loads(starter) == {"data": {}, "clinic": {}, "handout": {}, "display": {}}
    assert invoke("show", "tfesi", env=env).exit_code == 0  # changes nothing until edited
    # Every commented setting is a real one, and its example value is accepted.
    settings = re.findall(r"(?m)^# (\w+) = (.+)$", starter)
    tables = re.findall(r"(?m)^\[(\w+)\]$", starter)
    assert len(settings) == len(config.SETTINGS) and tables == list(config.TABLES)
    uncommented = re.sub(r"(?m)^# (\w+ = )", r"\1", starter)
    document = tomllib.loads(uncommented)
    for table, values in document.items():
        for key, value in values.items():
            assert config.SETTINGS[f"{table}.{key}"](value)[1] is None, (table, key)
    path.write_text("# my own settings\n")
    again = invoke("config", "--init", env=env)
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "never replaces it" in again.stderr
    assert path.read_text() == "# my own settings\n"


def test_init_with_no_config_file_in_use_says_why(invoke: Invoke) -> None:
    result = invoke("config", "--init", env={"PAINREF_CONFIG": ""})
    assert result.exit_code == 2 and "PAINREF_CONFIG is set empty" in result.stderr


def test_init_writes_where_painref_will_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, invoke: Invoke
) -> None:
    monkeypatch.delenv("PAINREF_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(paths.sys, "platform", "linux")
    assert invoke("config", "--init").exit_code == 0
    assert (tmp_path / "painref" / "config.toml").is_file()
    assert f"Config file: {tmp_path / 'painref' / 'config.toml'}\n" in invoke("config").stdout
