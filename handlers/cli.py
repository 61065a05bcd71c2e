"""The `attache` command: the core commands (bot.cli) plus `serve` and `digest run-due`.

Slack, SQLAlchemy and the server are imported only by the commands that use them, so
`attache ask`, `chat` and `kb` start without paying for them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import cli as core

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.engine import Engine
    from bot.store import Store
    from handlers.settings import Settings

DEFAULT_TICK_SECONDS = 30.0


def _fail(message: str) -> int:
    print(f"attache: {message}", file=sys.stderr)
    return core.EXIT_USAGE


def _start(
    args: argparse.Namespace, socket_mode: bool
) -> tuple[Settings, Engine, Store, App] | int:
    """Settings, fact base, database and Slack app, or an exit code after one line saying why."""
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackClientError

    from bot.store import Store, StoreError
    from handlers.settings import Settings, SettingsError

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env(socket_mode=socket_mode)
    except SettingsError as exc:
        return _fail(str(exc))
    engine = core.load_engine(args.knowledge or settings.knowledge)
    if engine is None:
        return core.EXIT_USAGE
    try:
        store = Store(settings.database_url)
        store.migrate()
    except StoreError as exc:
        return _fail(f"{exc}. Check ATTACHE_DATABASE_URL.")
    from handlers.app import build_app

    try:
        app = build_app(settings, engine, store, socket_mode=socket_mode)
    except (BoltError, SlackClientError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return _fail(f"Slack did not accept SLACK_BOT_TOKEN ({first}); check the token.")
    except OSError as exc:
        where = settings.api_url or "https://slack.com/api/"
        return _fail(f"cannot reach Slack at {where} ({exc}); check the network or SLACK_API_URL.")
    return settings, engine, store, app


def _tick_seconds() -> float | None:
    text = os.environ.get("ATTACHE_DIGEST_TICK", str(DEFAULT_TICK_SECONDS))
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _serve(args: argparse.Namespace) -> int:
    tick = _tick_seconds()
    if tick is None:
        return _fail(
            "ATTACHE_DIGEST_TICK must be a number of seconds (0 turns the in-process digest off)."
        )
    started = _start(args, socket_mode=args.socket)
    if isinstance(started, int):
        return started
    settings, engine, store, app = started
    from handlers.scheduler import Ticker
    from handlers.server import serve_http, serve_socket

    if tick > 0:
        Ticker(app.client, engine, store, every=tick).start()
    if args.socket:
        serve_socket(app, settings.app_token or "")
    else:
        serve_http(app, store, settings.port)
    return core.EXIT_OK


def _now(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 time, e.g. 2026-11-22T08:05:00+07:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _run_due(args: argparse.Namespace) -> int:
    started = _start(args, socket_mode=False)
    if isinstance(started, int):
        return started
    _, engine, store, app = started
    from handlers.scheduler import run_due

    outcomes = run_due(args.now or dt.datetime.now(dt.UTC), app.client, engine, store)
    for outcome in outcomes:
        print(f"{outcome.channel_id} {outcome.day.isoformat()} {outcome.status}")
    print(f"{len(outcomes)} digest(s) handled")
    return 1 if any(o.status == "failed" for o in outcomes) else core.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parsers = core.build_parser()
    serve = parsers.commands.add_parser(
        "serve", help="run the Slack app (HTTP, or Socket Mode with --socket)"
    )
    serve.add_argument(
        "--socket", action="store_true", help="connect with Socket Mode (needs SLACK_APP_TOKEN)"
    )
    serve.add_argument(
        "--knowledge", metavar="PATH", help="fact-base folder (default: $ATTACHE_KNOWLEDGE)"
    )
    serve.set_defaults(run=_serve)
    due = parsers.digest.add_parser(
        "run-due", help="post the digests due now, once, and exit (for cron)"
    )
    due.add_argument(
        "--now", type=_now, metavar="ISO-8601", help="the time to run as (default: now)"
    )
    due.add_argument(
        "--knowledge", metavar="PATH", help="fact-base folder (default: $ATTACHE_KNOWLEDGE)"
    )
    due.set_defaults(run=_run_due)
    return core.main(argv, parsers)
