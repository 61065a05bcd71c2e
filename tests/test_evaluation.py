"""Accuracy on attache's own evaluation set, and the shared acceptance set's scorer.

The floor is what the engine reaches today: a change that lowers accuracy fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.text import fold
from tests.conftest import SHARED

EVAL = Path(__file__).parent / "eval"
OWN_SET = EVAL / "questions.yaml"
OWN_FLOOR = 0.98
SHARED_FLOOR = 0.95
# Realistic, Slack-typed questions (issue 7). Each floor is the level reached; the
# test split is never tuned on. `abstain` is the floor for its must-abstain questions.
REALISTIC = {
    "engine-probe.yaml": {"overall": 0.96, "abstain": 0.95},
    "realistic-dev.yaml": {"overall": 0.94, "abstain": 0.95},
    # a second dev set, written by someone who had not read the engine (all 15 sources)
    "realistic-dev2.yaml": {"overall": 0.94, "abstain": 0.95},
    # a third, fresh from an independent writer in December 2026 (tuned on since)
    "realistic-dev3.yaml": {"overall": 0.94, "abstain": 0.95},
    # a fourth, written to favour wording unlike the facts' (tuned on since)
    "realistic-dev4.yaml": {"overall": 0.93, "abstain": 0.95},
    # a fifth, written in December 2026 from the facts with paraphrase, relative dates and
    # comparisons (first run 75.3%; tuned on since)
    "realistic-dev5.yaml": {"overall": 0.88, "abstain": 0.9},
    # never tuned on: the floor is the level the held-out run reports
    "realistic-test.yaml": {"overall": 0.84, "abstain": 0.81},
    # a second test split, written in December 2026 to favour wording unlike the facts'
    "realistic-test2.yaml": {"overall": 0.82, "abstain": 0.89},
}


def _load(path: Path) -> tuple[list[dict], dict]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return spec["questions"], spec.get("defaults", {})


def _failure(item: dict, reply, defaults: dict) -> str | None:
    wanted = item.get("answered", True)
    if reply.answered != wanted:
        return f"answered={reply.answered}, wanted {wanted}: {reply.text[:160]}"
    if not wanted:
        return None
    limit = item.get("max_chars", defaults.get("max_chars", 700))
    if len(reply.text) > limit:
        return f"{len(reply.text)} chars > {limit}"
    missing = [p for p in item.get("expect", []) if not re.search(p, fold(reply.text))]
    if missing:
        return f"missing {missing}: {reply.text[:160]}"
    forbidden = [p for p in item.get("forbid", []) if re.search(p, fold(reply.text))]
    return f"has {forbidden}: {reply.text[:160]}" if forbidden else None


def test_own_set_is_broad_enough():
    items, _ = _load(OWN_SET)
    kinds = Counter(i["kind"] for i in items)
    assert len(items) >= 120
    assert (
        kinds["vi"] >= 20 and kinds["oos"] >= 20 and kinds["typo"] >= 15 and kinds["timeline"] >= 20
    )


def test_own_set_accuracy(engine):
    items, defaults = _load(OWN_SET)
    failures = []
    for item in items:
        why = _failure(item, engine.ask(item["q"]), defaults)
        if why:
            failures.append(f"{item['q']!r}: {why}")
    accuracy = 1 - len(failures) / len(items)
    assert accuracy >= OWN_FLOOR, f"accuracy {accuracy:.1%}:\n" + "\n".join(failures)


def test_own_set_out_of_scope_never_answered(engine):
    items, _ = _load(OWN_SET)
    answered = [i["q"] for i in items if i.get("answered") is False and engine.ask(i["q"]).answered]
    assert answered == []


@pytest.mark.skipif(
    not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval is not beside this checkout"
)
def test_shared_acceptance_set_with_its_own_scorer():
    command = (
        "attache ask --json --batch -"
        if shutil.which("attache")
        else f"{sys.executable} -m bot ask --json --batch -"
    )
    result = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            "--cmd",
            command,
            "--min",
            str(SHARED_FLOOR),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "accuracy:" in result.stdout


@pytest.mark.parametrize("name", sorted(REALISTIC))
def test_realistic_set_accuracy(engine, name):
    path = EVAL / name
    if not path.exists():
        pytest.skip(f"tests/eval/{name} is not in this checkout")
    items, defaults = _load(path)
    failures, traps, traps_failed = [], 0, 0
    for item in items:
        why = _failure(item, engine.ask(item["q"]), defaults)
        must_abstain = item.get("answered", True) is False
        traps += must_abstain
        if why:
            failures.append(f"{item['q']!r}: {why}")
            traps_failed += must_abstain
    accuracy = 1 - len(failures) / len(items)
    floors = REALISTIC[name]
    assert accuracy >= floors["overall"], f"{name}: {accuracy:.1%}:\n" + "\n".join(failures)
    if traps:
        held = 1 - traps_failed / traps
        assert held >= floors["abstain"], f"{name}: must-abstain {held:.1%}"


CONVERSATIONS = EVAL / "conversations.yaml"
CONVERSATION_FLOOR = 0.95


def test_conversations(engine):
    """Multi-turn conversations: each turn asked with the previous turn's context."""
    if not CONVERSATIONS.exists():
        pytest.skip("tests/eval/conversations.yaml is not in this checkout")
    spec = yaml.safe_load(CONVERSATIONS.read_text(encoding="utf-8"))
    defaults = spec.get("defaults", {})
    failures, turns = [], 0
    for conversation in spec["conversations"]:
        context = None
        for turn in conversation["turns"]:
            reply = engine.ask(turn["q"], context=context)
            context = reply.context
            turns += 1
            why = _failure(turn, reply, defaults)
            if why:
                failures.append(f"{turn['q']!r}: {why}")
    accuracy = 1 - len(failures) / turns
    assert accuracy >= CONVERSATION_FLOOR, f"{accuracy:.1%}:\n" + "\n".join(failures)


FIXTURES = Path(__file__).parent / "fixtures"
# overlay folder -> (its questions, the floor): each never tuned on
HOLDOUTS = {
    "holdout": ("holdout.yaml", 0.98),
    "holdout2": ("holdout2.yaml", 0.89),
    # first scored at 60% (December 2026), then tuned on: a dev set for unseen articles
    "holdout3": ("holdout3.yaml", 0.87),
    # Germany, Malaysia, Cuba (December 2026): never looked at, first run 72.1%
    "holdout4": ("holdout4.yaml", 0.75),
    # Brunei, Mongolia, Türkiye (December 2026): first run 66.7%, then tuned on
    "holdout5": ("holdout5.yaml", 0.75),
}


@pytest.mark.parametrize("overlay", sorted(HOLDOUTS))
def test_held_out_sources_written_by_the_book(tmp_path, overlay):
    """Sources the engine was never tuned on, laid over a copy of the bundled base the
    way an editor adds them (issue 8), with questions written by someone who read
    neither the engine nor the facts (holdout2: only the articles)."""
    from bot.engine import Engine
    from bot.knowledge import bundled_path

    questions, floor = HOLDOUTS[overlay]
    holdout = FIXTURES / overlay
    base = tmp_path / "kb"
    shutil.copytree(bundled_path(), base, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for name in ("entities.yaml", "sources.yaml"):
        extra = (holdout / name).read_text(encoding="utf-8")
        with (base / name).open("a", encoding="utf-8") as out:
            out.write("\n" + extra)
    for facts in (holdout / "facts").glob("*.yaml"):
        shutil.copy(facts, base / "facts" / facts.name)
    engine = Engine.from_path(base, use_cache=False)
    items, defaults = _load(EVAL / questions)
    failures = [
        f"{item['q']!r}: {why}"
        for item in items
        if (why := _failure(item, engine.ask(item["q"]), defaults))
    ]
    accuracy = 1 - len(failures) / len(items)
    assert accuracy >= floor, f"{overlay} {accuracy:.1%}:\n" + "\n".join(failures)
