"""What the engine returns, and its plain-text and JSON forms.

`Answer.text` is what a user reads (no Slack markup); the facts and their sources
travel with it so that every surface (terminal, JSON, Slack) can cite them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.conversation import Context
from bot.knowledge import Fact, Source


@dataclass(frozen=True)
class Citation:
    id: str
    title: str
    publisher: str
    published: str
    url: str | None

    @classmethod
    def of(cls, source: Source) -> Citation:
        return cls(
            source.id, source.title, source.publisher, source.published.describe(), source.url
        )

    def line(self) -> str:
        where = f" {self.url}" if self.url else ""
        return f"{self.publisher}, {self.published}: {self.title}{where}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published,
            "url": self.url,
        }


@dataclass(frozen=True)
class FactRef:
    fact: Fact
    citation: Citation

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.fact.id,
            "date": self.fact.date.describe(),
            "summary": self.fact.summary,
            "source": self.citation.as_json(),
        }


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    text: str
    confidence: float = 0.0
    facts: tuple[FactRef, ...] = ()
    intent: str = "none"
    extra_citations: tuple[Citation, ...] = field(default=())
    context: Context | None = None  # what a follow-up question can refer to

    @property
    def citations(self) -> list[Citation]:
        """Each source once, in the order the answer relies on them."""
        seen: dict[str, Citation] = {}
        for c in [*(f.citation for f in self.facts), *self.extra_citations]:
            seen.setdefault(c.id, c)
        return list(seen.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.text,
            "confidence": round(self.confidence, 3),
            "intent": self.intent,
            "facts": [f.as_json() for f in self.facts],
            "sources": [c.as_json() for c in self.citations],
        }

    def render(self) -> str:
        """The answer and its sources, for a terminal."""
        if not self.citations:
            return self.text
        lines = [self.text, "", "Sources:"]
        lines += [f"  [{i}] {c.line()}" for i, c in enumerate(self.citations, 1)]
        return "\n".join(lines)
