"""Small talk and requests for help: "hi", "thanks!", "who are you?", "what can you do?".

A message made only of small-talk phrases (bot/lexicon/<lang>/smalltalk.yaml) gets a
short reply from the message catalogue and never facts. Matching is on the words as
typed, before any typo correction, so "thanks" is never read as a name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.lexicon.language import Phrase, phrase_set, read_mapping
from bot.text import looks_vietnamese, tokens

CATEGORIES = ("help", "identity", "thanks", "bye", "greeting", "ack")


@dataclass(frozen=True)
class SmallTalk:
    """What kind of small talk a message is, and its language."""

    category: str  # one of CATEGORIES
    lang: str

    @property
    def intent(self) -> str:
        return "help" if self.category == "help" else "smalltalk"


@lru_cache(maxsize=2)
def _table(lang: str) -> tuple[dict[Phrase, str], frozenset[Phrase], int]:
    spec = read_mapping(lang, "smalltalk.yaml")
    phrases: dict[Phrase, str] = {}
    for category in CATEGORIES:
        for phrase in phrase_set(spec.get(category, []), f"{lang}/smalltalk.yaml {category}"):
            phrases.setdefault(phrase, category)
    filler = phrase_set(spec.get("filler", []), f"{lang}/smalltalk.yaml filler")
    return phrases, filler, max(len(p) for p in [*phrases, *filler])


def _cover(words: list[str], lang: str) -> str | None:
    """The most telling category when every word is small talk, else None."""
    phrases, filler, longest = _table(lang)
    found: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            if phrase in phrases:
                found.add(phrases[phrase])
                break
            if phrase in filler:
                break
        else:
            return None
        i += n
    return next((c for c in CATEGORIES if c in found), None)


def classify(text: str) -> SmallTalk | None:
    """The small talk `text` is, or None when it asks something else."""
    words = tokens(text)
    if not words or len(words) > 12:
        return None
    langs = ("vi", "en") if looks_vietnamese(text) else ("en", "vi")
    for lang in langs:
        category = _cover(words, lang)
        if category:
            return SmallTalk(category, lang)
    return None
