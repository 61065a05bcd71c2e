"""The `attache` command: the core commands (bot.cli) plus `serve` and `digest run-due`.

Slack, SQLAlchemy and the server are imported only by the commands that use them, so
`attache ask`, `chat` and `kb` start without paying for them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import cli as core
from bot.errors import AttacheError

if TYPE_CHECKING:
    from bot.reload import EngineHolder
    from bot.store import Store, StoreError
    from handlers.app import Attache
    from handlers.settings import Settings

STARTUP_DEADLINE = 15.0  # seconds to reach and migrate the database before giving up
WAIT_LOG_EVERY = 5.0  # seconds between "still waiting" lines with ATTACHE_DB_WAIT

log = logging.getLogger("attache")


class StartupError(AttacheError):
    """attache cannot start; the message says why and what to check."""


def _open_database(settings: Settings) -> Store:
    """The migrated database, within STARTUP_DEADLINE seconds (or, with ATTACHE_DB_WAIT,
    however long it takes, saying so every few seconds). Raises StoreError."""
    from bot.store import Store, StoreError

    store = Store(settings.database_url, timeout=settings.db_timeout)
    while True:
        problem = _migrate_within(store, STARTUP_DEADLINE)
        if problem is None:
            return store
        if not settings.db_wait:
            raise StoreError(f"{problem}. Check ATTACHE_DATABASE_URL.")
        log.warning("waiting for the database (ATTACHE_DB_WAIT is set): %s", problem)
        time.sleep(WAIT_LOG_EVERY)


def _migrate_within(store: Store, seconds: float) -> StoreError | None:
    """Migrate in a daemon thread (a database that never answers cannot keep the process
    from exiting); the error, or None once done."""
    from bot.store import StoreError

    outcome: list[StoreError | None] = []

    def migrate() -> None:
        try:
            store.migrate()
            outcome.append(None)
        except StoreError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=migrate, name="attache-migrate", daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        return StoreError(f"the database at {store.where} did not answer within {seconds:.0f} s")
    return outcome[0]


def _start(args: argparse.Namespace, socket_mode: bool) -> tuple[Settings, EngineHolder, Attache]:
    """Settings, fact base (in its reloading holder), database and Slack app;
    AttacheError says why not, in one line."""
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackClientError

    from bot.knowledge import resolve_path
    from bot.reload import EngineHolder
    from handlers import logs, metrics
    from handlers.settings import Settings

    settings = Settings.from_env(socket_mode=socket_mode)
    logs.configure(settings.log_format)
    engine = core.load_engine(args.knowledge or settings.knowledge)
    if engine is None:
        raise StartupError("the fact base is invalid (see above)")
    holder = EngineHolder(engine, resolve_path(args.knowledge or settings.knowledge))
    store = _open_database(settings)
    from handlers.app import build_app

    try:
        attache = build_app(settings, holder, store, socket_mode=socket_mode)
    except (BoltError, SlackClientError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise StartupError(
            f"Slack did not accept SLACK_BOT_TOKEN ({first}); check the token."
        ) from None
    except OSError as exc:
        where = settings.api_url or "https://slack.com/api/"
        raise StartupError(
            f"cannot reach Slack at {where} ({exc}); check the network or SLACK_API_URL."
        ) from None
    metrics.FACT_BASE.info({k: str(v) for k, v in engine.stats().items()})
    return settings, holder, attache


def _serve(args: argparse.Namespace) -> int:
    from bot import reload

    poll = reload.poll_seconds()
    if poll is None:
        raise StartupError(
            "ATTACHE_KNOWLEDGE_POLL must be a number of seconds (0 turns reloading off)."
        )
    settings, holder, attache = _start(args, socket_mode=args.socket)
    from handlers.scheduler import Ticker
    from handlers.server import serve_http, serve_socket

    if poll > 0:
        holder.start(poll)
    if settings.digest_tick > 0:
        Ticker(attache.app.client, holder, attache.store, every=settings.digest_tick).start()
    if args.socket:
        serve_socket(attache, settings.app_token or "", settings)
    else:
        serve_http(attache, settings, holder=holder)
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
    _, holder, attache = _start(args, socket_mode=False)
    from handlers.scheduler import run_due

    now = args.now or dt.datetime.now(dt.UTC)
    outcomes = run_due(now, attache.app.client, holder.engine, attache.store)
    for outcome in outcomes:
        print(f"{outcome.channel_id} {outcome.day.isoformat()} {outcome.status}")
    print(f"{len(outcomes)} digest(s) handled")
    return 1 if any(o.status == "failed" for o in outcomes) else core.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run `attache`; an AttacheError anywhere ends it with its one line and exit code."""
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
    try:
        return core.main(argv, parsers)
    except AttacheError as exc:
        print(f"attache: {exc}", file=sys.stderr)
        return exc.exit_code
