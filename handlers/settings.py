"""Configuration, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass

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
        "PORT",
    }
)

# Where each secret lives in Slack's app settings (https://api.slack.com/apps).
WHERE = {
    "SLACK_BOT_TOKEN": "OAuth & Permissions > Bot User OAuth Token (starts xoxb-)",
    "SLACK_SIGNING_SECRET": "Basic Information > App Credentials > Signing Secret",
    "SLACK_APP_TOKEN": "Basic Information > App-Level Tokens, with the connections:write scope (starts xapp-)",
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message says what to do, in one line."""


@dataclass(frozen=True)
class Settings:
    bot_token: str
    signing_secret: str
    app_token: str | None
    api_url: str | None
    database_url: str
    knowledge: str | None
    port: int

    @classmethod
    def from_env(cls, socket_mode: bool = False) -> Settings:
        env = os.environ
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
        return cls(
            bot_token=env["SLACK_BOT_TOKEN"].strip(),
            signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            app_token=env.get("SLACK_APP_TOKEN", "").strip() or None,
            api_url=api_url,
            database_url=env.get("ATTACHE_DATABASE_URL") or DEFAULT_URL,
            knowledge=env.get("ATTACHE_KNOWLEDGE") or None,
            port=int(port_text),
        )
