"""Every country's names, from pycountry plus the small table in countries.yaml.

pycountry carries each country's name, official name and common name ("Korea,
Republic of", "Republic of Korea", "South Korea"); countries.yaml adds what it lacks:
other English names, demonyms, capitals and Vietnamese names.
"""

from __future__ import annotations

import re
from typing import Any

from bot.commonwords import common_language
from bot.text import tokens

Phrase = tuple[str, ...]
_BRACKETS = re.compile(r"\\s*\\([^)]*\\)")


def _readable(name: str) -> list[str]:
    """pycountry's sorted forms made readable: "Korea, Republic of" -> "Republic of Korea"."""
    name = _BRACKETS.sub("", name)
    if ", " not in name:
        return [name]
    head, tail = name.split(", ", 1)
    if tail.endswith((" of", " of the")) or " " not in tail:
        return [f"{tail} {head}"]
    return [head]


def _usable(phrase: Phrase, language: str) -> bool:
    """A phrase worth matching: not empty, and not a lone everyday word of its language
    (Vietnamese "Anh", "Úc"; "Thai" is English, though "thái" is Vietnamese)."""
    if not phrase:
        return False
    return len(phrase) > 1 or (len(phrase[0]) > 2 and common_language(phrase[0]) != language)


def country_names(
    table: dict[str, Any],
) -> tuple[dict[Phrase, str], dict[Phrase, str], frozenset[Phrase]]:
    """(country name or demonym -> code, capital -> code, the demonyms), folded into
    tokens. Demonyms are kept apart: "English" in a fact is a language, not Britain.
    pycountry is imported here: only building an index needs it."""
    import pycountry

    names: list[tuple[str, str, str]] = []  # (code, name, language)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            names += [(country.alpha_2, n, "en") for n in _readable(value or "")]
    capitals: dict[Phrase, str] = {}
    for code, extra in table.items():
        names += [(code, n, "en") for n in [*extra.get("names", []), *extra.get("demonyms", [])]]
        names += [(code, n, "vi") for n in extra.get("vi", [])]
        for capital in extra.get("capitals", []):
            capitals[tuple(tokens(capital))] = code
    codes = {
        phrase: code
        for code, name, language in names
        for phrase in [tuple(tokens(name))]
        if _usable(phrase, language)
    }
    demonyms = frozenset(
        p for extra in table.values() for d in extra.get("demonyms", []) for p in [tuple(tokens(d))]
    )
    capital_codes = {p: c for p, c in capitals.items() if _usable(p, "en") and p not in codes}
    return codes, capital_codes, demonyms & codes.keys()
