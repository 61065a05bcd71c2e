"""The `attache` command: the core commands (bot.cli) plus `serve`, the Slack app."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackClientError

from bot import cli as core
from bot.store import Store, StoreError
from handlers.settings import Settings, SettingsError


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env(socket_mode=args.socket)
    except SettingsError as exc:
        print(f"attache: {exc}", file=sys.stderr)
        return core.EXIT_USAGE
    engine = core.load_engine(args.knowledge or settings.knowledge)
    if engine is None:
        return core.EXIT_USAGE
    try:
        store = Store(settings.database_url)
        store.create_schema()
    except StoreError as exc:
        print(f"attache: {exc}. Check ATTACHE_DATABASE_URL.", file=sys.stderr)
        return core.EXIT_USAGE
    from handlers.app import build_app
    from handlers.server import serve_http, serve_socket

    try:
        app = build_app(settings, engine, store, socket_mode=args.socket)
    except (BoltError, SlackClientError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        print(
            f"attache: Slack did not accept SLACK_BOT_TOKEN ({first}); check the token.",
            file=sys.stderr,
        )
        return core.EXIT_USAGE
    except OSError as exc:
        where = settings.api_url or "https://slack.com/api/"
        print(
            f"attache: cannot reach Slack at {where} ({exc}); check the network or SLACK_API_URL.",
            file=sys.stderr,
        )
        return core.EXIT_USAGE
    if args.socket:
        serve_socket(app, settings.app_token or "")
    else:
        serve_http(app, store, settings.port)
    return core.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = core.build_parser()
    serve = commands.add_parser(
        "serve", help="run the Slack app (HTTP, or Socket Mode with --socket)"
    )
    serve.add_argument(
        "--socket", action="store_true", help="connect with Socket Mode (needs SLACK_APP_TOKEN)"
    )
    serve.add_argument(
        "--knowledge", metavar="PATH", help="fact-base folder (default: $ATTACHE_KNOWLEDGE)"
    )
    return core.main(argv, parser=parser, extra={"serve": _serve})
