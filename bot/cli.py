"""The `attache` command: ask, chat, kb check, kb build, bench."""

from __future__ import annotations

import argparse
import datetime as dt
import json
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

    sub.add_parser("chat", parents=[common], help="an interactive console").set_defaults(run=_chat)

    kb = sub.add_parser("kb", help="fact-base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_check = kb_sub.add_parser("check", help="validate a fact base")
    kb_check.add_argument("path", nargs="?", help="fact-base folder (default: as for --knowledge)")
    kb_check.set_defaults(run=_kb_check)
    kb_build = kb_sub.add_parser("build", help="build the index of a fact base once, ahead of time")
    kb_build.add_argument("--knowledge", metavar="PATH", help="fact-base folder")
    kb_build.add_argument(
        "--out",
        metavar="DIR",
        help="write a shared, read-only index here (use it with ATTACHE_INDEX_DIR=DIR); "
        "default: the private cache",
    )
    kb_build.set_defaults(run=_kb_build)

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


def load_engine(path: str | None) -> Engine | None:
    """The engine, or None after printing every fact-base problem (one per line)."""
    try:
        return Engine.from_path(path)
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
    engine = load_engine(args.knowledge)
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
    engine = load_engine(args.knowledge)
    if engine is None:
        return EXIT_USAGE
    stats = engine.stats()
    print(
        f"attache: {stats['facts']} facts from {stats['sources']} sources, "
        f"{stats['first']} to {stats['last']}. Ask a question; an empty line or Ctrl-D quits."
    )
    while True:
        try:
            question = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        if not question.strip() or question.strip().lower() in ("quit", "exit", ":q"):
            return EXIT_OK
        print(engine.ask(question, args.today).render())
        print()


def _kb_check(args: argparse.Namespace) -> int:
    kb, problems = check(args.path)
    if kb is None:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) found.")
        return EXIT_USAGE
    print(
        f"OK: {len(kb.facts)} facts, {len(kb.entities)} entities, {len(kb.sources)} sources in {kb.root}"
    )
    return EXIT_OK


def _kb_build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot import cache
    from bot.index import build
    from bot.knowledge import resolve_path

    root = resolve_path(args.knowledge)
    started = time.perf_counter()
    key = cache.fingerprint(root) if root.is_dir() else ""
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
        index = build(kb)
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
