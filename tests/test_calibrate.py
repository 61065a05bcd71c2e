"""The answer-or-abstain model's fitting."""

from __future__ import annotations

from bot.calibrate import fit
from bot.decision import DIRECTION, FEATURES


def _example(worst_miss: float, label: int) -> tuple[list[float], int]:
    features = dict.fromkeys(FEATURES, 0.5)
    features["worst_miss"] = worst_miss
    return [features[f] for f in FEATURES], label


def test_a_weight_never_points_against_its_evidence() -> None:
    # a labelled set where missing a rare word goes with right answers (a quirk)
    data = [_example(1.0, 1)] * 20 + [_example(0.0, 0)] * 10 + [_example(0.0, 1)] * 5
    model = fit(data, steps=300)
    for weight, feature in zip(model.weights, FEATURES, strict=True):
        assert weight * DIRECTION[feature] >= 0, feature
    assert model.weights[FEATURES.index("worst_miss")] == 0.0
