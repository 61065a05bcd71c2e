"""A year a fact's text gives for something other than the fact itself: a statement of
2022 "based on a 2010 government memorandum" dates the memorandum to 2010."""

from __future__ import annotations

from bot.index import Index
from bot.knowledge import Fact
from bot.text import tokens

COMMON_SHARE = 0.1  # a term in more than this share of facts says too little to place a year


def year_beside(fact: Fact, terms: set[str], index: Index) -> int | None:
    """A year in `fact`'s summary, other than its own, written beside one of `terms`
    ("a 2010 government memorandum" for a question about the memorandum)."""
    own = range(fact.date.start.year, fact.date.end.year + 1)
    limit = COMMON_SHARE * len(index.facts)
    telling = {t for t in terms if 0 < len(index.postings.get(t, ())) <= limit}
    if not telling:
        return None
    words = tokens(fact.summary)
    for i, word in enumerate(words):
        if len(word) != 4 or not word.isdigit() or int(word) in own:
            continue
        if not 1900 <= int(word) <= 2100:
            continue
        near = words[max(0, i - 2) : i] + words[i + 1 : i + 4]
        if telling & set(index.analyzer.terms(near)):
            return int(word)
    return None
