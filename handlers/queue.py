"""Accepting requests into the durable queue, and the workers that answer them.

A slash command, a mention or a direct message is written to the database
(bot.workqueue) before Slack is acknowledged; a bounded pool of worker threads,
apart from request handling, claims rows, answers with the engine and posts the
answer (response_url for commands, chat.postMessage for mentions and DMs), then marks
the row delivered. Work left by a process that stopped is resumed on start.

Exactly once: the queue's unique key drops a second delivery of the same message or
request; a row is claimed by one worker at a time; the number of messages already
posted is saved after each post; and a post whose outcome is unknown is looked for in
the thread by its metadata before posting again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.answer import Answer
from bot.store import reason
from bot.workqueue import NewWork, WorkItem, WorkQueue
from handlers import metrics
from handlers.blocks import Message, answer_messages, notice
from handlers.logs import one_line
from handlers.settings import Settings
from handlers.slack_api import find_posted, post_to_response_url

log = logging.getLogger("attache.queue")

METADATA_TYPE = "attache_answer"
RESPONSE_URL_LIFETIME = dt.timedelta(minutes=30)  # Slack: 30 minutes and 5 uses
RESPONSE_URL_USES = 5
MAX_ATTEMPTS = 6
# Slack errors that will not go away by trying again: give up on this answer, say why once.
PERMANENT = {
    "not_in_channel",
    "channel_not_found",
    "is_archived",
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "missing_scope",
    "restricted_action",
    "msg_too_long",
    "invalid_blocks",
    "user_not_found",
}
# Errors of chat.postEphemeral after which a direct message still reaches the person.
TRY_A_DM = {"not_in_channel", "channel_not_found", "is_archived", "user_not_in_channel"}
SORRY = "Sorry, something went wrong while answering that. Please try again in a minute."
OWNER = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Permanent(Exception):
    """Delivery cannot succeed: Slack's error code, and the method that got it."""

    def __init__(self, error: str, method: str) -> None:
        super().__init__(f"{method}: {error}")
        self.error = error


class Transient(Exception):
    """Delivery may succeed later (the next attempt first looks for an earlier post)."""


@dataclass
class Delivery:
    """Answers one claimed item and posts its messages, from where a previous try stopped."""

    client: WebClient
    answer_message: Callable[[dict[str, Any]], Answer]
    queue: WorkQueue
    settings: Settings
    answer_command: Callable[[dict[str, Any], WebClient], list[Message]]
    owner: str = OWNER

    def run(self, item: WorkItem) -> None:
        """Deliver `item` and record the outcome; never raises."""
        started = time.monotonic()
        try:
            messages = self._messages(item)
        except Exception:
            log.exception("answering queue item %s failed; telling the user", item.id)
            messages = [notice(SORRY)]
        try:
            self._post_all(item, messages)
        except Permanent as exc:
            self._finish(item, "failed", str(exc))
            return
        except Transient as exc:
            self._retry_later(item, str(exc))
            return
        except SQLAlchemyError as exc:
            log.warning(
                "queue item %s: the database failed (%s); retried later", item.id, reason(exc)
            )
            return
        self._finish(item, "delivered")
        metrics.ANSWER_SECONDS.labels(item.kind).observe(
            (dt.datetime.now(dt.UTC) - item.received_at).total_seconds()
        )
        log.debug("queue item %s delivered in %.3f s", item.id, time.monotonic() - started)

    def _messages(self, item: WorkItem) -> list[Message]:
        if item.kind == "command":
            metrics.ANSWERS.labels("command").inc()
            return self.answer_command(item.payload, self.client)
        event = item.payload
        answer = self.answer_message(event)
        metrics.ANSWERS.labels("answered" if answer.answered else "abstained").inc()
        if event.get("thread_ts") and event.get("thread_ts") != event.get("ts"):
            metrics.FOLLOW_UPS.inc()
        return answer_messages(answer)

    def _post_all(self, item: WorkItem, messages: list[Message]) -> None:
        uses = item.response_uses
        for part in range(item.progress, len(messages)):
            if item.kind == "command":
                uses = self._reply_privately(item, messages[part], uses)
            else:
                self._post_in_channel(item, part, messages[part])
            lease = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.settings.queue_lease)
            self.queue.record_progress(item.id, self.owner, part + 1, uses, lease)

    def _reply_privately(self, item: WorkItem, message: Message, uses: int) -> int:
        """Post to the command's response_url while it is valid; else an ephemeral message,
        else a direct message. Returns the response_url uses so far."""
        age = dt.datetime.now(dt.UTC) - item.received_at
        if item.response_url and age < RESPONSE_URL_LIFETIME and uses < RESPONSE_URL_USES:
            try:
                response = post_to_response_url(
                    item.response_url,
                    {"response_type": "ephemeral", **message},
                    self.settings.slack_timeout,
                )
            except Exception as exc:  # timeout or connection lost after retries
                raise Transient(f"response_url: {exc.__class__.__name__}") from exc
            if response.status_code == 200:
                return uses + 1
            body = str(response.body or "").strip()
            if response.status_code not in (404, 410) and body not in ("expired_url", "used_url"):
                raise Transient(f"response_url answered {response.status_code} {body[:60]}")
            log.info("queue item %s: response_url says %s; replying ephemerally", item.id, body)
            uses = RESPONSE_URL_USES
        channel, user = item.channel_id or "", item.user_id or ""
        try:
            self._call(
                "chat.postEphemeral",
                channel,
                lambda: self.client.chat_postEphemeral(channel=channel, user=user, **message),
            )
        except Permanent as exc:
            if exc.error not in TRY_A_DM:
                raise
            self._call(
                "chat.postMessage",
                user,
                lambda: self.client.chat_postMessage(channel=user, **message),
            )
        return uses

    def _post_in_channel(self, item: WorkItem, part: int, message: Message) -> None:
        """Post one message of a mention's or DM's answer, unless it is already there."""
        channel = item.channel_id or ""
        key = f"{item.payload.get('channel')}:{item.payload.get('ts')}"
        marker = {"key": key, "part": part}
        if item.attempts > 1:
            found = self._already_posted(item, channel, marker)
            if found:
                log.info("queue item %s part %d was already posted (%s)", item.id, part, found)
                return
        self._call(
            "chat.postMessage",
            channel,
            lambda: self.client.chat_postMessage(
                channel=channel,
                thread_ts=item.thread_ts,
                metadata={"event_type": METADATA_TYPE, "event_payload": marker},
                unfurl_links=False,
                **message,
            ),
        )

    def _already_posted(self, item: WorkItem, channel: str, marker: dict[str, Any]) -> str | None:
        """The ts of this part if an earlier attempt posted it. When Slack will not say
        (an ok:false answer), post anyway: a possible repeat is better than a lost answer."""
        try:
            return find_posted(
                self.client,
                channel,
                METADATA_TYPE,
                marker,
                oldest=str(item.payload.get("ts")),
                thread_ts=item.thread_ts,
            )
        except SlackApiError as exc:
            error = exc.response.get("error", "unknown_error")
            log.warning("queue item %s: cannot look for an earlier post (%s)", item.id, error)
            return None
        except (TimeoutError, OSError) as exc:
            raise Transient(f"looking for an earlier post: {exc.__class__.__name__}") from exc

    @staticmethod
    def _call(method: str, channel: str, call: Callable[[], Any]) -> Any:
        """Make a Web API call, sorting failures into permanent and transient."""
        try:
            return call()
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            if error in PERMANENT:
                raise Permanent(error, method) from exc
            raise Transient(f"{method} in {channel}: {error}") from exc
        except (TimeoutError, OSError) as exc:
            raise Transient(f"{method} in {channel}: {exc.__class__.__name__}") from exc

    def _finish(self, item: WorkItem, status: str, error: str | None = None) -> None:
        try:
            self.queue.finish(item.id, self.owner, status, error)
        except SQLAlchemyError as exc:
            log.warning("queue item %s: could not record %s (%s)", item.id, status, reason(exc))
            return
        if status == "failed":
            log.warning(
                "gave up answering %s %s from %s in %s: %s",
                item.kind,
                item.id,
                item.user_id,
                item.channel_id,
                one_line(error or "unknown"),
            )

    def _retry_later(self, item: WorkItem, why: str) -> None:
        if item.attempts >= MAX_ATTEMPTS:
            self._finish(item, "failed", f"{why} (after {item.attempts} attempts)")
            return
        wait = min(60.0, 2.0**item.attempts)
        try:
            self.queue.release(
                item.id, self.owner, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait), why
            )
        except SQLAlchemyError as exc:
            log.warning("queue item %s: could not release (%s)", item.id, reason(exc))
            return
        log.info("queue item %s: %s; trying again in %.0f s", item.id, one_line(why), wait)


def _alive(pid: int) -> bool:
    """True when a process with this id runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Intake:
    """Writes accepted requests to the queue (the one database call before an ack)."""

    def __init__(self, queue: WorkQueue) -> None:
        self.queue = queue
        self.listeners: list[Callable[[], None]] = []

    def accept(self, work: NewWork) -> bool:
        """Queue `work`: True when queued now, False when it already was (a duplicate).
        Raises SQLAlchemyError when the database cannot take it."""
        queued = self.queue.enqueue(work)
        metrics.REQUESTS.labels(work.kind, "queued" if queued else "duplicate").inc()
        if queued:
            for wake in self.listeners:
                wake()
        return queued


class Workers:
    """A bounded pool of threads claiming and delivering queued work; a keeper thread
    that renews leases, publishes the queue's depth and prunes old rows; and a watchdog
    that replaces a worker whose database call hangs (a connection silently lost can
    block for good), up to three times the pool's size."""

    def __init__(self, delivery: Delivery, settings: Settings) -> None:
        self.delivery = delivery
        self.queue = delivery.queue
        self.settings = settings
        self.wakeup = threading.Event()
        self.stopping = threading.Event()
        self.in_hand: dict[int, WorkItem] = {}
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.claiming: dict[int, float] = {}  # thread id -> when its claim call began
        self.hung_after = max(5.0, 3 * settings.db_timeout)
        self._last_db_warning = 0.0

    def start(self) -> Workers:
        """Start the worker threads, the keeper and the watchdog."""
        for _ in range(self.settings.workers):
            self._add_worker()
        threading.Thread(target=self._keep, name="attache-queue-keeper", daemon=True).start()
        threading.Thread(target=self._watch, name="attache-queue-watchdog", daemon=True).start()
        return self

    def _add_worker(self) -> None:
        with self.lock:
            self.threads = [t for t in self.threads if t.is_alive()]
            name = f"attache-worker-{len(self.threads)}"
            thread = threading.Thread(target=self._work, name=name, daemon=True)
            self.threads.append(thread)
        thread.start()

    def _counts(self) -> tuple[int, int]:
        """(live workers, workers whose claim call hangs); call with the lock held."""
        now = time.monotonic()
        hung = sum(1 for since in self.claiming.values() if now - since > self.hung_after)
        return sum(1 for t in self.threads if t.is_alive()), hung

    def _surplus(self) -> bool:
        """True (and this thread leaves the pool) when replacements made it one too many."""
        with self.lock:
            alive, hung = self._counts()
            if alive - hung <= self.settings.workers:
                return False
            self.threads = [t for t in self.threads if t is not threading.current_thread()]
            return True

    def _watch(self) -> None:
        while not self.stopping.wait(1.0):
            with self.lock:
                alive, hung = self._counts()
            if hung and alive - hung < self.settings.workers and alive < 3 * self.settings.workers:
                log.warning(
                    "a database call has hung for over %.0f s; starting a replacement worker",
                    self.hung_after,
                )
                self._add_worker()

    def resume_orphans(self) -> None:
        """Free at once the rows held by earlier processes on this host that are gone
        (killed, crashed) rather than waiting for their leases to run out."""
        host = self.delivery.owner.rsplit("-", 2)[0]
        try:
            owners = self.queue.claimers()
        except SQLAlchemyError as exc:
            self._database_down(exc)
            return
        for owner in owners:
            parts = owner.rsplit("-", 2)  # hostname-pid-random, as OWNER is made
            if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
                continue
            if owner != self.delivery.owner and not _alive(int(parts[1])):
                freed = self.queue.expire(owner)
                log.info("resuming %d request(s) left by %s, which is gone", freed, owner)

    def wake(self) -> None:
        """New work was queued here: look now rather than at the next poll."""
        self.wakeup.set()

    def stop(self, grace: float) -> int:
        """Claim nothing more; wait up to `grace` seconds for the answers in hand.
        Returns how many were still in hand (they are resumed by the next start)."""
        self.stopping.set()
        self.wakeup.set()
        deadline = time.monotonic() + grace
        while True:
            with self.lock:
                left = len(self.in_hand)
            if not left or time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        if left:
            log.warning(
                "%d answer(s) still in hand after %.0f s; the next start resumes them", left, grace
            )
        return left

    def _work(self) -> None:
        lease = dt.timedelta(seconds=self.settings.queue_lease)
        me = threading.get_ident()
        while not self.stopping.is_set():
            with self.lock:
                self.claiming[me] = time.monotonic()
            try:
                item = self.queue.claim(self.delivery.owner, lease)
            except SQLAlchemyError as exc:
                self._database_down(exc)
                self.stopping.wait(1.0)
                continue
            finally:
                with self.lock:
                    self.claiming.pop(me, None)
            if item is None and self._surplus():
                return  # a replacement took this thread's place while it hung
            if item is None:
                self.wakeup.wait(0.5)
                self.wakeup.clear()
                continue
            with self.lock:
                self.in_hand[item.id] = item
            try:
                self.delivery.run(item)
            finally:
                with self.lock:
                    self.in_hand.pop(item.id, None)

    def _database_down(self, exc: SQLAlchemyError) -> None:
        if time.monotonic() - self._last_db_warning > 30:
            self._last_db_warning = time.monotonic()
            log.warning("cannot claim queued work: %s; retrying", reason(exc))

    def _keep(self) -> None:
        pruned_at = 0.0
        every = max(1.0, self.settings.queue_lease / 3)
        while not self.stopping.wait(every):
            try:
                self._renew_leases()
                depth, oldest = self.queue.depth()
                metrics.QUEUE_DEPTH.set(depth)
                metrics.QUEUE_OLDEST.set(oldest)
                if time.monotonic() - pruned_at > 600:
                    pruned_at = time.monotonic()
                    keep = dt.timedelta(days=self.settings.retention_days)
                    pruned = self.queue.prune(dt.datetime.now(dt.UTC) - keep)
                    if pruned:
                        log.info("pruned %d finished queue rows and handled-event keys", pruned)
            except SQLAlchemyError as exc:
                self._database_down(exc)

    def _renew_leases(self) -> None:
        with self.lock:
            items = list(self.in_hand.values())
        until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.settings.queue_lease)
        for item in items:
            self.queue.renew(item.id, self.delivery.owner, until)
