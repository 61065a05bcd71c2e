"""Prometheus metrics, served at /metrics (prometheus-client's default registry)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, Info

REQUESTS = Counter(
    "attache_requests_total",
    "Requests from Slack, by kind (command, mention, dm, action, event) and outcome",
    ["kind", "outcome"],
)
ACK_SECONDS = Histogram(
    "attache_ack_seconds",
    "Time from receiving a Slack request to acknowledging it",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5),
)
ANSWER_SECONDS = Histogram(
    "attache_answer_seconds",
    "Time from receiving a request to delivering its answer",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
ANSWERS = Counter(
    "attache_answers_total",
    "Answers delivered: answered, abstained, or help and notices",
    ["outcome"],
)
FOLLOW_UPS = Counter("attache_follow_ups_total", "Questions asked inside an existing thread")
SLACK_CALLS = Counter(
    "attache_slack_calls_total",
    "Web API and response_url calls, by method and result (ok, a Slack error code, or an exception)",
    ["method", "status"],
)
RETRIES = Counter(
    "attache_slack_retries_total",
    "Retries of Slack calls, by reason (connection, ratelimited, server_error)",
    ["reason"],
)
QUEUE_DEPTH = Gauge("attache_queue_depth", "Requests queued or in hand, not yet delivered")
QUEUE_OLDEST = Gauge("attache_queue_oldest_seconds", "Age of the oldest undelivered request")
DIGESTS = Counter(
    "attache_digests_total", "Digest runs, by outcome (posted, found, ...)", ["status"]
)
FACT_BASE = Info("attache_fact_base", "The fact base loaded: facts, sources and date range")
