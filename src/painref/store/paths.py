"""Where painref's files live: the bundled data, overlays and the user cache folder.

Kept apart from `dataset.py` so that finding a file never imports the YAML parser, and written
with `os.path` strings because importing pathlib costs several milliseconds of a start-up that
the common commands are meant to finish in well under a tenth of a second.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from os import PathLike

BUNDLED_NAME = "procedures.yaml"
CACHE_ENV = "PAINREF_CACHE_DIR"
DATA_ENV = "PAINREF_DATA"  # overlay files, separated by os.pathsep
CONFIG_ENV = "PAINREF_CONFIG"  # another config file; set empty, none is read


def bundled_file(name: str) -> str:
    """A data file shipped with painref: inside the wheel, or at the top of a source checkout."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # painref/
    packaged = os.path.join(package, "data", name)
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(package)), "data", name)


def bundled_path() -> str:
    """The procedures dataset shipped with painref."""
    return bundled_file(BUNDLED_NAME)


BUNDLED = ("procedures.yaml", "anticoagulants.yaml", "conditions.yaml", "lexicon.yaml")


def bundled_paths() -> list[str]:
    """Every data file shipped with painref, in the order they are read."""
    return [bundled_file(name) for name in BUNDLED]


def is_bundled(path: str) -> bool:
    """Whether a file is one of those shipped with painref."""
    return os.path.dirname(os.path.realpath(path)) == os.path.dirname(bundled_path())


def overlay_paths(
    cli_paths: Sequence[str | PathLike[str]] = (),
    env: str | None = None,
    configured: Sequence[str] = (),
) -> list[str]:
    """Overlay files in the order they apply: PAINREF_DATA entries first, then those the config
    file names (its files, then its folder's), then --data options."""
    return [*env_overlays(env), *configured, *(os.fspath(p) for p in cli_paths)]


def env_overlays(env: str | None) -> list[str]:
    """The files PAINREF_DATA names."""
    return [p for p in (env or "").split(os.pathsep) if p.strip()]


def config_file() -> str | None:
    """The user's config file (it may not exist), or None when PAINREF_CONFIG is set empty.

    PAINREF_CONFIG names another file. Otherwise: `$XDG_CONFIG_HOME/painref/config.toml`
    (`~/.config` when XDG_CONFIG_HOME is unset, empty or relative, which the XDG spec says to
    ignore); `~/Library/Application Support/painref/config.toml` on macOS;
    `%APPDATA%\\painref\\config.toml` on Windows.
    """
    override = os.environ.get(CONFIG_ENV)
    if override is not None:
        return os.path.expanduser(override) if override.strip() else None
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "painref", "config.toml")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or os.path.join(home, "AppData", "Roaming")
        return os.path.join(base, "painref", "config.toml")
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(home, ".config")
    return os.path.join(base, "painref", "config.toml")


def cache_dir() -> str | None:
    """The platform's user cache folder for painref, or None when caching is switched off.

    PAINREF_CACHE_DIR overrides it; set to an empty string it switches the cache off.
    """
    override = os.environ.get(CACHE_ENV)
    if override is not None:
        return override if override.strip() else None
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "painref")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "painref", "Cache")
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(home, ".cache")
    return os.path.join(base, "painref")
