"""Learn the answer-or-abstain model (bot/calibration.json) from labelled questions.

    python -m bot.calibrate tests/eval/questions.yaml tests/eval/realistic-dev.yaml

Each question the engine would answer by search gives one example: the decision
features of its best match, labelled 1 when answering with that match is right (the
question wants an answer and the composed text meets its expectations), 0 otherwise.
A logistic regression is fitted to them; the answer cut-off is the one that makes the
fewest mistakes on the examples, counting a wrong answer as twice as bad as a missed one.
Held-out test sets must never be given to this command.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import replace
from importlib import resources
from pathlib import Path

import yaml

from bot.decision import DIRECTION, FEATURES, Model
from bot.engine import Engine
from bot.query import parse
from bot.text import fold

WRONG_ANSWER_COST = 2.0
BALANCE = 0.5  # 0: every example weighs the same; 1: each class weighs half
NOT_SEARCH = {"abstain", "timeline", "who_is", "invalid", "smalltalk", "help", "closest"}


def _passes(item: dict, text: str, defaults: dict) -> bool:
    if not item.get("answered", True):
        return False
    if len(text) > item.get("max_chars", defaults.get("max_chars", 700)):
        return False
    return all(re.search(p, fold(text)) for p in item.get("expect", []))


def examples(engine: Engine, path: Path) -> list[tuple[list[float], int]]:
    """(features, label) for each question of `path` that reaches the search step."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = spec.get("defaults", {})
    permissive = Engine(engine.kb, engine.index, replace(engine.model, answer_at=0, closest_at=0))
    out = []
    for item in spec["questions"]:
        reply = permissive.ask(item["q"])
        if reply.intent in NOT_SEARCH or not reply.answered:
            continue
        query = parse(item["q"], engine.index)
        in_dates, _ = engine._date_filter(query)
        found = engine.candidate(query, in_dates)
        if found is None:
            continue
        label = int(_passes(item, reply.text, defaults))
        out.append(([found.features[f] for f in FEATURES], label))
    return out


def _on_its_side(weight: float, direction: int) -> float:
    """`weight`, or 0 when it points against its feature's `direction`."""
    return 0.0 if weight * direction < 0 else weight


def fit(data: list[tuple[list[float], int]], steps: int = 6000, l2: float = 0.003) -> Model:
    """Class-balanced logistic regression by projected gradient descent (each weight kept
    on its feature's side, see bot.decision.DIRECTION), then the cheapest cut-off.

    Wrong answers are rarer than right ones in any labelled set, so each class carries
    half the weight: the model must learn what separates them, not their ratio."""
    weights = [0.0] * len(FEATURES)
    bias = 0.0
    rate = 1.0
    positives = sum(y for _, y in data)
    balance = BALANCE
    share = {
        1: (len(data) / (2 * max(positives, 1))) ** balance,
        0: (len(data) / (2 * max(len(data) - positives, 1))) ** balance,
    }
    for _ in range(steps):
        grad = [0.0] * len(weights)
        grad_b = 0.0
        for x, y in data:
            z = bias + sum(w * v for w, v in zip(weights, x, strict=True))
            err = (1 / (1 + math.exp(-max(-30, min(30, z)))) - y) * share[y]
            grad = [g + err * v for g, v in zip(grad, x, strict=True)]
            grad_b += err
        n = len(data)
        weights = [
            _on_its_side(w - rate * (g / n + l2 * w), DIRECTION[f])
            for w, g, f in zip(weights, grad, FEATURES, strict=True)
        ]
        bias -= rate * grad_b / n
    model = Model(tuple(weights), bias, 0.5, 0.25)
    scored = [(model.probability(dict(zip(FEATURES, x, strict=True))), y) for x, y in data]

    def cost(cut: float) -> float:
        wrong = sum(1 for p, y in scored if p >= cut and y == 0)
        missed = sum(1 for p, y in scored if p < cut and y == 1)
        return WRONG_ANSWER_COST * wrong + missed

    cut = min((c / 100 for c in range(5, 96)), key=lambda c: (cost(c), abs(c - 0.5)))
    return Model(tuple(weights), bias, cut, max(0.1, cut / 2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.calibrate", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="labelled question files (YAML)")
    parser.add_argument("--dry-run", action="store_true", help="print the model, do not save")
    args = parser.parse_args(argv)
    engine = Engine.from_path(None, use_cache=False)
    data = [e for path in args.files for e in examples(engine, path)]
    if not data:
        print("calibrate: no examples reached the search step", file=sys.stderr)
        return 2
    model = fit(data)
    text = json.dumps(model.as_json(), indent=1)
    print(f"{len(data)} examples, {sum(y for _, y in data)} positive\n{text}")
    if not args.dry_run:
        Path(str(resources.files("bot").joinpath("calibration.json"))).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
