"""Word lists the engine reads: stop words, synonyms, role words, foreign countries and
Vietnamese phrases. They are data (YAML beside this file), so a reviewer can extend
them without touching code."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml_rs

from bot.lexicon.countries import country_names
from bot.lexicon.language import LexiconError
from bot.text import tokens

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Role:
    id: str
    also: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """The word lists. The countries' names are worked out from countries.yaml on first
    use: only building an index needs them, and they take wordfreq's tables (most of a
    second), which a stored index's warm start then never loads."""

    stop_en: frozenset[str]
    stop_vi: frozenset[str]
    synonyms: dict[Phrase, str]  # variant phrase -> canonical term
    roles: dict[str, Role]
    role_phrases: dict[Phrase, str]  # phrase -> role id
    vietnamese: dict[Phrase, Phrase]  # Vietnamese phrase -> English tokens
    country_table: dict[str, Any] = field(default_factory=dict, repr=False)  # countries.yaml

    @cached_property
    def _countries(self) -> tuple[dict[Phrase, str], dict[Phrase, str], frozenset[Phrase]]:
        return country_names(self.country_table)

    @property
    def country_codes(self) -> dict[Phrase, str]:
        """Country name or demonym -> country code."""
        return self._countries[0]

    @property
    def capitals(self) -> dict[Phrase, str]:
        """Capital -> country code."""
        return self._countries[1]

    @property
    def demonyms(self) -> frozenset[Phrase]:
        """ "russian", "english" (also languages)."""
        return self._countries[2]

    @cached_property
    def foreign(self) -> frozenset[Phrase]:
        """Every country, demonym and capital (see countries.py)."""
        return frozenset({*self.country_codes, *self.capitals})


def _yaml(name: str) -> dict:
    """Read with YAML 1.2 rules, where `on`, `no` and `yes` are words, not booleans."""
    data = yaml_rs.loads(resources.files("bot.lexicon").joinpath(name).read_text("utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"bot/lexicon/{name} must be a mapping")
    return data


def _phrase(text: str) -> Phrase:
    return tuple(tokens(text))


def _claim(table: dict[Phrase, str], phrase: Phrase, meaning: str, where: str) -> None:
    """Give `phrase` its one meaning; two meanings for one phrase is a mistake in the data."""
    if table.get(phrase, meaning) != meaning:
        raise LexiconError(
            f"{where}: {' '.join(phrase)!r} is listed under both {table[phrase]!r} and {meaning!r}"
        )
    table[phrase] = meaning


@lru_cache(maxsize=1)
def load() -> Lexicon:
    stop = _yaml("stopwords.yaml")
    synonyms: dict[Phrase, str] = {}
    for canonical, variants in _yaml("synonyms.yaml").items():
        canon = " ".join(_phrase(canonical))
        for variant in [canonical, *variants]:
            _claim(synonyms, _phrase(variant), canon, "synonyms.yaml")
    roles: dict[str, Role] = {}
    role_phrases: dict[Phrase, str] = {}
    for role_id, spec in _yaml("roles.yaml").items():
        roles[role_id] = Role(role_id, tuple(spec.get("also", [])))
        for phrase in spec["phrases"]:
            _claim(role_phrases, _phrase(phrase), role_id, "roles.yaml")
    vietnamese = {
        _phrase(vi): _phrase(en) for vi, en in _yaml("vietnamese.yaml")["phrases"].items()
    }
    return Lexicon(
        stop_en=frozenset(t for w in stop["en"] for t in tokens(str(w))),
        stop_vi=frozenset(t for w in stop["vi"] for t in tokens(str(w))),
        synonyms=synonyms,
        roles=roles,
        role_phrases=role_phrases,
        vietnamese=vietnamese,
        country_table=_yaml("countries.yaml"),
    )
