"""Request signatures, health endpoints and Web API retries."""

import json
import time
import urllib.request
from urllib.parse import urlencode

from tests.handlers.conftest import sign


def test_forged_signature_is_rejected_and_nothing_reaches_the_engine(app):
    body = urlencode(
        {
            "command": "/attache",
            "text": "who is Marc Knapper?",
            "response_url": app.standin.response_url("forged"),
        }
    )
    forged = sign(body, secret="not-the-secret")
    assert app.post(body, "application/x-www-form-urlencoded", headers=forged).status == 401
    missing = app.post(body, "application/x-www-form-urlencoded", headers={})
    assert missing.status == 401
    app.standin.settle()
    assert app.standin.calls == []


def test_stale_signature_is_rejected(app):
    body = urlencode(
        {
            "command": "/attache",
            "text": "who is Marc Knapper?",
            "response_url": app.standin.response_url("stale"),
        }
    )
    stale = sign(body, timestamp=int(time.time()) - 6 * 60)
    assert app.post(body, "application/x-www-form-urlencoded", headers=stale).status == 401
    app.standin.settle()
    assert app.standin.calls == []


def test_health_and_readiness(app):
    with urllib.request.urlopen(f"{app.url}/healthz") as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{app.url}/readyz") as response:
        ready = json.loads(response.read())
    assert ready["database"] == "ok"
    assert set(ready["fact_base"]) == {"version", "facts", "sources", "loaded_at", "last_error"}
    assert ready["fact_base"]["facts"] > 0 and ready["fact_base"]["last_error"] is None


def test_rate_limited_post_is_retried_and_delivered(app):
    app.standin.fail_next("chat.postMessage", status=429, retry_after=1)
    ts = f"{time.time():.6f}"
    app.event(
        {
            "type": "app_mention",
            "user": "U123",
            "text": "<@UBOT> who is Michalak?",
            "ts": ts,
            "channel": "C999",
        }
    )
    (post,) = app.standin.wait_for("chat.postMessage", timeout=15)
    assert "Michael Walter Michalak" in post["text"]
    assert any(c.method == "chat.postMessage (failed 429)" for c in app.standin.calls)
