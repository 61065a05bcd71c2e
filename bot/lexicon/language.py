"""Per-language chat words (bot/lexicon/<lang>/): openers and fillers people type in
Slack, abbreviations, capitals or buildings that stand for a country, and ordinals.

Every list is checked on load: a phrase listed twice, or mapped to two different
meanings, is an error, never a silent "last one wins"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml_rs

from bot.text import tokens

Phrase = tuple[str, ...]
LANGUAGES = ("en", "vi")


class LexiconError(ValueError):
    """A lexicon file lists a phrase twice or gives it two meanings."""


@dataclass(frozen=True)
class LanguageWords:
    """One language's chat words, as folded token phrases."""

    cues: frozenset[Phrase]  # phrases that mark a question as this language
    openers: frozenset[Phrase]
    fillers: frozenset[Phrase]
    closers: frozenset[Phrase]  # sentence-final particles ("vậy", "nhỉ") dropped at the end
    abbreviations: dict[Phrase, Phrase]
    metonyms: dict[Phrase, Phrase]  # capital or building -> the country it stands for
    ordinals: frozenset[Phrase]  # "third": singles out one of several things of a kind
    longest: int  # the most words in any of its phrases (bounds every look-up)


def read_mapping(lang: str, name: str) -> dict[str, Any]:
    """bot/lexicon/<lang>/<name> as a mapping ({} when the file is absent)."""
    path = resources.files("bot.lexicon").joinpath(lang, name)
    data = yaml_rs.loads(path.read_text("utf-8")) if path.is_file() else {}
    if not isinstance(data, dict):
        raise LexiconError(f"{lang}/{name} must be a mapping")
    return data


def phrase_set(values: list[str], where: str) -> frozenset[Phrase]:
    """The phrases of a list, rejecting any listed twice (after folding)."""
    seen: set[Phrase] = set()
    for value in values:
        phrase = tuple(tokens(str(value)))
        if phrase in seen:
            raise LexiconError(f"{where}: {value!r} is listed twice")
        seen.add(phrase)
    return frozenset(seen)


def phrase_map(table: dict[str, str], where: str) -> dict[Phrase, Phrase]:
    """Phrase -> phrase, rejecting keys that fold to the same phrase."""
    out: dict[Phrase, Phrase] = {}
    for key, value in table.items():
        phrase = tuple(tokens(str(key)))
        if phrase in out:
            raise LexiconError(f"{where}: {key!r} is listed twice")
        out[phrase] = tuple(tokens(str(value)))
    return out


@lru_cache(maxsize=len(LANGUAGES))
def load(lang: str) -> LanguageWords:
    """The chat words of `lang` ("en" or "vi")."""
    slack = read_mapping(lang, "slack.yaml")
    cues = phrase_set(slack.get("cues", []), f"{lang}/slack.yaml cues")
    openers = phrase_set(slack.get("openers", []), f"{lang}/slack.yaml openers")
    fillers = phrase_set(slack.get("fillers", []), f"{lang}/slack.yaml fillers")
    closers = phrase_set(slack.get("closers", []), f"{lang}/slack.yaml closers")
    abbreviations = phrase_map(slack.get("abbreviations", {}), f"{lang}/slack.yaml abbreviations")
    metonyms = phrase_map(read_mapping(lang, "metonyms.yaml"), f"{lang}/metonyms.yaml")
    ordinals = phrase_set(
        read_mapping(lang, "qualifiers.yaml").get("ordinals", []), f"{lang}/qualifiers.yaml"
    )
    tables: list[Iterable[Phrase]] = [cues, openers, fillers, closers, abbreviations, metonyms]
    return LanguageWords(
        cues=cues,
        openers=openers,
        fillers=fillers,
        closers=closers,
        abbreviations=abbreviations,
        metonyms=metonyms,
        ordinals=ordinals,
        longest=max((len(p) for table in tables for p in table), default=0),
    )
