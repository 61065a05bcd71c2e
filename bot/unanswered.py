"""Questions attache could not answer, kept 90 days so editors know what to add next.

Only the question, its language and the day are kept: no user, no channel. The
report groups questions that say nearly the same thing ("who is the Thai defence
minister", "who's Thailand's defence minister?") with rapidfuzz, most asked first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import Column, Date, Integer, String, Table, Text, delete, insert, select
from sqlalchemy.engine import Engine

from bot import lexicon
from bot.answer import Answer
from bot.engine import Engine as QuestionEngine
from bot.query import parse
from bot.store import metadata
from bot.text import clean, tokens

KEEP_DAYS = 90
SIMILAR = 75  # rapidfuzz token-set ratio from which two questions are one group
MAX_CHARS = 500

unanswered = Table(
    "unanswered",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("asked_on", Date, nullable=False, index=True),
)


@dataclass
class Group:
    """Questions that ask nearly the same thing."""

    question: str  # the first asked, as typed
    count: int = 0
    languages: set[str] = field(default_factory=set)
    last_asked: dt.date = dt.date.min
    examples: list[str] = field(default_factory=list)


def worth_keeping(answer: Answer) -> bool:
    """True for an "I don't know" (not for an empty or over-long question)."""
    return not answer.answered and answer.intent == "abstain"


def language(engine: QuestionEngine, question: str) -> str:
    """The question's language, as the engine read it."""
    return parse(clean(question), engine.index).lang


def record(db: Engine, question: str, language: str, today: dt.date | None = None) -> None:
    """Keep one unanswered question, and drop those older than KEEP_DAYS."""
    day = today or dt.date.today()
    text = clean(question)[:MAX_CHARS]
    if not text:
        return
    with db.begin() as connection:
        connection.execute(
            insert(unanswered).values(question=text, language=language, asked_on=day)
        )
        connection.execute(
            delete(unanswered).where(unanswered.c.asked_on < day - dt.timedelta(days=KEEP_DAYS))
        )


def grouped(db: Engine, since: dt.date | None = None, limit: int | None = None) -> list[Group]:
    """Unanswered questions asked on or after `since`, grouped by similarity, the most
    asked group first."""
    query = select(unanswered.c.question, unanswered.c.language, unanswered.c.asked_on)
    if since is not None:
        query = query.where(unanswered.c.asked_on >= since)
    with db.connect() as connection:
        rows = connection.execute(query.order_by(unanswered.c.id)).all()
    stop = lexicon.load().stop_en | lexicon.load().stop_vi
    groups: list[Group] = []
    keys: list[str] = []
    for question, language, asked_on in rows:
        key = " ".join(t for t in tokens(question) if t not in stop) or question
        near = process.extractOne(key, keys, scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR)
        if near is None:
            groups.append(Group(question))
            keys.append(key)
            group = groups[-1]
        else:
            group = groups[near[2]]
        group.count += 1
        group.languages.add(language)
        group.last_asked = max(group.last_asked, asked_on)
        if question not in group.examples and len(group.examples) < 3:
            group.examples.append(question)
    groups.sort(key=lambda g: (-g.count, -g.last_asked.toordinal(), g.question))
    return groups[:limit] if limit else groups
