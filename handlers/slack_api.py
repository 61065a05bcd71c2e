"""Talking to Slack: a Web API client and response_url posts that time out and retry
(connection errors, 429 honouring Retry-After, 5xx) within a bounded budget, each
call counted in the metrics; and finding a message already posted by its metadata."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse
from slack_sdk.webhook import WebhookClient, WebhookResponse

from handlers import metrics
from handlers.settings import Settings


class _Counted:
    """Counts each retry in the metrics before the handler's own wait."""

    reason = ""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Count the retry, then wait as the handler says (Retry-After for a 429)."""
        metrics.RETRIES.labels(self.reason).inc()
        super().prepare_for_next_attempt(  # type: ignore[misc]
            state=state, request=request, response=response, error=error
        )


class _ConnectionRetry(_Counted, ConnectionErrorRetryHandler):
    reason = "connection"


class _RateLimitRetry(_Counted, RateLimitErrorRetryHandler):
    reason = "ratelimited"


class _ServerErrorRetry(_Counted, ServerErrorRetryHandler):
    reason = "server_error"


def retry_handlers() -> list[RetryHandler]:
    """The retry budget of every Slack call: 2 on connection errors, 3 on 429, 2 on 5xx."""
    return [
        _ConnectionRetry(max_retry_count=2),
        _RateLimitRetry(max_retry_count=3),
        _ServerErrorRetry(max_retry_count=2),
    ]


class CountingWebClient(WebClient):
    """A WebClient that counts each call by method and result."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        """Make the call, counting it as ok, Slack's error code, or the exception's name."""
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as exc:
            metrics.SLACK_CALLS.labels(api_method, str(exc.response.get("error", "error"))).inc()
            raise
        except Exception as exc:
            metrics.SLACK_CALLS.labels(api_method, exc.__class__.__name__).inc()
            raise
        metrics.SLACK_CALLS.labels(api_method, "ok").inc()
        return response  # type: ignore[return-value]


def web_client(settings: Settings) -> WebClient:
    """The Web API client: a timeout on every call and the retry budget above."""
    return CountingWebClient(
        token=settings.bot_token,
        base_url=settings.api_url or WebClient.BASE_URL,
        timeout=int(settings.slack_timeout),
        retry_handlers=retry_handlers(),
    )


def post_to_response_url(url: str, message: dict[str, Any], timeout: float) -> WebhookResponse:
    """Post `message` to a response_url, with the same timeout and retries."""
    client = WebhookClient(url, timeout=int(timeout), retry_handlers=retry_handlers())
    try:
        response = client.send_dict(message)
    except Exception as exc:
        metrics.SLACK_CALLS.labels("response_url", exc.__class__.__name__).inc()
        raise
    status = "ok" if response.status_code == 200 else str(response.body or response.status_code)
    metrics.SLACK_CALLS.labels("response_url", status[:40]).inc()
    return response


def find_posted(
    client: WebClient,
    channel: str,
    event_type: str,
    payload: dict[str, Any],
    oldest: str | None = None,
    thread_ts: str | None = None,
) -> str | None:
    """The ts of a message the bot already posted in a channel (or thread) whose metadata
    has `event_type` and includes `payload`; None when it is not there. Used before
    posting again after an outcome that is unknown (a timeout, a crash mid-post)."""
    if thread_ts:
        found = client.conversations_replies(
            channel=channel, ts=thread_ts, include_all_metadata=True, limit=200
        )
    else:
        found = client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=200
        )
    for message in found.get("messages") or []:
        meta = message.get("metadata") or {}
        given = meta.get("event_payload") or {}
        if meta.get("event_type") == event_type and all(
            given.get(k) == v for k, v in payload.items()
        ):
            return str(message.get("ts"))
    return None
