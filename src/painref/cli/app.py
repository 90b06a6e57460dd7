"""The Typer application, built from the command table (`table.py`).

Used for help, shell completion and usage errors (see `launch.py`); every command it runs goes
through `commands.dispatch`, exactly as the direct path does. Global options are accepted before
the command (on the application) and after it (on each command), as git and most CLIs allow.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import __version__
from . import commands
from .table import COMMANDS, GLOBAL_OPTIONS, HELP_FLAGS, VERSION_FLAGS, Argument, Command, Option

_TYPES: dict[str, Any] = {
    "flag": bool,
    "text": str | None,
    "texts": list[str] | None,
    "int": int,
    "float": float | None,
}


def _completer(what: str | None) -> Callable[[str], list[str]] | None:
    if what is None:
        return None
    return lambda incomplete: commands.complete(what, incomplete)


def _option_parameter(option: Option) -> inspect.Parameter:
    annotation = Annotated[  # built at run time, for Typer to read
        _TYPES[option.kind],  # type: ignore[valid-type,name-defined]
        typer.Option(
            *option.flags,
            help=option.help,
            metavar=option.metavar,
            autocompletion=_completer(option.complete or _choices_kind(option)),
            show_default=option.kind not in ("flag", "texts") and option.default is not None,
        ),
    ]
    default = None if option.kind == "texts" else option.default
    return inspect.Parameter(
        option.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _choices_kind(option: Option) -> str | None:
    return f"choice:{option.name}" if option.choices else None


def _argument_parameter(argument: Argument) -> inspect.Parameter:
    kind = Path if argument.name == "files" else str
    annotation = Annotated[
        list[kind] | None,  # type: ignore[valid-type]
        typer.Argument(
            help=argument.help, autocompletion=_completer(argument.complete), show_default=False
        ),
    ]
    return inspect.Parameter(
        argument.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
    )


def _version(value: bool) -> None:
    if value:
        commands.print_version()
        raise typer.Exit()


def _command_function(spec: Command) -> Callable[..., None]:
    own = {option.name for option in spec.options}
    global_names = {option.name for option in GLOBAL_OPTIONS}

    def run(ctx: typer.Context, **given: Any) -> None:
        global_values = dict(ctx.obj or {})
        for name in global_names:  # a global option given after the command wins
            if name in given and given[name] not in (None, False, []):
                global_values[name] = given[name]
        values = {name: given[name] for name in own}
        if spec.argument is not None:
            values[spec.argument.name] = [str(w) for w in given.get(spec.argument.name) or []]
        for option in spec.options:
            if option.kind == "texts":
                values[option.name] = list(values[option.name] or [])
            elif option.choices and isinstance(values[option.name], str):
                values[option.name] = values[option.name].lower()
        code = commands.dispatch(spec.name, global_values, values)
        if code:
            raise typer.Exit(code)

    parameters = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    if spec.argument is not None:
        parameters.append(_argument_parameter(spec.argument))
    parameters += [_option_parameter(o) for o in (*spec.options, *GLOBAL_OPTIONS)]
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__doc__ = spec.help + "\n\nExamples:\n\n" + "\n\n".join(f"  {e}" for e in spec.examples)
    return run


def build() -> typer.Typer:
    """The Typer application for every command in the table."""
    app = typer.Typer(
        name="painref",
        help="Offline reference for interventional pain procedures. Not medical advice.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": list(HELP_FLAGS)},
    )

    def callback(ctx: typer.Context, **given: Any) -> None:
        given.pop("version", None)
        given["data"] = [str(p) for p in given.get("data") or []]
        if isinstance(given.get("color"), str):
            given["color"] = given["color"].lower()
        ctx.obj = given

    parameters = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    parameters += [_option_parameter(o) for o in GLOBAL_OPTIONS]
    parameters.append(
        inspect.Parameter(
            "version",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[
                bool,
                typer.Option(
                    *VERSION_FLAGS,
                    callback=_version,
                    is_eager=True,
                    help="Show the version and exit.",
                ),
            ],
        )
    )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__doc__ = (
        f"painref {__version__}: an offline reference for interventional pain "
        "procedures. Reference only, not medical advice."
    )
    app.callback()(callback)
    for spec in COMMANDS:
        app.command(spec.name)(_command_function(spec))
    return app
