"""`attache kb add / approve / discard`: a new source drafted for review, then approved
or thrown away.

`add` reads an article (bot.article), drafts its source entry, new entities and facts
(bot.draft) and files them: the source and entities appended to sources.yaml and
entities.yaml between `# draft:` markers, the facts in facts/<source-id>.yaml with
`review: pending`, the article's text in articles/<source-id>.txt (which is how the
same text is recognised if it comes again). Every change is staged on a copy of the
base and validated with `bot.knowledge.check` before any file is replaced, so a
failure leaves the base as it was. `approve` drops the markers and the
`review: pending` lines, touching nothing else; `discard` removes the draft.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml  # type: ignore[import-untyped]

from bot import article as articles
from bot.article import Article, ArticleError, FeedItem
from bot.draft import Draft, draft
from bot.knowledge import Entity, Fact, KnowledgeBase, check
from bot.names import slug
from bot.text import tokens

ARTICLES = "articles"
_REVIEW_LINE = re.compile(r"^[ \t]+review:[ \t]*pending[ \t]*(?:#.*)?\n", re.M)


class IngestError(Exception):
    """Adding, approving or discarding failed; the message says why in one line."""


@dataclass(frozen=True)
class Overrides:
    """What the editor says about the article when the page does not."""

    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None


@dataclass
class Added:
    """One drafted source and what the reviewer should look at."""

    source_id: str
    article: Article
    draft: Draft
    notes: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """A feed item that was not added, and why."""

    url: str
    reason: str


def _begin(source_id: str) -> str:
    return f"# draft: {source_id} (review pending: attache kb approve {source_id})\n"


def _end(source_id: str) -> str:
    return f"# end of draft: {source_id}\n"


def text_hash(text: str) -> str:
    """A hash of an article's words, blind to case, accents and spacing."""
    return hashlib.sha256(" ".join(tokens(text)).encode()).hexdigest()


def _known_texts(root: Path) -> dict[str, str]:
    folder = root / ARTICLES
    out = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        try:
            out[text_hash(path.read_text(encoding="utf-8"))] = path.stem
        except (OSError, UnicodeDecodeError):
            continue
    return out


def _same_url(a: str, b: str) -> bool:
    def norm(u: str) -> str:
        p = urlparse(u.strip())
        return f"{p.netloc.lower().removeprefix('www.')}{p.path.rstrip('/')}?{p.query}"

    return norm(a) == norm(b)


def _duplicate(kb: KnowledgeBase, known: dict[str, str], item: Article) -> str | None:
    """The id of a source already in the base with the article's url or text, or with
    its title and publication day (for sources whose text the base does not keep)."""
    for source in kb.sources.values():
        if item.url and source.url and _same_url(source.url, item.url):
            return source.id
        same_title = bool(item.title) and tokens(source.title) == tokens(item.title or "")
        if same_title and item.published and source.published.start == item.published:
            return source.id
    return known.get(text_hash(item.text))


def _publisher(item: Article) -> str:
    if item.publisher:
        return item.publisher
    if item.url:
        return urlparse(item.url).netloc.lower().removeprefix("www.")
    return "unknown publisher"


def _source_id(kb: KnowledgeBase, publisher: str, published: dt.date, taken: set[str]) -> str:
    base = f"{slug(publisher, 40)}-{published.isoformat()}"
    ident, n = base, 2
    while ident in kb.sources or ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


class _Dumper(yaml.SafeDumper):
    """The base's style: no anchors, flow lists of scalars, small nested maps inline."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list, tuple))


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(_scalar(v) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = "id" not in data and all(_scalar(v) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _dict)


def _dump(entries: list[dict[str, Any]]) -> str:
    """YAML in the base's style, one block entry per item."""
    text = yaml.dump(entries, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return re.sub(r"\n(?=- )", "\n\n", text) if len(entries) > 1 else text


def _source_entry(source_id: str, item: Article, added: dt.date) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": source_id}
    entry["title"] = item.title or item.text.strip().splitlines()[0][:150]
    if not item.title:
        entry["title_note"] = "the article has no title; its first line stands in"
    entry["publisher"] = _publisher(item)
    entry["published"] = item.published or added
    if not item.published:
        entry["published_note"] = "not stated; the day the article was added (check it)"
    entry["language"] = item.language
    if item.url:
        entry["url"] = item.url
    entry["added"] = added
    return entry


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _append(old: bytes, block: str) -> bytes:
    text = old.decode("utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    return (text + "\n" + block).encode("utf-8")


def commit(root: Path, changes: dict[str, bytes | None]) -> None:
    """Apply `changes` (relative path -> new content, None to delete) to the base at
    `root` all at once: staged and validated on a copy first, then each file replaced
    atomically; if any replacement fails, the files already replaced are restored."""
    with tempfile.TemporaryDirectory(prefix="attache-kb-") as staging:
        staged = Path(staging) / "base"
        shutil.copytree(root, staged, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        for name, content in changes.items():
            target = staged / name
            if content is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        kb, problems = check(staged)
        if kb is None:
            shown = "; ".join(str(p) for p in problems[:3])
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise IngestError(
                f"the result would not be a valid base, nothing changed: {shown}{more}"
            )
    originals = {name: (root / name).read_bytes() for name in changes if (root / name).is_file()}
    done: list[str] = []
    try:
        for name, content in changes.items():
            _replace(root / name, content)
            done.append(name)
    except OSError as exc:
        for name in done:
            _replace(root / name, originals.get(name))
        raise IngestError(f"cannot write the fact base ({exc}); nothing changed") from None


def _replace(target: Path, content: bytes | None) -> None:
    if content is None:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o777)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _load(root: Path) -> KnowledgeBase:
    kb, problems = check(root)
    if kb is None:
        raise IngestError(
            f"the fact base at {root} has {len(problems)} problem(s); fix them first "
            f"(attache kb check): {problems[0]}"
        )
    return kb


def _articles(source: str) -> tuple[list[tuple[Article | None, FeedItem | None]], bool]:
    """The articles to add: one, or a feed's items (read later, one by one)."""
    try:
        found = articles.read(source)
    except ArticleError as exc:
        raise IngestError(str(exc)) from None
    if isinstance(found, list):
        if not found:
            raise IngestError(f"{source}: the feed has no items linking to articles")
        return [(None, item) for item in found], True
    return [(found, None)], False


@contextmanager
def _one_editor(root: Path) -> Iterator[None]:
    """Hold the base's edit lock: two editors adding at once must not lose an edit."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"attache-kb-{key}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def add(
    source: str,
    root: Path,
    added: dt.date | None = None,
    overrides: Overrides = Overrides(),
) -> tuple[list[Added], list[Skipped]]:
    """Draft `source` (a file, URL or feed) into the base at `root`, for review.

    A single article already in the base (same url or text), or one that cannot be
    read, raises IngestError; a feed's items that are known or unreadable are skipped.
    Nothing is written unless every draft validates with the rest of the base."""
    with _one_editor(root):
        return _add(source, root, added or dt.date.today(), overrides)


def _add(
    source: str, root: Path, added: dt.date, overrides: Overrides
) -> tuple[list[Added], list[Skipped]]:
    kb = _load(root)
    known = _known_texts(root)
    wanted, is_feed = _articles(source)
    done: list[Added] = []
    skipped: list[Skipped] = []
    changes: dict[str, bytes | None] = {}
    sources_text = _read_bytes(root / "sources.yaml")
    entities_text = _read_bytes(root / "entities.yaml")
    taken: set[str] = set()
    for item, hint in wanted:
        try:
            item = item or articles.read_page(hint.url if hint else "", hint)
        except ArticleError as exc:
            skipped.append(Skipped(hint.url if hint else source, str(exc)))
            continue
        if not is_feed:
            item = replace(
                item,
                title=overrides.title or item.title,
                publisher=overrides.publisher or item.publisher,
                published=overrides.published or item.published,
                url=overrides.url or item.url,
            )
        duplicate = _duplicate(kb, known, item)
        if duplicate:
            if not is_feed:
                raise IngestError(f"this article is already in the base as source {duplicate!r}")
            skipped.append(Skipped(item.url or source, f"already in the base as {duplicate}"))
            continue
        published = item.published or added
        source_id = _source_id(kb, _publisher(item), published, taken)
        taken.add(source_id)
        try:
            drafted = draft(kb, item, source_id, added)
        except Exception as exc:  # a drafting bug must not cost the user a traceback
            raise IngestError(
                f"could not draft {item.url or source} ({exc.__class__.__name__}: {exc}); "
                "please report this"
            ) from exc
        if not drafted.facts:
            reason = "no dated event or statement found: is it a news article?"
            if not is_feed:
                raise IngestError(f"nothing to add from {source}: {reason}")
            skipped.append(Skipped(item.url or source, reason))
            continue
        notes = [] if item.published else ["the publication date was not found: check it"]
        entry = _source_entry(source_id, item, added)
        sources_text = _append(sources_text, _begin(source_id) + _dump([entry]) + _end(source_id))
        if drafted.entities:
            block = _begin(source_id) + _dump(drafted.entities) + _end(source_id)
            entities_text = _append(entities_text, block)
        header = (
            f"# Source: {source_id}, drafted by `attache kb add` on {added.isoformat()}.\n"
            f"# Review every fact, then: attache kb approve {source_id}\n"
        )
        changes[f"facts/{source_id}.yaml"] = (header + _dump(drafted.facts)).encode("utf-8")
        changes[f"{ARTICLES}/{source_id}.txt"] = (item.text.strip() + "\n").encode("utf-8")
        known[text_hash(item.text)] = source_id
        kb = _with_draft(kb, drafted)
        done.append(Added(source_id, item, drafted, notes))
    if not done:
        reasons = "; ".join(f"{s.url}: {s.reason}" for s in skipped[:3])
        raise IngestError(f"nothing new to add ({reasons})")
    changes["sources.yaml"] = sources_text
    changes["entities.yaml"] = entities_text
    commit(root, changes)
    return done, skipped


def _with_draft(kb: KnowledgeBase, drafted: Draft) -> KnowledgeBase:
    """The base as the next feed item sees it: with this draft's entities and facts, so
    two items naming the same new person share one entity."""
    entities = dict(kb.entities)
    entities.update((raw["id"], Entity(**raw)) for raw in drafted.entities)
    return KnowledgeBase(
        kb.root, kb.sources, entities, [*kb.facts, *(Fact(**f) for f in drafted.facts)]
    )


def _without_block(text: str, source_id: str) -> tuple[str, bool]:
    begin, end = _begin(source_id), _end(source_id)
    start = text.find(begin)
    if start < 0:
        return text, False
    stop = text.find(end, start)
    stop = len(text) if stop < 0 else stop + len(end)
    if start > 0 and text[start - 1] == "\n" and text[start - 2 : start] == "\n\n":
        start -= 1
    return text[:start] + text[stop:], True


def _unmarked(text: str, source_id: str) -> str:
    return text.replace(_begin(source_id), f"# {source_id}\n").replace(_end(source_id), "")


def approve(root: Path, source_id: str) -> int:
    """Mark every fact of `source_id` reviewed; the number of facts approved."""
    with _one_editor(root):
        return _approve(root, source_id)


def _approve(root: Path, source_id: str) -> int:
    kb = _load(root)
    if source_id not in kb.sources:
        raise IngestError(f"no source {source_id!r} in the base (see sources.yaml)")
    facts_path = root / "facts" / f"{source_id}.yaml"
    facts_text = _read_bytes(facts_path).decode("utf-8")
    pending = len(_REVIEW_LINE.findall(facts_text))
    changes: dict[str, bytes | None] = {}
    for name in ("sources.yaml", "entities.yaml"):
        old = _read_bytes(root / name).decode("utf-8")
        new = _unmarked(old, source_id)
        if new != old:
            changes[name] = new.encode("utf-8")
    if pending:
        approved = _REVIEW_LINE.sub("", facts_text)
        approved = approved.replace(
            f"# Review every fact, then: attache kb approve {source_id}\n", ""
        )
        changes[f"facts/{source_id}.yaml"] = approved.encode("utf-8")
    if not changes:
        raise IngestError(f"source {source_id!r} has no facts awaiting review")
    commit(root, changes)
    return pending


def discard(root: Path, source_id: str) -> int:
    """Remove the draft of `source_id` (source, new entities, facts, text); the number
    of facts removed. An approved source is not a draft and is refused."""
    with _one_editor(root):
        return _discard(root, source_id)


def _discard(root: Path, source_id: str) -> int:
    kb = _load(root)
    changes: dict[str, bytes | None] = {}
    found = False
    for name in ("sources.yaml", "entities.yaml"):
        new, removed = _without_block(_read_bytes(root / name).decode("utf-8"), source_id)
        if removed:
            changes[name] = new.encode("utf-8")
            found = found or name == "sources.yaml"
    if not found:
        if source_id in kb.sources:
            raise IngestError(f"source {source_id!r} is approved, not a draft: edit the files")
        raise IngestError(f"no draft {source_id!r} in the base")
    removed_facts = sum(1 for f in kb.facts if f.source == source_id)
    changes[f"facts/{source_id}.yaml"] = None
    changes[f"{ARTICLES}/{source_id}.txt"] = None
    commit(root, changes)
    return removed_facts


# --- the review summary ------------------------------------------------------------------


def _when(value: Any) -> str:
    if isinstance(value, dict):
        return f"{value['start']}..{value['end']}"
    return str(value)


def summary(added: list[Added], skipped: list[Skipped], root: Path) -> str:
    """What was drafted, for the reviewer: facts with dates, new entities, unsure links."""
    lines = []
    for item in added:
        d, a = item.draft, item.article
        published = a.published.isoformat() if a.published else "date not found"
        lines.append(
            f"Drafted {item.source_id}: {a.title or '(no title)'} "
            f"({a.publisher or 'publisher unknown'}, {published}, {a.language})"
        )
        lines.append(f"  {len(d.facts)} fact(s), review pending:")
        for fact in d.facts:
            status = " (announced)" if fact.get("status") else ""
            lines.append(
                f"    {_when(fact['date']):<12} {fact['kind']:<12} {fact['headline']}{status}"
            )
            lines.append(f"    {'':<12} {'':<12} date: {fact['date_note']}")
        if d.entities:
            lines.append(f"  {len(d.entities)} new entit{'y' if len(d.entities) == 1 else 'ies'}:")
            for e in d.entities:
                roles = "; ".join(
                    f"{r['title']}" + (f", {r['country']}" if r.get("country") else "")
                    for r in e.get("roles", [])
                )
                lines.append(f"    {e['id']} ({e['type']}{': ' + roles if roles else ''})")
        if d.linked:
            linked = ", ".join(f'{k} ("{v}")' for k, v in sorted(d.linked.items()))
            lines.append(f"  Linked to existing entities: {linked}")
        unsure = [*item.notes, *d.unsure]
        if unsure:
            lines.append("  Check these:")
            lines += [f"    - {note}" for note in unsure]
        lines.append(
            f"  Review {root / 'facts' / (item.source_id + '.yaml')}, then: "
            f"attache kb approve {item.source_id}   (or: attache kb discard {item.source_id})"
        )
    for skip in skipped:
        lines.append(f"Skipped {skip.url}: {skip.reason}")
    return "\n".join(lines)
