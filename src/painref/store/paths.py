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


def display_name(path: str | PathLike[str]) -> str:
    """A path as painref names it in messages, in the store and in JSON: undecodable bytes
    (kept by Python as lone surrogates) shown as `\\xff`, so no encoder ever raises on it."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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

    PAINREF_CACHE_DIR overrides it; set to an empty string it switches the cache off. Without a
    home folder that is an absolute path there is no cache (the store is built in memory): an
    empty HOME must not put it in `/.cache`, nor a relative one under the current folder. A
    relative XDG_CACHE_HOME is ignored, as the XDG Base Directory spec says.
    """
    override = os.environ.get(CACHE_ENV)
    if override is not None:
        return override if override.strip() else None
    home = _home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "")
        if os.path.isabs(local):
            return os.path.join(local, "painref", "Cache")
        return os.path.join(home, "AppData", "Local", "painref", "Cache") if home else None
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "painref") if home else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if os.path.isabs(base):
        return os.path.join(base, "painref")
    return os.path.join(home, ".cache", "painref") if home else None


def _home() -> str | None:
    """The user's home folder: HOME if it is an absolute path, else the account's own."""
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return home
    if sys.platform == "win32":
        home = os.path.expanduser("~")
    else:
        try:
            import pwd

            home = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError, OSError):
            return None
    return home if os.path.isabs(home) else None
