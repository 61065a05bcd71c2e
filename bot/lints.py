"""Warnings about a valid fact base: things that load but will answer badly.

- a name two entities share (a question with it cannot tell them apart);
- a one-word name that is an everyday English or Vietnamese word once diacritics are
  dropped ("Thanh" = "thành", "NHO" = "nhớ"), or shorter than 3 letters, unless it is
  marked `exact: true` (the engine then matches it only as spelt);
- a role word bot/lexicon/roles.yaml does not know;
- a source `file` that cannot be found;
- an agreement or event name that another agreement or event also answers to;
- a fact without `headline_vi` or `summary_vi` (a Vietnamese question then gets the
  English text), or whose Vietnamese text has no diacritics (typed without them).
- a headline cut short with "…" (a drafted one still waiting for a rewrite).

Each warning names the file, the 1-based entry, the field and its value. `attache kb
check` prints them and still succeeds; `--strict` makes them errors.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import yaml
from rapidfuzz import process

from bot import lexicon
from bot.commonwords import common_language
from bot.knowledge import Entity, KnowledgeBase, Problem
from bot.names import plain
from bot.text import tokens

MIN_VIETNAMESE_WORDS = 4  # a shorter text ("Hội nghị ADMM") may fairly lack diacritics
MIN_LETTERS = 3  # a shorter name ("VN") is too easily a typo or part of a word
LANGUAGES = {"en": "English", "vi": "Vietnamese"}
Phrase = tuple[str, ...]


def lint(kb: KnowledgeBase) -> list[Problem]:
    """Every warning about `kb`, in file order."""
    labels = {e.id: f"entry {n} ({e.id})" for n, e in enumerate(kb.entities.values(), 1)}
    found = [
        *_sources(kb),
        *_shared_names(kb, labels),
        *_weak_names(kb, labels),
        *_role_words(kb, labels),
        *_overlapping_agreements(kb, labels),
        *_vietnamese_text(kb),
        *_cut_headlines(kb),
    ]
    return sorted(found, key=lambda p: (p.file, int(p.entry.split()[1])))


def article_folders(root: Path) -> list[Path]:
    """Where a source's `file` is looked for: the base folder, $ATTACHE_ARTICLES, and a
    `shared/articles` folder beside the base or beside any folder above it."""
    folders = [root]
    if os.environ.get("ATTACHE_ARTICLES"):
        folders.append(Path(os.environ["ATTACHE_ARTICLES"]))
    folders += [p / "shared" / "articles" for p in root.resolve().parents]
    return folders


def _sources(kb: KnowledgeBase) -> Iterator[Problem]:
    folders = article_folders(kb.root)
    for n, source in enumerate(kb.sources.values(), 1):
        if source.file and not any((f / source.file).is_file() for f in folders):
            yield Problem(
                "sources.yaml",
                f"entry {n} ({source.id})",
                f"file = {source.file}: not found in the base folder, $ATTACHE_ARTICLES "
                "or a shared/articles folder; check the name or set ATTACHE_ARTICLES",
            )


def _names(entity: Entity) -> Iterator[tuple[str, str, bool, Phrase]]:
    for field, name, exact in entity.names():
        phrase = tuple(tokens(name))
        if phrase:
            yield field, name, exact, phrase


def _shared_names(kb: KnowledgeBase, labels: dict[str, str]) -> Iterator[Problem]:
    first: dict[Phrase, str] = {}
    for entity in kb.entities.values():
        for field, name, _, phrase in _names(entity):
            owner = first.setdefault(phrase, entity.id)
            if owner != entity.id:
                yield Problem(
                    "entities.yaml",
                    labels[entity.id],
                    f"{field} = {name}: also a name of {labels[owner]}; a question "
                    f"using it must then involve both {owner!r} and {entity.id!r}: give one "
                    "of them a longer name",
                )


def _weak_names(kb: KnowledgeBase, labels: dict[str, str]) -> Iterator[Problem]:
    for entity in kb.entities.values():
        for field, name, exact, phrase in _names(entity):
            if exact or len(phrase) > 1:
                continue
            word = phrase[0]
            language = common_language(word)
            fix = f"mark it exact ({{name: {name}, exact: true}}) or use a longer name"
            if language:
                yield Problem(
                    "entities.yaml",
                    labels[entity.id],
                    f"{field} = {name}: folds to {word!r}, an everyday {LANGUAGES[language]} "
                    f"word; it is matched only as written or beside another name: {fix}",
                )
            elif len(word) < MIN_LETTERS:
                yield Problem(
                    "entities.yaml",
                    labels[entity.id],
                    f"{field} = {name}: shorter than {MIN_LETTERS} letters: {fix}",
                )


def _cut_headlines(kb: KnowledgeBase) -> Iterator[Problem]:
    position: dict[str, int] = {}
    for fact in kb.facts:
        n = position[fact.source] = position.get(fact.source, 0) + 1
        if fact.headline.rstrip().endswith(("…", "...")):
            yield Problem(
                f"facts/{fact.source}.yaml",
                f"entry {n} ({fact.id})",
                f"headline = {fact.headline}: cut short; write who did what in a few words",
            )


def _role_words(kb: KnowledgeBase, labels: dict[str, str]) -> Iterator[Problem]:
    known = sorted(lexicon.load().roles)
    for entity in kb.entities.values():
        for i, role in enumerate(entity.roles, 1):
            if role.role in known:
                continue
            near = process.extractOne(role.role, known, score_cutoff=70)
            hint = f"did you mean {near[0]!r}? " if near else ""
            yield Problem(
                "entities.yaml",
                labels[entity.id],
                f"roles[{i}].role = {role.role}: not a role word attache knows; {hint}"
                "use one listed in bot/lexicon/roles.yaml",
            )


def _contains(longer: Phrase, shorter: Phrase) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _overlapping_agreements(kb: KnowledgeBase, labels: dict[str, str]) -> Iterator[Problem]:
    """An agreement or event name that is part of another one's name: "joint vision
    statement" on one agreement, while "Joint Vision Statement 2015-2020" is another."""
    named = [(e, list(_names(e))) for e in kb.entities.values() if e.type in ("agreement", "event")]
    for entity, names in named:
        for field, name, _, phrase in names:
            for other, other_names in named:
                if other.id == entity.id:
                    continue
                match = next(
                    (n for _, n, _, p in other_names if p != phrase and _contains(p, phrase)),
                    None,
                )
                if match:
                    yield Problem(
                        "entities.yaml",
                        labels[entity.id],
                        f"{field} = {name}: {labels[other.id]} also answers "
                        f"to it (as {match!r}); make it specific, e.g. with a year",
                    )
                    break


def _fact_labels(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    """Fact id -> (its file relative to the base, "entry N (id)"), read from the files."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted((kb.root / "facts").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for n, item in enumerate(raw if isinstance(raw, list) else [], 1):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.setdefault(item["id"], (f"facts/{path.name}", f"entry {n} ({item['id']})"))
    return found


def _vietnamese_text(kb: KnowledgeBase) -> Iterator[Problem]:
    """A fact missing its Vietnamese headline or summary, or one typed without diacritics."""
    where = _fact_labels(kb)
    for fact in kb.facts:
        file, label = where.get(fact.id, ("facts/", f"entry 0 ({fact.id})"))
        for field, text in (("headline_vi", fact.headline_vi), ("summary_vi", fact.summary_vi)):
            if text is None:
                yield Problem(
                    file,
                    label,
                    f"{field}: missing; a Vietnamese question gets the English text: "
                    "add a Vietnamese translation",
                )
            elif plain(text) == text and len(text.split()) >= MIN_VIETNAMESE_WORDS:
                yield Problem(
                    file,
                    label,
                    f"{field} = {text[:40]}: has no diacritics; write the Vietnamese "
                    "with its accents (ký, not ky)",
                )
