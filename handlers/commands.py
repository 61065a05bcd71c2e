"""The /attache slash command: questions, help, timelines and the daily digest."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import digest
from bot.workqueue import NewWork
from handlers import editing
from handlers.blocks import answer_messages, digest_message, help_message, notice

if TYPE_CHECKING:
    from handlers.app import Deps

COMMAND = "/attache"
COMMANDS = (COMMAND,)
SCOPES = {"commands", "users:read"}  # users:read: the subscriber's time zone
HELP_WORDS = {"", "help", "?", "-h", "--help", "trợ giúp", "tro giup"}
EVERY_DAY_WORDS = {"daily", "always", "every-day", "everyday"}
UNAVAILABLE = (
    "attache could not take your question just now (its database is not answering): "
    "please ask again in a minute."
)
DIGEST_USAGE = (
    "Usage: /attache digest on [HH:MM] [Area/City] [daily] | off | status | preview. "
    "For example: /attache digest on 08:00 Asia/Ho_Chi_Minh"
)


def _user_zone(client: WebClient, user_id: str) -> str:
    """The user's time zone as set in Slack, else UTC."""
    try:
        user: dict[str, Any] = client.users_info(user=user_id).get("user") or {}
        tz = user.get("tz")
    except SlackApiError:
        tz = None
    return tz if tz and digest.zone(tz) else "UTC"


def digest_command(
    words: list[str], command: dict[str, Any], deps: Deps, client: WebClient
) -> dict:
    """`/attache digest ...`: turn the channel's digest on or off, show it, or preview it."""
    channel, user = command["channel_id"], command["user_id"]
    action = words[0].lower() if words else "status"
    now = dt.datetime.now(dt.UTC)
    if action == "on":
        post_time, zone_name, every_day = digest.DEFAULT_TIME, None, False
        for word in words[1:]:
            if word.lower() in EVERY_DAY_WORDS:
                every_day = True
            elif ":" in word or word[:1].isdigit():
                parsed = digest.parse_time(word)
                if parsed is None:
                    return notice(
                        f"“{word}” is not a time of day: use HH:MM, for example 08:00. Nothing was changed."
                    )
                post_time = parsed
            elif digest.zone(word) is None:
                return notice(
                    f"“{word}” is not a time zone: use Area/City, for example Asia/Ho_Chi_Minh or Europe/Paris. Nothing was changed."
                )
            else:
                zone_name = word
        zone_name = zone_name or _user_zone(client, user)
        deps.store.subscribe(channel, post_time, zone_name, every_day, user)
        when = digest.first_post(post_time, zone_name, now)
        extra = "every day" if every_day else "on days with something to report"
        return notice(
            f"Daily digest at {post_time} {zone_name}, starting {when} ({extra}). Turn it off with /attache digest off."
        )
    if action == "off":
        if deps.store.unsubscribe(channel, reason=f"turned off by {user}"):
            return notice("Daily digest turned off for this channel.")
        return notice(
            "This channel has no daily digest. Turn one on with /attache digest on 08:00 Asia/Ho_Chi_Minh"
        )
    if action == "status":
        sub = deps.store.subscription(channel)
        if sub is None or not sub.active:
            return notice(
                "This channel has no daily digest. Turn one on with /attache digest on 08:00 Asia/Ho_Chi_Minh"
            )
        last = deps.store.last_posted(channel, before=dt.date.max)
        extra = f"; last posted {last.strftime('%d %B %Y')}" if last else ""
        return notice(f"Daily digest at {sub.post_time} {sub.timezone}{extra}.")
    if action == "preview":
        sub = deps.store.subscription(channel)
        zone_name = sub.timezone if sub else _user_zone(client, user)
        day, _ = digest.local_day("00:00", zone_name, now)
        since = deps.store.last_posted(channel, day) if sub else None
        return digest_message(digest.compose(deps.engine, day, since=since))
    return notice(DIGEST_USAGE)


def answer_command(command: dict[str, Any], deps: Deps, client: WebClient) -> list[dict]:
    """The messages for `/attache <text>` (visible to the asker only)."""
    text = (command.get("text") or "").strip()
    words = text.split()
    word = words[0].lower() if words else ""
    if word in HELP_WORDS:
        return [help_message(deps.engine.stats())]
    if word == "digest":
        return [digest_command(words[1:], command, deps, client)]
    if word == "add" and editing.is_add(text[len(words[0]) :], command):
        return editing.add_command(text[len(words[0]) :], command, deps)
    if word == "timeline":
        rest = text[len(words[0]) :].strip()
        if not rest:
            return [
                notice(
                    "Which dates? For example: /attache timeline 18/12/2024, or /attache timeline September 2024"
                )
            ]
        return answer_messages(deps.ask(f"timeline {rest}"), shareable=True)
    return answer_messages(deps.ask(text), shareable=True)


def command_work(command: dict[str, Any], request_key: str) -> NewWork:
    """A slash command as queue work; a replay of the same signed request has the same key."""
    return NewWork(
        dedupe_key=f"request:{request_key}",
        kind="command",
        payload=dict(command),
        team_id=command.get("team_id"),
        channel_id=command.get("channel_id"),
        user_id=command.get("user_id"),
        response_url=command.get("response_url"),
    )


def register(app: App, deps: Deps) -> None:
    """Socket Mode's /attache: queued before it is acknowledged (over HTTP the server
    queues commands itself before Bolt sees them)."""

    @app.command(COMMAND)
    def on_command(ack: Ack, body: dict[str, Any], command: dict[str, Any]) -> None:
        """Queue the command, then acknowledge (or say the database is not answering)."""
        key = str(body.get("trigger_id") or f"{command.get('user_id')}:{time.time()}")
        try:
            deps.intake.accept(command_work(command, key))
        except SQLAlchemyError:
            ack(response_type="ephemeral", text=UNAVAILABLE)
            return
        ack()
