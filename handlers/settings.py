"""Configuration: one Settings object, read once from the environment and passed down."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import AttacheError
from bot.store import DEFAULT_URL

DEFAULT_PORT = 3000
# Every environment variable attache reads (deploy/ files may set only these).
ENVIRONMENT = frozenset(
    {
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "ATTACHE_DATABASE_URL",
        "ATTACHE_KNOWLEDGE",
        "ATTACHE_CACHE_DIR",
        "ATTACHE_INDEX_DIR",
        "ATTACHE_DIGEST_TICK",
        "ATTACHE_KNOWLEDGE_POLL",
        "ATTACHE_ARTICLES",
        "ATTACHE_EDITORS",
        "ATTACHE_SERVE_DRAFTS",
        "ATTACHE_HOST",
        "ATTACHE_DB_TIMEOUT",
        "ATTACHE_DB_WAIT",
        "ATTACHE_SHUTDOWN_GRACE",
        "ATTACHE_RETENTION_DAYS",
        "ATTACHE_WORKERS",
        "ATTACHE_SLACK_TIMEOUT",
        "ATTACHE_QUEUE_LEASE",
        "ATTACHE_LOG_FORMAT",
        "PORT",
    }
)

# Where each secret lives in Slack's app settings (https://api.slack.com/apps).
WHERE = {
    "SLACK_BOT_TOKEN": "OAuth & Permissions > Bot User OAuth Token (starts xoxb-)",
    "SLACK_SIGNING_SECRET": "Basic Information > App Credentials > Signing Secret",
    "SLACK_APP_TOKEN": "Basic Information > App-Level Tokens, with the connections:write scope (starts xapp-)",
}
LOG_FORMATS = ("text", "json")


def editor_ids() -> frozenset[str]:
    """Slack user ids in $ATTACHE_EDITORS (comma- or space-separated): the people who
    edit the fact base and see, on their App Home, what attache could not answer."""
    return frozenset(re.split(r"[\s,]+", os.environ.get("ATTACHE_EDITORS", "").strip())) - {""}


class SettingsError(AttacheError):
    """A setting is missing or malformed; the message says what to do, in one line."""


def _number(env: Mapping[str, str], name: str, default: float, minimum: float = 0) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= minimum:  # also false for NaN
        raise SettingsError(f"{name} must be a number of at least {minimum:g}, not {text!r}.")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything attache reads from the environment, with its defaults."""

    bot_token: str
    signing_secret: str
    app_token: str | None
    api_url: str | None
    database_url: str
    knowledge: str | None
    port: int
    host: str = "0.0.0.0"  # every interface: right in a container; set 127.0.0.1 behind a proxy
    db_timeout: float = 5.0  # seconds to connect, and for any one statement
    db_wait: bool = False  # at start, wait for the database instead of exiting
    shutdown_grace: float = 20.0  # seconds to finish answers in hand after SIGTERM
    retention_days: float = 7.0  # finished queue rows and handled-event keys kept this long
    workers: int = 4  # threads answering queued requests
    slack_timeout: float = 10.0  # seconds for any one Web API or response_url call
    queue_lease: float = 10.0  # seconds a claimed request is held before another may take it
    digest_tick: float = 30.0  # seconds between digest checks; 0 turns the ticker off
    log_format: str = "text"

    @classmethod
    def from_env(cls, socket_mode: bool = False, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check every setting; SettingsError names the first one that is wrong."""
        env = os.environ if env is None else env
        required = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET"]
        for name in required:
            if not env.get(name, "").strip():
                raise SettingsError(
                    f"{name} is not set: copy it from your Slack app's settings, {WHERE[name]}."
                )
        port_text = env.get("PORT", str(DEFAULT_PORT))
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SettingsError(f"PORT must be a port number (1-65535), not {port_text!r}.")
        api_url = env.get("SLACK_API_URL") or None
        if api_url and not api_url.endswith("/"):
            api_url += "/"
        log_format = env.get("ATTACHE_LOG_FORMAT", "text").strip().lower() or "text"
        if log_format not in LOG_FORMATS:
            raise SettingsError(f"ATTACHE_LOG_FORMAT must be text or json, not {log_format!r}.")
        return cls(
            bot_token=env["SLACK_BOT_TOKEN"].strip(),
            signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            app_token=env.get("SLACK_APP_TOKEN", "").strip() or None,
            api_url=api_url,
            database_url=env.get("ATTACHE_DATABASE_URL") or DEFAULT_URL,
            knowledge=env.get("ATTACHE_KNOWLEDGE") or None,
            port=int(port_text),
            host=env.get("ATTACHE_HOST", "").strip() or "0.0.0.0",
            db_timeout=_number(env, "ATTACHE_DB_TIMEOUT", 5.0, minimum=0.5),
            db_wait=env.get("ATTACHE_DB_WAIT", "").strip().lower() in ("1", "true", "yes", "on"),
            shutdown_grace=_number(env, "ATTACHE_SHUTDOWN_GRACE", 20.0),
            retention_days=_number(env, "ATTACHE_RETENTION_DAYS", 7.0, minimum=0.01),
            workers=int(_number(env, "ATTACHE_WORKERS", 4, minimum=1)),
            slack_timeout=_number(env, "ATTACHE_SLACK_TIMEOUT", 10.0, minimum=1),
            queue_lease=_number(env, "ATTACHE_QUEUE_LEASE", 10.0, minimum=1),
            digest_tick=_number(env, "ATTACHE_DIGEST_TICK", 30.0),
            log_format=log_format,
        )
