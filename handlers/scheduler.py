"""Posting digests: `run_due` is the one code path, used by the in-process ticker of
`attache serve` and by `attache digest run-due` (cron, Kubernetes CronJob).

Exactly once per channel per local day, however many replicas run: the right to post
is claimed in the database first (bot.store.Store.claim_digest). chat.postMessage has
no idempotency key, so each digest carries message metadata naming its date; a retry
after an unknown outcome (a timeout, a crash mid-post) first looks for that message in
the channel's recent history and only posts when it is not there.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import digest
from bot.engine import Engine
from bot.reload import EngineHolder, current
from bot.store import Store, Subscription
from handlers import metrics
from handlers.blocks import digest_message
from handlers.slack_api import find_posted

log = logging.getLogger("attache.digest")

METADATA_TYPE = "attache_digest"
# Bot scopes the digest needs (declared in deploy/slack-app-manifest*.yaml): posting in
# public channels without joining, and reading history to find a digest already posted.
SCOPES = {"chat:write.public", "channels:history", "groups:history"}
# Slack errors meaning the bot can no longer post in the channel: stop its digest.
GONE = {"not_in_channel", "channel_not_found", "is_archived", "missing_scope", "restricted_action"}
OWNER = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Outcome:
    channel_id: str
    day: dt.date
    status: str  # posted | found | empty | failed | stopped


def run_due(
    now: dt.datetime, client: WebClient, engine: Engine, store: Store, owner: str = OWNER
) -> list[Outcome]:
    """Post every digest due at `now` (UTC-aware) that no process has posted yet."""
    outcomes = []
    for sub in store.active_subscriptions():
        day, due = digest.local_day(sub.post_time, sub.timezone, now)
        if not due or store.digest_done(sub.channel_id, day):
            continue
        attempt = store.claim_digest(sub.channel_id, day, owner, now)
        if attempt is None:
            continue
        outcome = _deliver(sub, day, attempt, client, engine, store)
        metrics.DIGESTS.labels(outcome.status).inc()
        outcomes.append(outcome)
    return outcomes


def _deliver(
    sub: Subscription, day: dt.date, attempt: int, client: WebClient, engine: Engine, store: Store
) -> Outcome:
    channel = sub.channel_id
    since = store.last_posted(channel, day) or sub.created_at.date()
    content = digest.compose(engine, day, since=since)
    if content.empty and not sub.every_day:
        store.finish_digest(channel, day, "empty")
        return Outcome(channel, day, "empty")
    try:
        if attempt > 1:
            found = _already_posted(client, channel, day, sub.timezone)
            if found:
                store.finish_digest(channel, day, "posted", message_ts=found)
                return Outcome(channel, day, "found")
        message = digest_message(content)
        response = client.chat_postMessage(
            channel=channel,
            metadata={
                "event_type": METADATA_TYPE,
                "event_payload": {"date": day.isoformat(), "channel": channel},
            },
            unfurl_links=False,
            **message,
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown_error"))
        if error in GONE:
            store.finish_digest(channel, day, "abandoned", error=error)
            store.unsubscribe(channel, reason=error)
            log.warning(
                "digest for %s turned off: Slack says %s (the bot was removed or the channel archived)",
                channel,
                error,
            )
            return Outcome(channel, day, "stopped")
        store.finish_digest(channel, day, "failed", error=error)
        log.warning("digest for %s on %s failed (%s); it will be retried", channel, day, error)
        return Outcome(channel, day, "failed")
    except Exception as exc:  # outcome unknown (timeout, connection reset): look before retrying
        store.finish_digest(channel, day, "failed", error=exc.__class__.__name__)
        log.warning(
            "digest for %s on %s: outcome unknown (%s); will check history and retry",
            channel,
            day,
            exc,
        )
        return Outcome(channel, day, "failed")
    store.finish_digest(channel, day, "posted", message_ts=response.get("ts"))
    log.info("digest for %s on %s posted", channel, day)
    return Outcome(channel, day, "posted")


def _already_posted(client: WebClient, channel: str, day: dt.date, timezone: str) -> str | None:
    """The ts of this day's digest if it is already in the channel, found by its metadata."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=digest.zone(timezone))
    return find_posted(
        client, channel, METADATA_TYPE, {"date": day.isoformat()}, oldest=f"{start.timestamp():.6f}"
    )


class Ticker:
    """The in-process scheduler: runs `run_due` every `every` seconds in a daemon thread."""

    def __init__(
        self, client: WebClient, engine: Engine | EngineHolder, store: Store, every: float
    ) -> None:
        self.client, self.engine, self.store, self.every = client, engine, store, every
        self.stopped = threading.Event()

    def start(self) -> Ticker:
        threading.Thread(target=self._loop, name="attache-digest", daemon=True).start()
        return self

    def _loop(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                run_due(dt.datetime.now(dt.UTC), self.client, current(self.engine), self.store)
            except Exception:
                log.exception("digest run failed; the next tick tries again")
