"""Every kind of question attache answers, registered in one place.

An intent is one object (bot/intents/kinds.py) holding how to rank facts for it, what a
fact must hold to answer it, and the direct answer that leads the reply; its cues per
language are data (bot/lexicon/<lang>/intents.yaml). A new question type is one class
here plus its cues and evaluation rows.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.intents.kinds import (
    Duration,
    Help,
    HowMany,
    HowMuch,
    Intent,
    ListIntent,
    Profile,
    SmallTalk,
    Timeline,
    What,
    When,
    Where,
    WhichBody,
    WhichCountry,
    Who,
    YesNo,
)
from bot.lexicon.language import LANGUAGES, LexiconError, read_mapping

# Tried in this order; the first whose cues match wins ("how many days" is a duration).
REGISTRY: tuple[Intent, ...] = (
    Duration(),
    HowMuch(),
    HowMany(),
    When(),
    Where(),
    Timeline(),
    WhichBody(),
    WhichCountry(),
    Who(),
    ListIntent(),
    YesNo(),
    What(),
    Profile(),
    SmallTalk(),
    Help(),
)
BY_NAME = {intent.name: intent for intent in REGISTRY}
__all__ = ["BY_NAME", "REGISTRY", "Intent", "detect", "get"]


def get(name: str) -> Intent:
    """The intent called `name` ("what" for one the registry does not know)."""
    return BY_NAME.get(name) or BY_NAME["what"]


@lru_cache(maxsize=1)
def _literals() -> dict[str, frozenset[str]]:
    """The words each intent's cues spell out ("how", "long"), as opposed to what a
    wildcard in a cue matched ("what is <the expo> budget")."""
    out: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        for name, cues in read_mapping(lang, "intents.yaml").items():
            for cue in cues:
                out.setdefault(name, set()).update(re.findall(r"[a-z]+", str(cue)))
    return {name: frozenset(words) for name, words in out.items()}


@lru_cache(maxsize=4)
def _cues(only: str | None = None) -> dict[str, re.Pattern[str]]:
    """One pattern per intent, from every language's cues (or only from language `only`)."""
    phrases: dict[str, list[str]] = {}
    for lang in [only] if only else LANGUAGES:
        for name, cues in read_mapping(lang, "intents.yaml").items():
            if name not in BY_NAME:
                raise LexiconError(f"{lang}/intents.yaml: no intent called {name!r}")
            for cue in cues:
                if cue in phrases.get(name, []):
                    raise LexiconError(f"{lang}/intents.yaml: {cue!r} is listed twice")
                phrases.setdefault(name, []).append(str(cue))
    return {name: re.compile(r"\b(" + "|".join(cues) + r")\b") for name, cues in phrases.items()}


_ASKS_OTHER = re.compile(r"(?:what|which|who|whom|whose|where|how)\b")


@lru_cache(maxsize=4)
def _patterns(lang: str | None) -> dict[str, re.Pattern[str]]:
    """Every language's cues, but a yes/no question's from `lang` alone (all when None)."""
    return {**_cues(), "yes_no": _cues(lang)["yes_no"]}


def detect(text: str, lang: str | None = None) -> tuple[Intent, set[str]]:
    """The intent of a folded question (in `lang`, when known), and the words of the cue
    that says so when they say nothing about the topic ("how long", "number of"). A
    yes/no question is told by its own language's cues ("Đô đốc" is no English "do")."""
    cues = _patterns(lang)
    for intent in REGISTRY:
        pattern = cues.get(intent.name)
        if pattern is None or intent.name == "yes_no":
            continue
        m = pattern.search(text)
        if m and intent.name == "when" and m.group(0) == "when" and _ASKS_OTHER.match(text):
            continue  # "what did they pledge when they met": "when" joins two clauses
        if m:
            if intent.name == "list" and cues["yes_no"].search(text):
                return BY_NAME["yes_no"], set()
            if not intent.cue_only:
                return intent, set()
            return intent, set(m.group(0).split()) & _literals()[intent.name]
    return (BY_NAME["yes_no"] if cues["yes_no"].search(text) else BY_NAME["what"]), set()
