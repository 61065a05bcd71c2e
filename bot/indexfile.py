"""The index on disk: written once per fact-base version, mapped back in milliseconds.

A folder holds `meta.json` (small tables and where each array lies), `arrays.bin`
(every integer column and the sorted string tables of terms, entity ids, words and
names, memory-mapped, so nothing is decoded until a question needs it and replicas on
one machine share the pages) and `facts.json` / `entities.json` (each record as a
JSON document, read and decoded on first use). Nothing in it is a pickle: reading a
folder cannot run code.
"""

from __future__ import annotations

import datetime as dt
import json
import mmap
import os
import weakref
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from bot import lexicon as lexicon_mod
from bot.index import Guards, Index, Ints, PhraseTable, Ragged, Tables, Vocabulary
from bot.knowledge import Entity, Fact, KnowledgeBase, Source
from bot.records import LazyMapping, LazyRecords, plain, to_blob
from bot.strings import StringTable, pack

FORMAT = 10
_RAGGED = tuple(f.name for f in fields(Tables) if f.type == "Ragged")
_COLUMNS: tuple[str, ...] = ("lengths", "starts", "ends", "precisions", "kinds", "id_ranks")
_COLUMNS += ("start_order", "start_days", "counts", "length_order")
_TABLES = (
    "term_names",
    "fact_ids",
    "entity_names",
    "words",
    "ordinary",
    "everyday_en",
    "occasion_words",
    "person_words",
    "year_names",
    "specific_en",
)


class FirstWords(Mapping[str, list[int]]):
    """Stored phrase lengths by first word: a string table and a bit mask per word."""

    def __init__(self, words: StringTable, masks: Ints) -> None:
        self.words, self.masks = words, masks

    def __getitem__(self, word: str) -> list[int]:
        n = self.words.find(word)
        if n is None:
            raise KeyError(word)
        mask = self.masks[n]
        return [k for k in range(mask.bit_length(), 0, -1) if mask >> (k - 1) & 1]

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


class LinkerPhrases(Mapping[str, tuple[str, str]]):
    """The stored name table: entity names and aliases (a string table, each with its
    entity number) and the few role and country phrases."""

    def __init__(
        self, names: StringTable, entity: Ints, ids: StringTable, other: dict[str, list[str]]
    ) -> None:
        self.names, self.entity, self.ids, self.other = names, entity, ids, other

    def __getitem__(self, phrase: str) -> tuple[str, str]:
        if phrase in self.other:
            kind, value = self.other[phrase]
            return kind, value
        n = self.names.find(phrase)
        if n is None:
            raise KeyError(phrase)
        return "entity", self.ids[self.entity[n]]

    def __contains__(self, phrase: object) -> bool:
        return phrase in self.other or (
            isinstance(phrase, str) and self.names.find(phrase) is not None
        )

    def __iter__(self) -> Iterator[str]:
        yield from self.other
        yield from self.names

    def __len__(self) -> int:
        return len(self.other) + len(self.names)


def _packed(arrays: dict[str, Any], name: str, items: list[str]) -> None:
    blob, offsets, ids, positions = pack(items)
    arrays[f"{name}.blob"] = array("B", blob)
    arrays[f"{name}.offsets"] = offsets
    arrays[f"{name}.ids"] = ids
    arrays[f"{name}.positions"] = positions


def save(index: Index, folder: Path, key: str, mode: int = 0o700) -> None:
    """Write `index` (and its fact base) to the new folder `folder`."""
    t, kb = index.tables, index.kb
    folder.mkdir(mode=mode)
    arrays: dict[str, Any] = {}
    for name in _RAGGED:
        ragged: Ragged = getattr(t, name)
        arrays[f"{name}.offsets"] = array("Q", ragged.offsets)
        arrays[f"{name}.values"] = array("I", ragged.values)
    for name in _COLUMNS:
        column = getattr(t, name)
        arrays[name] = column if isinstance(column, array) else array("I", column)
    for name in _TABLES:
        _packed(arrays, name, list(getattr(t, name)))
    entity_numbers = {e: n for n, e in enumerate(t.entity_names)}
    names = [(p, v) for p, (kind, v) in t.linker.joined.items() if kind == "entity"]
    _packed(arrays, "linker", [p for p, _ in names])
    arrays["linker.entity"] = array("I", [entity_numbers[v] for _, v in names])
    other = {p: [kind, v] for p, (kind, v) in t.linker.joined.items() if kind != "entity"}
    _packed(arrays, "name_words", sorted(t.guards.name_words))
    firsts = list(t.linker.lengths)
    _packed(arrays, "first", firsts)
    masks = [sum(1 << (k - 1) for k in t.linker.lengths[w]) for w in firsts]
    arrays["first.masks"] = array("Q", masks)
    blobs = {"facts": to_blob(kb.facts), "entities": to_blob(list(kb.entities.values()))}
    for name, (blob, offsets) in blobs.items():
        (folder / f"{name}.json").write_bytes(blob)
        arrays[f"{name}.offsets"] = array("Q", offsets)
    layout: dict[str, list[Any]] = {}
    with (folder / "arrays.bin").open("wb") as out:
        for name, values in arrays.items():
            out.write(b"\0" * (-out.tell() % 8))
            layout[name] = [values.typecode, out.tell(), len(values)]
            out.write(values.tobytes())
    meta = {
        "format": FORMAT,
        "key": key,
        "layout": layout,
        "longest_days": t.longest_days,
        "by_year": t.by_year,
        "day_years": [[m, d, sorted(ys)] for (m, d), ys in t.day_years.items()],
        "month_years": {m: sorted(ys) for m, ys in t.month_years.items()},
        "first_day": t.first_day.toordinal(),
        "last_day": t.last_day.toordinal(),
        "topics": t.topics,
        "avg_length": t.avg_length,
        "length_ranges": t.length_ranges,
        "linker_other": other,
        "linker_longest": t.linker.longest,
        "guards": {
            "spellings": {k: list(v) for k, v in t.guards.spellings.items()},
            "beside": sorted(t.guards.beside),
            "shared": {k: list(v) for k, v in t.guards.shared.items()},
            "capitals": dict(t.guards.capitals),
        },
        "country_ids": list(t.country_ids),
        "role_holders": list(t.role_holders),
        "sources": [plain(s) for s in kb.sources.values()],
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")


def _map(path: Path) -> memoryview:
    """The file mapped read-only; pages are read as touched, without read-ahead."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return memoryview(b"")
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    mapped.madvise(mmap.MADV_RANDOM)
    return memoryview(mapped)


class _Reader:
    """Reads byte ranges of a file with pread: the page cache holds them, not this
    process. The file is closed once the reader is dropped (the index of a base that
    live reload replaced)."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        weakref.finalize(self, os.close, self.fd)

    def __call__(self, start: int, end: int) -> bytes:
        return os.pread(self.fd, end - start, start)


def load(folder: Path, key: str, root: Path) -> Index | None:
    """The index stored in `folder` for fact-base version `key`, or None when it is
    missing, of another version or format, or unreadable."""
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        memory = _map(folder / "arrays.bin")
        arrays: dict[str, Any] = {
            name: memory[start : start + count * array(code).itemsize].cast(code)
            for name, (code, start, count) in meta["layout"].items()
        }
        blobs = {name: _Reader(folder / f"{name}.json") for name in ("facts", "entities")}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    tables_of: dict[str, Any] = {
        name: StringTable(
            *(arrays[f"{name}.{part}"] for part in ("blob", "offsets", "ids", "positions"))
        )
        for name in (*_TABLES, "linker", "first", "name_words")
    }
    facts = LazyRecords(Fact, blobs["facts"], arrays["facts.offsets"])
    entities = LazyRecords(Entity, blobs["entities"], arrays["entities.offsets"])
    sources = [TypeAdapter(Source).validate_python(s) for s in meta["sources"]]
    kb = KnowledgeBase(
        root=root,
        sources={s.id: s for s in sources},
        entities=LazyMapping(tables_of["entity_names"], entities),
        facts=facts,
    )
    ragged: dict[str, Any] = {
        name: Ragged(arrays[f"{name}.offsets"], arrays[f"{name}.values"]) for name in _RAGGED
    }
    phrases = LinkerPhrases(
        tables_of["linker"],
        arrays["linker.entity"],
        tables_of["entity_names"],
        meta["linker_other"],
    )
    tables = Tables(
        **ragged,
        **{name: arrays[name] for name in _COLUMNS},
        **{name: tables_of[name] for name in _TABLES},
        longest_days=meta["longest_days"],
        by_year={int(y): ns for y, ns in meta["by_year"].items()},
        day_years={(m, d): frozenset(ys) for m, d, ys in meta["day_years"]},
        month_years={int(m): frozenset(ys) for m, ys in meta["month_years"].items()},
        first_day=dt.date.fromordinal(meta["first_day"]),
        last_day=dt.date.fromordinal(meta["last_day"]),
        topics=tuple(meta["topics"]),
        avg_length=meta["avg_length"],
        length_ranges={int(n): (a, b) for n, (a, b) in meta["length_ranges"].items()},
        linker=PhraseTable(
            phrases, FirstWords(tables_of["first"], arrays["first.masks"]), meta["linker_longest"]
        ),
        guards=Guards(
            spellings=meta["guards"]["spellings"],
            beside=frozenset(meta["guards"]["beside"]),
            shared=meta["guards"]["shared"],
            capitals=meta["guards"]["capitals"],
            name_words=Vocabulary(tables_of["name_words"]),
        ),
        country_ids=meta["country_ids"],
        role_holders=meta["role_holders"],
    )
    return Index(kb, lexicon_mod.load(), tables)
