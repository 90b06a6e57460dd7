"""Many strings or byte blobs kept as one, for the parse cache and the search tables.

Unmarshalling a list of 35,000 strings or a dict of 20,000 keys costs milliseconds on every run,
while a query needs a handful of them. Joined into one string with an array of end offsets, the
same data loads as two objects and each item is sliced out when it is asked for; a sorted map
of such keys is searched by bisection without ever building a dict.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

Piece = TypeVar("Piece", str, bytes)


def ends_of(lengths: Iterable[int]) -> bytes:
    """Where each piece of a joined string or blob ends, as packed unsigned ints."""
    return array("I", accumulate(lengths)).tobytes()


class Joined(Generic[Piece]):
    """Pieces joined into one string (or bytes), sliced out on use; a read-only sequence."""

    __slots__ = ("_ends", "joined")

    def __init__(self, joined: Piece, ends: bytes) -> None:
        self.joined: Piece = joined
        self._ends = array("I", ends)

    @classmethod
    def of(cls, pieces: Sequence[Piece], empty: Piece) -> Joined[Piece]:
        return cls(empty.join(pieces), ends_of(len(piece) for piece in pieces))

    def packed(self) -> tuple[Piece, bytes]:
        """The two plain values marshal stores; `Joined(*packed)` brings them back."""
        return self.joined, self._ends.tobytes()

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, position: int) -> Piece:
        if not 0 <= position < len(self._ends):
            raise IndexError(position)
        start = self._ends[position - 1] if position else 0
        return self.joined[start : self._ends[position]]

    def __iter__(self) -> Iterator[Piece]:
        start = 0
        for end in self._ends:
            yield self.joined[start:end]
            start = end


class SortedMap:
    """Text keys to byte values, looked up by bisection over sorted, joined keys."""

    __slots__ = ("keys", "values")

    def __init__(self, keys: Joined[str], values: Joined[bytes]) -> None:
        self.keys = keys  # sorted
        self.values = values  # values[i] belongs to keys[i]

    @classmethod
    def of(cls, mapping: dict[str, bytes]) -> SortedMap:
        ordered = sorted(mapping)
        return cls(Joined.of(ordered, ""), Joined.of([mapping[key] for key in ordered], b""))

    def packed(self) -> tuple[tuple[str, bytes], tuple[bytes, bytes]]:
        return self.keys.packed(), self.values.packed()

    @classmethod
    def unpacked(cls, packed: tuple[tuple[str, bytes], tuple[bytes, bytes]]) -> SortedMap:
        keys, values = packed
        return cls(Joined(*keys), Joined(*values))

    def first_at_or_after(self, key: str) -> int:
        """Position of the first key >= `key` (len(self) when there is none)."""
        low, high = 0, len(self.keys)
        keys = self.keys
        while low < high:
            middle = (low + high) // 2
            if keys[middle] < key:
                low = middle + 1
            else:
                high = middle
        return low

    def get(self, key: str) -> bytes | None:
        position = self.first_at_or_after(key)
        if position < len(self.keys) and self.keys[position] == key:
            return self.values[position]
        return None

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self.keys)

    def starting_with(self, prefix: str) -> list[str]:
        """Keys that start with `prefix` and are longer than it, in order."""
        found = []
        position = self.first_at_or_after(prefix)
        keys = self.keys
        while position < len(keys):
            key = keys[position]
            if not key.startswith(prefix):
                break
            if key != prefix:
                found.append(key)
            position += 1
        return found
