"""The one rule for text painref did not write itself, wherever it is shown.

Data files, arguments, file names and environment values are untrusted: an escape sequence in a
procedure's name must be shown, never obeyed, by a terminal, a pager or a document viewer. Every
writer applies `printable` (the console to each piece of a view, the plain, Markdown, HTML and
validate output as a whole; JSON escapes the same characters its own way), so no path can skip
it. `quote` bounds what a message may repeat of a value: a message never carries more than a
few dozen characters of anything read from outside.

Kept at the top of the package, like `errors`, because every layer needs it and it needs nothing.
"""

from __future__ import annotations

import re
from functools import cache

# C0 controls except tab and newline, DEL and the C1 controls (ESC, CSI, OSC ... all start here),
# the line and paragraph separators, the bidirectional overrides and isolates (text that reads in
# another order than it is stored), and lone surrogates: undecodable bytes of a file name or an
# argument, which no encoder accepts.
HIDDEN = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


@cache
def hidden() -> re.Pattern[str]:
    """HIDDEN compiled, on first need (most text is printable and never scanned)."""
    return re.compile(HIDDEN)


QUOTE_LIMIT = 60  # characters of a value a message may repeat


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as Python's surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every hidden character shown as an escape (`\\x1b`, `\\u202e`, `\\xff`).

    Tabs and newlines are kept. Applying it twice changes nothing more.
    """
    # Every hidden character is one Python does not call printable, so text that is printable
    # as a whole (or once its tabs and newlines are set aside) has none, and the scan is skipped.
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return hidden().sub(_shown, text) if hidden().search(text) else text


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message repeats it: quoted, printable and at most about `limit` characters.

    Only text and numbers are repeated; anything else is named by its kind, so a message never
    walks a large structure (YAML aliases can make one that is enormous).
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return printable(repr(value))
        return printable(repr(value[: limit - 1] + "…")) + f" ({len(value):,} characters)"
    if isinstance(value, bool | float) or value is None:
        return repr(value)
    if isinstance(value, int):
        # int -> str is refused past 4,300 digits (and slow long before): say how long it is
        if value.bit_length() > 200:
            return f"a number of about {int(value.bit_length() * 0.30103):,} digits"
        return str(value)
    return f"a {type(value).__name__}"


# --- output that cannot encode a character ------------------------------------------------------

PLAIN_FALLBACK = "painref.plain"  # the codec error handler `register_plain_fallback` adds
# Stand-ins, by code point (written as escapes: many look like ASCII): dots and bullets, dashes,
# ellipsis, quotes, arrows, maths, units, ligatures and letters NFKD cannot take apart, currency,
# ticks, box drawing, spaces and zero-width characters.
# fmt: off
_PLAIN = {
    "\u00b7": "-", "\u2022": "*", "\u25e6": "o", "\u2023": ">", "\u2013": "-", "\u2014": "--",
    "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2026": "...", "\u2018": "'",
    "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2032": "'",
    "\u2033": '"', "\u00ab": "<<", "\u00bb": ">>", "\u2192": "->", "\u2190": "<-", "\u2194": "<->",
    "\u21d2": "=>", "\u2191": "^", "\u2193": "v", "\u2265": ">=", "\u2264": "<=", "\u2260": "!=",
    "\u2248": "~", "\u00b1": "+/-", "\u00d7": "x", "\u00f7": "/", "\u00b0": " deg", "\u00b5": "u",
    "\u03bc": "u", "\u00bd": "1/2", "\u00bc": "1/4", "\u00be": "3/4", "\u2122": "(TM)",
    "\u00ae": "(R)", "\u00a9": "(C)", "\u00a7": "S", "\u2020": "+", "\u2021": "++", "\u00df": "ss",
    "\u00e6": "ae", "\u00c6": "AE", "\u00f8": "o", "\u00d8": "O", "\u0153": "oe", "\u0152": "OE",
    "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D", "\u00fe": "th", "\u00de": "Th",
    "\u20ac": "EUR", "\u00a3": "GBP", "\u2713": "v", "\u2717": "x", "\u2500": "-", "\u2501": "-",
    "\u2502": "|", "\u2503": "|", "\u2550": "=", "\u2551": "|", "\u250c": "+", "\u2510": "+",
    "\u2514": "+", "\u2518": "+", "\u251c": "+", "\u2524": "+", "\u252c": "+", "\u2534": "+",
    "\u253c": "+", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
}
# fmt: on


def plain_character(character: str) -> str:
    """An ASCII stand-in for a character an output's encoding lacks: a bullet becomes '*', an
    accented letter its base letter, an undecodable byte `\\xff`, anything else '?'."""
    found = _PLAIN.get(character)
    if found is not None:
        return found
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF or code < 0x20 or 0x7F <= code <= 0x9F:
        return hidden().sub(_shown, character)
    import unicodedata  # only when an output cannot encode something

    base = "".join(
        c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)
    )
    return base if base.isascii() and base.isprintable() and base else "?"


def _plain_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    stand_in = "".join(plain_character(c) for c in error.object[error.start : error.end])
    return stand_in, error.end


def register_plain_fallback() -> None:
    """Make `errors=PLAIN_FALLBACK` available to text streams (idempotent)."""
    import codecs

    codecs.register_error(PLAIN_FALLBACK, _plain_fallback)
