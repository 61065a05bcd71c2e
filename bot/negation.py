"""A fact that says the opposite of a yes/no question: "did Paparo say the cooperation
undermines anyone's sovereignty?" against "…does not undermine the sovereignty of any
nation". The answer is then "No", not "Yes"."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.index import Analyzer
from bot.text import tokens

# words that negate the word after them ("does not undermine", "never signed", "non-binding")
NEGATORS = frozenset({"not", "never", "no", "non", "cannot", "without"})
# words that may stand between a negator and what it negates ("not be signed", "not yet")
_BETWEEN = frozenset({"be", "been", "being", "have", "has", "yet", "ever", "legally", "fully"})
_CONTRACTED = re.compile(r"n$")  # "doesn't" is tokenised "doesn", "t"


def _negator(words: list[str], i: int) -> bool:
    word = words[i]
    contracted = word == "t" and i > 0 and _CONTRACTED.search(words[i - 1]) is not None
    return word in NEGATORS or contracted


def _negated(words: list[str], at: int) -> bool:
    """True when a negator comes right before the word at `at`, or one word before it
    across "be", "yet" and the like."""
    if at >= 1 and _negator(words, at - 1):
        return True
    return at >= 2 and words[at - 1] in _BETWEEN and _negator(words, at - 2)


def denied(question: list[str], asked: Collection[str], text: str, analyzer: Analyzer) -> bool:
    """True when `text` negates one of the question's terms `asked` wherever it uses it,
    and the question (its words `question`) negates nothing itself."""
    if any(_negator(question, i) for i in range(len(question))):
        return False
    words = tokens(text)
    found: dict[str, list[bool]] = {}
    for at, word in enumerate(words):
        for term in analyzer.terms([word]):
            if term in asked:
                found.setdefault(term, []).append(_negated(words, at))
    return any(all(flags) for flags in found.values())
