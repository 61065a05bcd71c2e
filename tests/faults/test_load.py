"""Many commands at once: each acknowledged and answered exactly once."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.faults.conftest import wait_until
from tests.handlers.conftest import start_app


def test_300_commands_at_30_concurrent_are_answered_exactly_once(slack, tmp_path, database_url):
    """Promise: 300 slash commands sent 30 at a time are all acknowledged with 200 and
    each gets exactly one answer at its response_url (SQLite and PostgreSQL)."""
    app = start_app(slack, tmp_path, {"ATTACHE_DATABASE_URL": database_url})
    try:
        with ThreadPoolExecutor(30) as pool:
            sent = list(pool.map(lambda n: app.command(f"who is Marc Knapper? #{n}"), range(300)))
        assert all(reply.status == 200 for reply, _ in sent)
        paths = {path for _, path in sent}

        def posted() -> Counter[str]:
            return Counter(c.path for c in slack.calls if c.method == "response_url")

        assert wait_until(lambda: paths <= set(posted()), timeout=90, every=0.5)
        slack.settle(1.0)
        counts = posted()
        assert all(counts[p] == 1 for p in paths), counts.most_common(3)
    finally:
        app.process.terminate()
        app.process.wait(timeout=30)
