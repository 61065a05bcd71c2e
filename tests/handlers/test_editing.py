"""`/attache add <url>` and its Approve / Discard buttons, through `attache serve`."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest

from bot.knowledge import bundled_path, check
from tests.handlers.conftest import RunningApp, start_app
from tests.handlers.slack_standin import SlackStandIn

FIXTURES = Path(__file__).parents[1] / "fixtures" / "articles"
PAGE = "japan-vietnam-dialogue.html"
SOURCE_ID = "pacific-security-times-2024-11-29"
EDITOR = "UEDITOR1"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(FIXTURES))
    )
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("editing") / "kb"
    shutil.copytree(bundled_path(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


@pytest.fixture(scope="module")
def editing_app(
    standin: SlackStandIn, base: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApp]:
    env = {"ATTACHE_EDITORS": f"U0OTHER, {EDITOR}", "ATTACHE_KNOWLEDGE": str(base)}
    running = start_app(standin, tmp_path_factory.mktemp("app"), env)
    yield running
    running.process.terminate()
    running.process.wait(timeout=10)


@pytest.fixture
def app(editing_app: RunningApp) -> RunningApp:
    editing_app.standin.reset()
    return editing_app


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_someone_else_is_refused_politely(app, base, site):
    before = snapshot(base)
    _, path = app.command(f"add {site}/{PAGE}", user="U0READER")
    (message,) = app.responses(path)
    assert message["response_type"] == "ephemeral"
    assert "only the fact base's editors can add articles" in message["text"]
    assert snapshot(base) == before
    _, path = app.action("kb_approve", SOURCE_ID, user="U0READER")
    (message,) = app.responses(path)
    assert "only the fact base's editors" in message["text"]


def test_usage_and_bad_address(app, base):
    before = snapshot(base)
    _, path = app.command("add", user=EDITOR)
    assert "Usage: /attache add" in app.responses(path)[0]["text"]
    _, path = app.command("add /etc/passwd", user=EDITOR)
    assert "Usage: /attache add" in app.responses(path)[0]["text"]
    _, path = app.command("add <http://127.0.0.1:9/story.html>", user=EDITOR)
    (message,) = app.responses(path)
    assert message["text"].startswith("Nothing was added: cannot reach 127.0.0.1:9")
    assert snapshot(base) == before


def test_editor_adds_then_discards_then_approves(app, base, site):
    original = snapshot(base)
    _, path = app.command(f"add <{site}/{PAGE}|{PAGE}>", user=EDITOR)
    (message,) = app.responses(path)
    assert message["response_type"] == "ephemeral"
    blocks = json.dumps(message["blocks"], ensure_ascii=False)
    assert f"Drafted {SOURCE_ID}" in blocks and "Gen Nakatani receives Hoang Xuan Chien" in blocks
    assert "2024-11-27" in blocks and "hoang-xuan-chien" in blocks
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    approve, discard = actions[0]["elements"]
    assert (approve["action_id"], approve["value"]) == ("kb_approve", SOURCE_ID)
    assert (discard["action_id"], discard["value"]) == ("kb_discard", SOURCE_ID)
    kb, problems = check(base)
    assert problems == [] and kb is not None
    assert all(f.review == "pending" for f in kb.facts if f.source == SOURCE_ID)

    _, path = app.command(f"add {site}/{PAGE}", user=EDITOR)
    assert "already in the base" in app.responses(path)[0]["text"]

    _, path = app.action("kb_discard", SOURCE_ID, user=EDITOR)
    (message,) = app.responses(path)
    assert message["replace_original"] is True and "Discarded the draft" in message["text"]
    assert snapshot(base) == original

    _, path = app.command(f"add {site}/{PAGE}", user=EDITOR)
    app.responses(path)
    _, path = app.action("kb_approve", SOURCE_ID, user=EDITOR)
    (message,) = app.responses(path)
    assert message["text"].startswith(f"Approved {SOURCE_ID}:")
    kb, problems = check(base)
    assert problems == [] and kb is not None
    facts = [f for f in kb.facts if f.source == SOURCE_ID]
    assert facts and all(f.review is None for f in facts)
    _, path = app.action("kb_discard", SOURCE_ID, user=EDITOR)
    assert "approved, not a draft" in app.responses(path)[0]["text"]


def test_a_question_starting_with_add_is_still_a_question(app):
    _, path = app.command("add up the US funding for Bien Hoa", user="U0READER")
    (message,) = app.responses(path)
    assert "only the fact base's editors" not in message["text"]
