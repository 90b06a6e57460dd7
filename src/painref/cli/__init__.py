"""The command line: what each command does (`commands`), its Typer declarations (`app`) and the
console-script entry point (`launch`). Nothing below this package imports it."""
