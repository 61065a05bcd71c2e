"""Load and validate the YAML fact base.

Files are parsed with yaml-rs (Rust): 13 times faster than PyYAML with libyaml on
large bases, YAML 1.2 semantics (`yes` stays a string) and duplicate keys reported
as errors instead of silently overwritten.

`check(path)` returns every problem found (schema, dates, duplicate ids, dangling
references), each with its file and entry, so one run of `attache kb check` shows
all that needs fixing. `load(path)` returns a `KnowledgeBase` or raises
`KnowledgeBaseError` carrying the same problems.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml_rs
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic.dataclasses import dataclass as schema

from bot.dates import DateSpan, fact_date_form, parse_fact_date

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
FlexDate = Annotated[DateSpan, BeforeValidator(parse_fact_date), PlainSerializer(fact_date_form)]
Text = Annotated[str, Field(min_length=1)]

ENTITY_TYPES = ("person", "organisation", "company", "country", "place", "event", "agreement")
FACT_KINDS = (
    "meeting",
    "visit",
    "call",
    "agreement",
    "statement",
    "funding",
    "event",
    "announcement",
)


# Records are slotted, frozen pydantic dataclasses: validated like models on the way
# in, but a fraction of a model's memory and quick to decode from the stored index
# (bot/records.py), which matters at 100,000 facts.
_STRICT = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


@schema(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Source:
    id: Id
    title: Text
    title_note: str | None = None
    publisher: Text
    published: FlexDate
    published_note: str | None = None
    language: Literal["en", "vi", "fr", "lo"]
    url: str | None = None
    file: str | None = None
    added: dt.date


@schema(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Role:
    role: Id
    title: Text
    country: Id | None = None
    org: Id | None = None
    as_of: FlexDate | None = None
    since: FlexDate | None = Field(default=None, alias="from")
    until: FlexDate | None = Field(default=None, alias="to")
    source: Id


def _alias_names(raw: Any) -> Any:
    """Aliases as plain names: `{name: X, exact: true}` becomes "X" (see `exact_names`)."""
    if not isinstance(raw, list | tuple):
        return raw
    return [a["name"] if _alias_spec(a) else a for a in raw]


def _alias_spec(alias: Any) -> bool:
    return isinstance(alias, dict) and "name" in alias and set(alias) <= {"name", "exact"}


@schema(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Entity:
    """A person, organisation, country, place, event or agreement.

    An alias is a name or `{name: X, exact: true}` (which also marks the name or
    name_vi spelt X); `exact: true` on the entity marks all its names. An exact name is matched only as written (capitals, diacritics),
    never as the everyday word it folds to."""

    id: Id
    type: Literal[ENTITY_TYPES]  # type: ignore[valid-type]
    name: Text
    name_vi: str | None = None
    aliases: Annotated[tuple[Text, ...], BeforeValidator(_alias_names)] = ()
    exact: bool = False
    exact_aliases: tuple[str, ...] = ()  # filled from aliases marked exact
    description: Text
    description_vi: str | None = None
    roles: tuple[Role, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _collect_exact(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get("aliases"), list):
            exact = [a["name"] for a in raw["aliases"] if _alias_spec(a) and a.get("exact")]
            if exact:
                return {**raw, "exact_aliases": exact}
        return raw

    def names(self) -> list[tuple[str, str, bool]]:
        """(field, name, exact) for the name, the Vietnamese name and every alias."""
        out = [("name", self.name, self.exact or self.name in self.exact_aliases)]
        if self.name_vi:
            out.append(("name_vi", self.name_vi, self.exact or self.name_vi in self.exact_aliases))
        out += [
            (f"aliases[{i}]", a, self.exact or a in self.exact_aliases)
            for i, a in enumerate(self.aliases, 1)
        ]
        return out


@schema(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Amount:
    value: float
    unit: Text
    of: Text
    qualifier: Literal["over", "under", "about", "up to"] | None = None


@schema(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Quote:
    by: Id
    text: Text


@schema(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Fact:
    id: Id
    date: FlexDate
    date_note: str | None = None
    kind: Literal[FACT_KINDS]  # type: ignore[valid-type]
    status: Literal["announced"] | None = None
    actors: Annotated[tuple[Id, ...], Field(min_length=1)]
    place: Id | None = None
    event: Id | None = None
    headline: Annotated[str, Field(min_length=1, max_length=110)]
    summary: Annotated[str, Field(min_length=1, max_length=900)]
    headline_vi: Annotated[str, Field(min_length=1, max_length=140)] | None = None
    summary_vi: Annotated[str, Field(min_length=1, max_length=1100)] | None = None
    items: tuple[Text, ...] = ()
    items_of: str | None = None
    amounts: tuple[Amount, ...] = ()
    quote: Quote | None = None
    tags: tuple[Text, ...] = ()
    review: Literal["pending"] | None = None
    source: Id


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the fact base, located by file and entry."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class KnowledgeBaseError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"the fact base has {len(problems)} problem(s)")


@dataclass
class KnowledgeBase:
    root: Path
    sources: Mapping[str, Source]
    entities: Mapping[str, Entity]  # read lazily from a stored index (bot.records)
    facts: Sequence[Fact]


def bundled_path() -> Path:
    return Path(str(resources.files("knowledge")))


def resolve_path(path: str | os.PathLike[str] | None) -> Path:
    """The fact base to use: an explicit path, else $ATTACHE_KNOWLEDGE, else the bundled one."""
    chosen = path or os.environ.get("ATTACHE_KNOWLEDGE")
    return Path(chosen) if chosen else bundled_path()


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> list[Any]:
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        data = yaml_rs.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.append(Problem(name, "(file)", f"cannot be read: {exc.strerror or exc}"))
        return []
    except UnicodeDecodeError:
        problems.append(Problem(name, "(file)", "is not UTF-8 text"))
        return []
    except yaml_rs.YAMLDecodeError as exc:
        problems.append(Problem(name, *_yaml_error(str(exc))))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(name, "(file)", "must be a list of entries (each starting '- ')"))
        return []
    return data


@cache
def _adapter(model: type) -> TypeAdapter:
    return TypeAdapter(model)


def _yaml_error(message: str) -> tuple[str, str]:
    """("line N", "is not valid YAML: <why>") from yaml-rs's multi-line message."""
    where = re.search(r"at line (\d+)", message)
    why = message.strip().splitlines()[-1]
    return (f"line {where.group(1)}" if where else "(file)"), f"is not valid YAML: {why}"


def _entry_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"entry {index + 1} ({raw['id']})"
    return f"entry {index + 1}"


_MESSAGES = {
    "unexpected_keyword_argument": "unknown field",
    "missing_argument": "field required",
    "missing": "field required",
}


def _validate(
    model: type, raw: list[Any], file: str, problems: list[Problem]
) -> list[tuple[str, Any]]:
    adapter = _adapter(model)
    out = []
    for i, item in enumerate(raw):
        label = _entry_label(item, i)
        if not isinstance(item, dict):
            problems.append(Problem(file, label, "must be a mapping of field: value"))
            continue
        try:
            out.append((label, adapter.validate_python(item)))
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(Problem(file, label, _describe(err)))
    return out


def _where(loc: tuple[int | str, ...]) -> str:
    """("tags", 4) -> "tags[5]": fields by name, list positions counted from 1."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(entry)"


def _shown(value: Any) -> str:
    """A value as the YAML showed it (true, not True), cut to 60 characters."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(err: Any) -> str:
    """One validation error as `field[n] = value: what to do`."""
    where, kind, value = _where(err["loc"]), err["type"], err.get("input")
    if kind in _MESSAGES:
        return f"{where}: {_MESSAGES[kind]}"
    message = err["msg"].removeprefix("Value error, ")
    if kind == "string_type":
        message = "should be text"
        if isinstance(value, bool | int | float | dt.date):
            message += " (put it in quotes)"
        elif isinstance(value, dict) and where.startswith("aliases"):
            message += ", or {name: ..., exact: true}"
    elif kind == "literal_error":
        message = message.replace("Input should be", "should be one of", 1)
    else:
        message = message.replace("Input should be", "should be", 1)
        message = message.replace("a valid tuple", "a list, e.g. [a, b]")
    if value is None or (isinstance(value, dict) and kind != "string_type"):
        return f"{where}: {message}"
    return f"{where} = {_shown(value)}: {message}"


def _duplicates(
    entries: Iterable[tuple[str, str, str]], what: str, problems: list[Problem]
) -> None:
    seen: dict[str, str] = {}
    for file, label, ident in entries:
        if ident in seen:
            problems.append(
                Problem(file, label, f"duplicate {what} id {ident!r} (also in {seen[ident]})")
            )
        else:
            seen[ident] = file


def check(path: str | os.PathLike[str] | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate the fact base at `path`; return it (when clean) and every problem found."""
    root = resolve_path(path)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), "(folder)", "is not a folder holding a fact base")]
    for required in ("sources.yaml", "entities.yaml"):
        if not (root / required).is_file():
            problems.append(Problem(required, "(file)", "is missing"))
    fact_dir = root / "facts"
    fact_paths = sorted(fact_dir.glob("*.yaml")) if fact_dir.is_dir() else []
    if not fact_paths:
        problems.append(Problem("facts/", "(folder)", "has no *.yaml fact files"))

    sources = _validate(
        Source, _read_yaml(root / "sources.yaml", root, problems), "sources.yaml", problems
    )
    entities = _validate(
        Entity, _read_yaml(root / "entities.yaml", root, problems), "entities.yaml", problems
    )
    facts: list[tuple[str, str, Fact]] = []
    for fp in fact_paths:
        name = str(fp.relative_to(root))
        facts += [
            (name, label, f)
            for label, f in _validate(Fact, _read_yaml(fp, root, problems), name, problems)
        ]

    _duplicates((("sources.yaml", lb, s.id) for lb, s in sources), "source", problems)
    _duplicates((("entities.yaml", lb, e.id) for lb, e in entities), "entity", problems)
    _duplicates(((f, lb, x.id) for f, lb, x in facts), "fact", problems)

    source_ids = {s.id for _, s in sources}
    entity_ids = {e.id for _, e in entities}

    def need(ok: bool, file: str, label: str, message: str) -> None:
        if not ok:
            problems.append(Problem(file, label, message))

    for label, e in entities:
        for role in e.roles:
            need(
                role.source in source_ids,
                "entities.yaml",
                label,
                f"roles: unknown source {role.source!r}",
            )
            for ref in (role.country, role.org):
                need(
                    ref is None or ref in entity_ids,
                    "entities.yaml",
                    label,
                    f"roles: unknown entity {ref!r}",
                )
    for file, label, f in facts:
        need(f.source in source_ids, file, label, f"source: unknown source {f.source!r}")
        for actor in f.actors:
            need(actor in entity_ids, file, label, f"actors: unknown entity {actor!r}")
        for ref_name, ref in (("place", f.place), ("event", f.event)):
            need(
                ref is None or ref in entity_ids, file, label, f"{ref_name}: unknown entity {ref!r}"
            )
        if f.quote:
            need(f.quote.by in entity_ids, file, label, f"quote.by: unknown entity {f.quote.by!r}")
        need(not f.items_of or bool(f.items), file, label, "items_of is set but items is empty")

    if problems:
        return None, problems
    kb = KnowledgeBase(
        root=root,
        sources={s.id: s for _, s in sources},
        entities={e.id: e for _, e in entities},
        facts=[f for _, _, f in facts],
    )
    return kb, []


def serve_drafts(drafts: bool | None = None) -> bool:
    """Whether facts awaiting review are served: `drafts` if given, else
    ATTACHE_SERVE_DRAFTS=1."""
    if drafts is not None:
        return drafts
    return os.environ.get("ATTACHE_SERVE_DRAFTS", "").strip().lower() in ("1", "true", "yes")


def load(path: str | os.PathLike[str] | None = None, drafts: bool | None = None) -> KnowledgeBase:
    """The validated fact base; facts marked `review: pending` are left out unless
    drafts are served (see `serve_drafts`). `check` always validates them."""
    kb, problems = check(path)
    if kb is None:
        raise KnowledgeBaseError(problems)
    return served(kb, drafts)


def served(kb: KnowledgeBase, drafts: bool | None = None) -> KnowledgeBase:
    """`kb` with the facts that are served: those awaiting review only with drafts."""
    if not serve_drafts(drafts):
        kb.facts = [f for f in kb.facts if f.review is None]
    return kb
