"""The interactive search (no query, on a terminal): ask, show the results, open one."""

from __future__ import annotations

import pytest

from .conftest import Invoke


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("painref.cli.commands.procedures.interactive", lambda: True)


def test_a_chosen_result_is_opened(invoke: Invoke) -> None:
    result = invoke("search", input="nerve block\n2\n")
    assert result.exit_code == 0
    assert "Results for 'nerve block'" in result.stdout
    assert "Open result number 1-10" in result.stdout
    assert "\nIndications\n" in result.stdout  # the full view of the second result


def test_a_single_result_opens_directly(invoke: Invoke) -> None:
    result = invoke("search", input="TFESI\n")
    assert result.exit_code == 0
    assert "Results for" not in result.stdout and "Open result number" not in result.stdout
    assert "Transforaminal epidural steroid injection" in result.stdout
    assert "\nIndications\n" in result.stdout


@pytest.mark.parametrize("answers", ["\n", "", "nerve block\n\n", "nerve block\n"])
def test_enter_or_end_of_input_ends_quietly(invoke: Invoke, answers: str) -> None:
    result = invoke("search", input=answers)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "\nIndications\n" not in result.stdout


def test_a_number_out_of_range_asks_again(invoke: Invoke) -> None:
    result = invoke("search", input="nerve block\n42\nzero\n1\n")
    assert result.exit_code == 0
    assert result.stdout.count("Open result number") == 3
    assert "'42' is not a result number between 1 and 10; try again." in result.stderr
    assert "'zero' is not a result number" in result.stderr
    assert "\nIndications\n" in result.stdout


def test_nothing_found_exits_1_with_suggestions(invoke: Invoke) -> None:
    result = invoke("search", input="qqqqzzzz\n")
    assert result.exit_code == 1
    assert "No procedure matches 'qqqqzzzz'" in result.stderr
