"""Fact-base records stored as JSON, decoded one at a time on demand.

The persistent index keeps every source, entity and fact as a JSON document in one
blob (a format that cannot run code, unlike a pickle), written in the fact base's own
YAML form: decoding one is pydantic's `validate_json`, in Rust, the very validation
the YAML went through, so every field round-trips. A record is decoded only when
something reads it, and then kept: a process that answers questions about a few
thousand facts never builds the other hundred thousand.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

from pydantic import TypeAdapter

from bot.strings import Strings, StringTable

Lookup = Strings | StringTable

T = TypeVar("T")


def plain(value: Any) -> Any:
    """A record in the form its YAML has: field aliases, dates as text, defaults left out."""
    return _adapter(type(value)).dump_python(
        value, mode="json", by_alias=True, exclude_defaults=True
    )


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(model: Any) -> TypeAdapter[Any]:
    """One pydantic adapter per record type, made on first use."""
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def to_blob(records: Sequence[Any]) -> tuple[bytes, list[int]]:
    """The records as concatenated UTF-8 JSON documents and their start offsets (plus the
    end), each in the form its YAML has (serialised by pydantic, in Rust)."""
    parts = [_adapter(type(r)).dump_json(r, by_alias=True, exclude_defaults=True) for r in records]
    offsets = [0]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join(parts), offsets


class BoundedMemo(Generic[T]):
    """Values by number, at most `limit` of them: when full, the older half is dropped,
    so a long-running process that reads every record does not end up holding them all."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self.values: dict[int, T] = {}

    def get(self, n: int) -> T | None:
        return self.values.get(n)

    def put(self, n: int, value: T) -> T:
        if len(self.values) >= self.limit:
            for old in list(itertools.islice(self.values, self.limit // 2)):
                self.values.pop(old, None)  # another thread may have dropped it already
        self.values[n] = value
        return value


class LazyRecords(Sequence[T], Generic[T]):
    """A read-only sequence over a blob of JSON records, each read (`read(start, end)`
    gives the bytes) and decoded on first access."""

    def __init__(
        self, model: type[T], read: Callable[[int, int], bytes], offsets: Sequence[int]
    ) -> None:
        self._adapter: TypeAdapter[T] = TypeAdapter(model)
        self._read = read
        self._offsets = offsets
        self._decoded: BoundedMemo[T] = BoundedMemo()

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, n: int) -> T: ...
    @overload
    def __getitem__(self, n: slice) -> list[T]: ...
    def __getitem__(self, n: int | slice) -> T | list[T]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += len(self)
        if not 0 <= n < len(self):
            raise IndexError(n)
        record = self._decoded.get(n)
        if record is None:
            raw = self._read(self._offsets[n], self._offsets[n + 1])
            record = self._decoded.put(n, self._adapter.validate_json(raw))
        return record

    def __iter__(self) -> Iterator[T]:
        return (self[n] for n in range(len(self)))


class LazyMapping(Mapping[str, T], Generic[T]):
    """Records by id over a `LazyRecords`; a record is decoded when it is looked up.
    `ids` holds the records' ids in order and finds a position by id (`find`)."""

    def __init__(self, ids: Lookup, records: LazyRecords[T]) -> None:
        self._ids = ids
        self._records = records

    def __getitem__(self, ident: str) -> T:
        n = self._ids.find(ident)
        if n is None:
            raise KeyError(ident)
        return self._records[n]

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and self._ids.find(ident) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
