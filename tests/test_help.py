"""Every command and option explains itself in --help."""

from __future__ import annotations

import pytest
import typer

from painref.cli.app import build
from painref.cli.commands import complete

from .conftest import Invoke

COMMAND = typer.main.get_command(build())
SUBCOMMANDS = sorted(COMMAND.commands)  # type: ignore[attr-defined]


def test_the_documented_commands_exist() -> None:
    assert {"search", "show", "compare", "list", "validate"} <= set(SUBCOMMANDS)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_command_and_parameter_has_help(name: str) -> None:
    command = COMMAND.commands[name]  # type: ignore[attr-defined]
    assert command.help, f"{name} has no help text"
    for param in command.params:
        assert getattr(param, "help", None), f"{name} {param.name} has no help text"


def test_help_runs_for_every_command(invoke: Invoke) -> None:
    for name in SUBCOMMANDS:
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage" in result.stdout


def test_completion_offers_procedure_ids() -> None:
    assert "transforaminal-esi" in complete("procedures", "trans")
    assert all(i.startswith("genicular") for i in complete("procedures", "genicular"))
