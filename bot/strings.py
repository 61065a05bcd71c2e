"""Large string tables that are looked up without being loaded.

A fact base of 100,000 facts has hundreds of thousands of distinct words, terms and
names. Decoding them all into Python strings and dictionaries at start-up costs most
of a second and a few hundred megabytes; a question looks up a few dozen. So the
stored index keeps each table as one UTF-8 blob in sorted order, with offsets, and
finds a string by binary search (about twenty comparisons, a few microseconds).
`Strings` is the same interface over an ordinary list, for an index just built.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import overload

Ints = Sequence[int]


class Strings(Sequence[str]):
    """Strings by id, held as a list, found through a dictionary built on first use."""

    def __init__(self, items: Sequence[str]) -> None:
        self.items = items

    @cached_property
    def _ids(self) -> dict[str, int]:
        return dict(zip(self.items, range(len(self.items)), strict=True))

    def find(self, text: str) -> int | None:
        """The id of `text`, or None."""
        return self._ids.get(text)

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, n: int) -> str: ...
    @overload
    def __getitem__(self, n: slice) -> Sequence[str]: ...
    def __getitem__(self, n: int | slice) -> str | Sequence[str]:
        return self.items[n]

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)


def pack(items: Sequence[str]) -> tuple[bytes, array[int], array[int], array[int]]:
    """The stored form of `items`: the sorted strings' UTF-8 blob and offsets, the id at
    each sorted position and the sorted position of each id."""
    order = sorted(range(len(items)), key=items.__getitem__)
    encoded = [items[i].encode() for i in order]
    offsets = array("Q", [0])
    for part in encoded:
        offsets.append(offsets[-1] + len(part))
    positions = array("I", [0] * len(items))
    for position, ident in enumerate(order):
        positions[ident] = position
    return b"".join(encoded), offsets, array("I", order), positions


class StringTable(Sequence[str]):
    """Strings by id over a packed, sorted blob (see `pack`); nothing decoded up front."""

    def __init__(self, blob: memoryview, offsets: Ints, ids: Ints, positions: Ints) -> None:
        self.blob = blob
        self.offsets = offsets
        self.ids = ids  # sorted position -> id
        self.positions = positions  # id -> sorted position

    def _at(self, position: int) -> str:
        return str(self.blob[self.offsets[position] : self.offsets[position + 1]], "utf-8")

    def find(self, text: str) -> int | None:
        """The id of `text`, or None."""
        position = bisect_left(range(len(self.ids)), text, key=self._at)
        if position < len(self.ids) and self._at(position) == text:
            return self.ids[position]
        return None

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, n: int) -> str: ...
    @overload
    def __getitem__(self, n: slice) -> Sequence[str]: ...
    def __getitem__(self, n: int | slice) -> str | Sequence[str]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        return self._at(self.positions[n])

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))
