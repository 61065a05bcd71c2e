"""Answer or abstain: a small logistic model over what the best match agrees with.

The features say how well the best fact covers the question (rare terms, entities,
dates, intent) and how far it stands above the runner-up. The weights are learned
from labelled questions by `python -m bot.calibrate` and stored in
bot/calibration.json, so a new article does not silently move a hand-set threshold.
Between `closest_at` and `answer_at` the engine offers the match as "closest I have"
without claiming it answers the question.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FEATURES = (
    "score",
    "term_coverage",
    "rare_coverage",
    "entity_agreement",
    "date_agreement",
    "margin",
    "intent_fit",
    "unseen_share",
    "missing_terms",
    "unseen_en",
    "unnamed_coverage",
    "vietnamese",
    "worst_miss",
)
# The direction each feature's evidence points (+1: for answering, -1: against, 0: either).
# Fitting keeps every weight on its side, so a quirk of the labelled set cannot teach the
# model that missing a rare word, or agreeing less with the named entities, argues for an
# answer.
DIRECTION = {
    "score": 1,
    "term_coverage": 1,
    "rare_coverage": 1,
    "entity_agreement": 1,
    "date_agreement": 1,
    "margin": 1,
    "intent_fit": 1,
    "unseen_share": -1,
    "missing_terms": -1,
    "unseen_en": -1,
    "unnamed_coverage": 1,
    "vietnamese": 0,
    "worst_miss": -1,
}


@dataclass(frozen=True)
class Model:
    """Logistic weights (one per feature, plus a bias) and the two cut-offs."""

    weights: tuple[float, ...]
    bias: float
    answer_at: float
    closest_at: float

    def probability(self, features: dict[str, float]) -> float:
        """The estimated chance that answering with this match is right."""
        z = self.bias + sum(w * features[f] for w, f in zip(self.weights, FEATURES, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 5) for w in self.weights],
            "bias": round(self.bias, 5),
            "answer_at": round(self.answer_at, 4),
            "closest_at": round(self.closest_at, 4),
        }


@lru_cache(maxsize=1)
def load() -> Model:
    """The calibrated model shipped in bot/calibration.json."""
    spec = json.loads(resources.files("bot").joinpath("calibration.json").read_text("utf-8"))
    if tuple(spec["features"]) != FEATURES:
        raise ValueError("bot/calibration.json is for other features: run python -m bot.calibrate")
    return Model(
        tuple(float(w) for w in spec["weights"]),
        float(spec["bias"]),
        float(spec["answer_at"]),
        float(spec["closest_at"]),
    )
