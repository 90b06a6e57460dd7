"""Errors the library raises; the CLI maps each to an exit code and a message."""

from typing import NamedTuple

EXIT_OK = 0
EXIT_NOT_FOUND = 1  # a query or name matched nothing
EXIT_USAGE = 2  # bad arguments, or a dataset that does not validate
EXIT_OUTPUT = 3  # the output could not be written (stdout closed or full, a full disk)
EXIT_BUG = 70  # painref itself failed (BSD's EX_SOFTWARE): a bug to report, never a traceback


class Problem(NamedTuple):
    """One thing wrong with a dataset file, located as precisely as the loader could.

    (Named tuples, like the search results, rather than dataclasses: the `dataclasses` module
    imports `inspect`, about 10 ms of every start-up.)
    """

    file: str
    line: int | None
    path: str  # field path such as procedures[3].contraindications.absolute
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PainrefError(Exception):
    """Base class for the errors painref reports to a user."""


class DatasetError(PainrefError):
    """A dataset file could not be read or does not follow the schema."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the dataset")


class ConfigError(PainrefError):
    """The config file exists and cannot be used: every problem, each with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the config file")


class StoreDamaged(PainrefError):
    """A row read back from the compiled store is not what painref wrote (the store rebuilds
    itself once; this is raised when that did not help)."""


class CommandExit(Exception):
    """A command has finished with this exit code (its message, if any, is already printed).

    The command bodies raise this instead of a CLI framework's exit, so they run the same under
    Typer and under the fast launcher that never imports Typer.
    """

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code
