"""Fact-base records stored as JSON, decoded one at a time on demand.

The persistent index keeps every source, entity and fact as a JSON document in one
blob (a format that cannot run code, unlike a pickle). A record is decoded only when
something reads it, and then kept, so a process that answers questions about a few
thousand facts never builds the other hundred thousand. Records were validated when
the index was built, so decoding sets their fields directly; every field of every
record type round-trips, because encoding walks the dataclass fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

from bot.dates import DateSpan
from bot.knowledge import Amount, Entity, Fact, Quote, Role, Source

T = TypeVar("T")
_TYPES: dict[str, type] = {
    c.__name__: c for c in (Source, Role, Entity, Amount, Quote, Fact, DateSpan)
}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(c)) for name, c in _TYPES.items()}


def encode(value: Any) -> Any:
    """A JSON-ready form of a record: dataclasses tagged with their type, dates as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        return {"$": name, **{f: encode(getattr(value, f)) for f in _FIELDS[name]}}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def decode(value: Any) -> Any:
    """The record `encode` was given."""
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    cls = _TYPES[value["$"]]
    record = cls.__new__(cls)
    for name in _FIELDS[value["$"]]:
        object.__setattr__(record, name, decode(value[name]))
    return record


def to_blob(records: Sequence[Any]) -> tuple[bytes, list[int]]:
    """The records as concatenated UTF-8 JSON documents and their start offsets (plus the end)."""
    parts = [json.dumps(encode(r), ensure_ascii=False).encode() for r in records]
    offsets = [0]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join(parts), offsets


class LazyRecords(Sequence[T], Generic[T]):
    """A read-only sequence over a blob of JSON records, each decoded on first access."""

    def __init__(self, blob: memoryview | bytes, offsets: Sequence[int]) -> None:
        self._blob = blob
        self._offsets = offsets
        self._decoded: list[T | None] = [None] * (len(offsets) - 1)

    def __len__(self) -> int:
        return len(self._decoded)

    @overload
    def __getitem__(self, n: int) -> T: ...
    @overload
    def __getitem__(self, n: slice) -> list[T]: ...
    def __getitem__(self, n: int | slice) -> T | list[T]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        record = self._decoded[n]
        if record is None:
            if n < 0:
                n += len(self)
            raw = bytes(self._blob[self._offsets[n] : self._offsets[n + 1]])
            record = self._decoded[n] = decode(json.loads(raw))
        return record

    def __iter__(self) -> Iterator[T]:
        return (self[n] for n in range(len(self)))


class LazyMapping(Mapping[str, T], Generic[T]):
    """Records by id over a `LazyRecords`; a record is decoded when it is looked up."""

    def __init__(self, ids: Sequence[str], records: LazyRecords[T]) -> None:
        self._ids = ids
        self._records = records
        self._where: dict[str, int] | None = None

    def _positions(self) -> dict[str, int]:
        if self._where is None:
            self._where = {ident: n for n, ident in enumerate(self._ids)}
        return self._where

    def __getitem__(self, ident: str) -> T:
        return self._records[self._positions()[ident]]

    def __contains__(self, ident: object) -> bool:
        return ident in self._positions()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
