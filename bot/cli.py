"""The `attache` command: ask, chat, kb check, kb build, kb add/approve/discard,
report unanswered, bench."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from bot.engine import Engine
from bot.knowledge import KnowledgeBaseError, check

EXIT_OK, EXIT_USAGE = 0, 2


def _today(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


Command = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Parsers:
    """The parser and the sub-command groups `handlers.cli` adds to."""

    root: argparse.ArgumentParser
    commands: argparse._SubParsersAction
    digest: argparse._SubParsersAction


def build_parser() -> Parsers:
    parser = argparse.ArgumentParser(
        prog="attache",
        description="Answers questions about Vietnam's defence cooperation from a cited fact base.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--knowledge",
        metavar="PATH",
        help="fact-base folder (default: $ATTACHE_KNOWLEDGE, else the bundled base)",
    )
    common.add_argument(
        "--drafts",
        action="store_true",
        default=None,
        help="also use facts awaiting review (default: $ATTACHE_SERVE_DRAFTS)",
    )
    common.add_argument(
        "--today",
        type=_today,
        metavar="YYYY-MM-DD",
        help="the date that relative dates ('last month') count from (default: today)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", parents=[common], help="answer one question (or a batch)")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--batch", metavar="FILE", help="read one question per line ('-' for stdin)")
    ask.set_defaults(run=_ask)

    chat = sub.add_parser(
        "chat", parents=[common], help="a conversation: follow-up questions refer to earlier ones"
    )
    chat.add_argument(
        "--json",
        action="store_true",
        help="read one question per line, print one JSON object per answer (as ask --json)",
    )
    chat.set_defaults(run=_chat)

    kb = sub.add_parser("kb", help="fact-base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_check = kb_sub.add_parser("check", help="validate a fact base")
    kb_check.add_argument("path", nargs="?", help="fact-base folder (default: as for --knowledge)")
    kb_check.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (for editors and CI)"
    )
    kb_check.set_defaults(run=_kb_check)
    kb_build = kb_sub.add_parser(
        "build",
        help="build the index of a fact base once, ahead of time "
        "(with facts awaiting review when ATTACHE_SERVE_DRAFTS=1, as served)",
    )
    kb_build.add_argument("--knowledge", metavar="PATH", help="fact-base folder")
    kb_build.add_argument(
        "--out",
        metavar="DIR",
        help="write a shared, read-only index here (use it with ATTACHE_INDEX_DIR=DIR); "
        "default: the private cache",
    )
    kb_build.set_defaults(run=_kb_build)
    _add_kb_editing(kb_sub)

    report = sub.add_parser("report", help="reports for editors")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    unanswered = report_sub.add_parser(
        "unanswered", help="questions attache could not answer, grouped by similarity"
    )
    unanswered.add_argument(
        "--since",
        type=_today,
        metavar="YYYY-MM-DD",
        help="only questions asked on or after this day (default: all kept, 90 days)",
    )
    unanswered.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: $ATTACHE_DATABASE_URL, else sqlite:///attache.sqlite3)",
    )
    unanswered.set_defaults(run=_report_unanswered)

    bench = sub.add_parser("bench", help="benchmark the engine on synthetic fact bases")
    bench.add_argument("--sizes", default="1000,10000,100000", help="comma-separated fact counts")
    bench.add_argument("--questions", type=int, default=400, help="questions per size")
    bench.set_defaults(run=_bench)

    digest_parser = sub.add_parser("digest", help="the daily digest")
    digest_sub = digest_parser.add_subparsers(dest="digest_command", required=True)
    preview = digest_sub.add_parser("preview", help="print the digest for a day")
    preview.add_argument(
        "--date", type=_today, metavar="YYYY-MM-DD", help="the day (default: today)"
    )
    preview.add_argument(
        "--since",
        type=_today,
        metavar="YYYY-MM-DD",
        help="count sources added after this day as new (default: the day before)",
    )
    preview.add_argument("--knowledge", metavar="PATH", help="fact-base folder")
    preview.set_defaults(run=_digest_preview)
    return Parsers(parser, sub, digest_sub)


def _add_kb_editing(kb_sub: argparse._SubParsersAction) -> None:
    """`kb add`, `kb approve` and `kb discard`: drafting a source and reviewing it."""
    kb_add = kb_sub.add_parser(
        "add", help="draft a new source from an article file, a URL or an RSS/Atom feed"
    )
    kb_add.add_argument("source", help="an .html/.htm/.txt/.md file, an http(s) URL or a feed")
    kb_add.add_argument("--knowledge", metavar="PATH", help="fact-base folder")
    kb_add.add_argument("--title", help="the article's title, when the page does not say")
    kb_add.add_argument("--publisher", help="who published it, when the page does not say")
    kb_add.add_argument(
        "--published", type=_today, metavar="YYYY-MM-DD", help="its publication date"
    )
    kb_add.add_argument("--url", help="where it was published (for a saved file)")
    kb_add.set_defaults(run=_kb_add)
    for name, run, what in (
        ("approve", _kb_approve, "mark a drafted source's facts reviewed, so they are served"),
        ("discard", _kb_discard, "remove a drafted source, its new entities and facts"),
    ):
        command = kb_sub.add_parser(name, help=what)
        command.add_argument("source_id", help="the source's id (see sources.yaml)")
        command.add_argument("--knowledge", metavar="PATH", help="fact-base folder")
        command.set_defaults(run=run)


def _kb_add(args: argparse.Namespace) -> int:
    from bot import ingest
    from bot.knowledge import resolve_path

    root = resolve_path(args.knowledge)
    overrides = ingest.Overrides(args.title, args.publisher, args.published, args.url)
    try:
        added, skipped = ingest.add(args.source, root, overrides=overrides)
    except ingest.IngestError as exc:
        print(f"attache: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(ingest.summary(added, skipped, root))
    return EXIT_OK


def _kb_approve(args: argparse.Namespace) -> int:
    from bot import ingest
    from bot.knowledge import resolve_path

    try:
        count = ingest.approve(resolve_path(args.knowledge), args.source_id)
    except ingest.IngestError as exc:
        print(f"attache: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Approved {args.source_id}: {count} fact(s) are now served.")
    return EXIT_OK


def _kb_discard(args: argparse.Namespace) -> int:
    from bot import ingest
    from bot.knowledge import resolve_path

    try:
        count = ingest.discard(resolve_path(args.knowledge), args.source_id)
    except ingest.IngestError as exc:
        print(f"attache: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Discarded the draft {args.source_id} and its {count} fact(s).")
    return EXIT_OK


def load_engine(path: str | None, drafts: bool | None = None) -> Engine | None:
    """The engine, or None after printing every fact-base problem (one per line)."""
    try:
        return Engine.from_path(path, drafts=drafts)
    except KnowledgeBaseError as exc:
        print(
            f"attache: the fact base is invalid ({len(exc.problems)} problem(s)):", file=sys.stderr
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        print("Fix them (see `attache kb check`) and try again.", file=sys.stderr)
        return None


def _questions(source: str) -> Iterable[str]:
    stream: TextIO
    if source == "-":
        stream = sys.stdin
        yield from (line.rstrip("\r\n") for line in stream)
        return
    with open(source, encoding="utf-8", errors="replace") as stream:
        yield from (line.rstrip("\r\n") for line in stream)


def _ask(args: argparse.Namespace) -> int:
    if args.batch is None and not args.question:
        print(
            'attache: give a question, e.g. attache ask "who met the Lao defence minister?"',
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.batch not in (None, "-"):
        try:
            open(args.batch, encoding="utf-8").close()
        except OSError as exc:
            print(f"attache: cannot read {args.batch}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    engine = load_engine(args.knowledge, args.drafts)
    if engine is None:
        return EXIT_USAGE
    questions = _questions(args.batch) if args.batch is not None else [" ".join(args.question)]
    for question in questions:
        answer = engine.ask(question, args.today)
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=args.batch is not None)
        else:
            print(answer.render())
            if args.batch is not None:
                print()
    return EXIT_OK


def _chat(args: argparse.Namespace) -> int:
    engine = load_engine(args.knowledge, args.drafts)
    if engine is None:
        return EXIT_USAGE
    interactive = sys.stdin.isatty() and not args.json
    if interactive:
        stats = engine.stats()
        print(
            f"attache: {stats['facts']} facts from {stats['sources']} sources, "
            f"{stats['first']} to {stats['last']}. Ask a question; follow-ups like "
            "“when was that?” refer to the previous answer. An empty line or Ctrl-D quits."
        )
    context = None
    while True:
        try:
            question = input("> ") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        if not interactive and not question:
            return EXIT_OK
        question = question.rstrip("\r\n")
        if interactive and (
            not question.strip() or question.strip().lower() in ("quit", "exit", ":q")
        ):
            return EXIT_OK
        answer = engine.ask(question, args.today, context)
        context = answer.context
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
        else:
            print(answer.render() + "\n", flush=True)


def _kb_check(args: argparse.Namespace) -> int:
    kb, problems = check(args.path)
    if kb is None:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) found.")
        return EXIT_USAGE
    from bot.lints import lint

    warnings = lint(kb)
    for warning in warnings:
        print(f"warning: {warning}")
    summary = f"{len(kb.facts)} facts, {len(kb.entities)} entities, {len(kb.sources)} sources in {kb.root}"
    if warnings and args.strict:
        print(f"{len(warnings)} warning(s), treated as errors (--strict): {summary}")
        return EXIT_USAGE
    extra = f", {len(warnings)} warning(s)" if warnings else ""
    print(f"OK: {summary}{extra}")
    return EXIT_OK


def _report_unanswered(args: argparse.Namespace) -> int:
    from bot import unanswered
    from bot.store import DEFAULT_URL, Store, StoreError

    url = args.database or os.environ.get("ATTACHE_DATABASE_URL") or DEFAULT_URL
    try:
        store = Store(url)
        store.migrate()
        groups = unanswered.grouped(store.engine, args.since)
    except StoreError as exc:
        print(f"attache: {exc}. Check ATTACHE_DATABASE_URL or --database.", file=sys.stderr)
        return EXIT_USAGE
    since = f" since {args.since.isoformat()}" if args.since else ""
    total = sum(g.count for g in groups)
    if not groups:
        print(f"No unanswered questions{since}.")
        return EXIT_OK
    print(f"{total} unanswered question(s){since}, in {len(groups)} group(s), most asked first:")
    for group in groups:
        languages = ", ".join(sorted(group.languages))
        print(f"{group.count:5}  {group.question}  ({languages}; last {group.last_asked})")
        for other in group.examples[1:]:
            print(f"       also: {other}")
    return EXIT_OK


def _kb_build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot import cache
    from bot.index import build
    from bot.knowledge import resolve_path, serve_drafts, served

    root = resolve_path(args.knowledge)
    started = time.perf_counter()
    drafts = serve_drafts()
    key = cache.index_key(root, drafts) if root.is_dir() else ""
    built = Path(args.out) / key if args.out else cache.cache_dir() / key
    if key and (built / "meta.json").is_file():
        print(f"The index of this fact base is already built: {built}")
        return EXIT_OK
    kb, problems = check(root)
    if kb is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found; fix them and build again.", file=sys.stderr)
        return EXIT_USAGE
    with cache.paused_gc():
        index = build(served(kb, drafts))
    where = cache.store_index(index, key, Path(args.out) if args.out else None)
    if where is None:
        target = args.out or cache.cache_dir()
        print(f"attache: cannot write the index to {target}", file=sys.stderr)
        return EXIT_USAGE
    seconds = time.perf_counter() - started
    print(f"Built the index of {len(kb.facts):,} facts in {seconds:.1f} s: {where}")
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from bot.bench import run

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        print("attache: --sizes takes whole numbers, e.g. 1000,10000", file=sys.stderr)
        return EXIT_USAGE
    run(sizes, args.questions)
    return EXIT_OK


def _digest_preview(args: argparse.Namespace) -> int:
    from bot import digest

    engine = load_engine(args.knowledge)
    if engine is None:
        return EXIT_USAGE
    print(digest.compose(engine, args.date or dt.date.today(), since=args.since).text())
    return EXIT_OK


def main(argv: Sequence[str] | None = None, parsers: Parsers | None = None) -> int:
    args = (parsers or build_parser()).root.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
