"""Load run: signed slash commands against `attache serve`, reporting acknowledgement
latency and confirming that every command was answered exactly once.

    python -m bench.slack_load [--commands 200] [--concurrency 20]

It starts the local Slack stand-in and `attache serve` exactly as the end-to-end tests
do (loopback only), so it needs no Slack workspace.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.handlers.conftest import start_app
from tests.handlers.slack_standin import SlackStandIn

QUESTIONS = [
    "who met the Lao defence minister?",
    "what happened on Dec 18?",
    "how much did the US pledge for Bien Hoa?",
    "which companies did the prime minister meet?",
    "Michalak là ai?",
    "When did Vietnam buy submarines from Russia?",
    "timeline September 2024",
    "help",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()

    standin = SlackStandIn().start()
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(standin, Path(tmp))
        try:

            def one(n: int) -> tuple[int, float]:
                reply, _ = app.command(QUESTIONS[n % len(QUESTIONS)], response=f"load-{n}")
                return reply.status, reply.seconds

            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(one, range(args.commands)))
            acked = time.perf_counter() - started
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(standin.of("response_url")) < args.commands:
                time.sleep(0.05)
            answered_in = time.perf_counter() - started
            per_command = Counter(c.path for c in standin.calls if c.method == "response_url")
        finally:
            app.process.terminate()
            app.process.wait(timeout=10)
    standin.stop()

    seconds = sorted(s for _, s in results)
    p99 = seconds[min(len(seconds) - 1, round(0.99 * (len(seconds) - 1)))]
    statuses = Counter(status for status, _ in results)
    expected = {f"/response/load-{n}" for n in range(args.commands)}
    once = sum(1 for path in expected if per_command[path] == 1)
    lost = sum(1 for path in expected if per_command[path] == 0)
    doubled = sum(1 for path in expected if per_command[path] > 1)
    print(f"{args.commands} signed slash commands, {args.concurrency} at a time")
    print(
        f"HTTP statuses: {dict(statuses)}; all acknowledged in {acked:.2f} s, all answered in {answered_in:.2f} s"
    )
    print(
        f"acknowledgement: p50 {statistics.median(seconds) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {seconds[-1] * 1000:.1f} ms"
    )
    print(
        f"answered exactly once: {once}/{args.commands}; lost: {lost}; answered twice or more: {doubled}"
    )
    return 0 if once == args.commands and statuses == Counter({200: args.commands}) else 1


if __name__ == "__main__":
    raise SystemExit(main())
