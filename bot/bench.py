"""`attache bench`: speed and memory on synthetic fact bases grown from the real one.

Each synthetic fact copies a real fact's shape but gets new people (with new names and
aliases), a new date and new words, so the vocabulary, the entity table and the index
really grow. The base is written as YAML and loaded through the normal loader. Each
size runs in its own process so that peak memory is that size's alone, and the naive
approach (`rapidfuzz.process.extractOne(question, every_fact_text, scorer=WRatio)`)
is timed on the same base and questions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import bundled_path, load

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tu",
    "vo",
    "sa",
    "pe",
    "dri",
    "quan",
    "thi",
    "zor",
    "bel",
    "ash",
    "nor",
    "vik",
    "lem",
    "ora",
    "pax",
    "tel",
]
NAIVE_QUESTIONS = 60  # the naive approach is slow at 100,000 facts: time a sample


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


def _plain(record: Any) -> dict[str, Any]:
    """A fact-base record as the plain mapping its YAML holds (None fields left out)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value

    return clean(dataclasses.asdict(record))


def _date(rng: random.Random) -> Any:
    day = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(35 * 365))
    kind = rng.random()
    if kind < 0.7:
        return day
    if kind < 0.85:
        return {"start": day, "end": day + dt.timedelta(days=rng.randrange(1, 6))}
    return f"{day.year}-{day.month:02d}" if kind < 0.95 else day.year


def synthesize(size: int, folder: Path, seed: int = 7) -> list[str]:
    """Write a fact base of `size` facts to `folder`; return the question mix for it."""
    rng = random.Random(seed)
    real = load(bundled_path())
    sources = [_plain(s) | {"published": s.published.start} for s in real.sources.values()]
    entities = [_plain(e) for e in real.entities.values()]
    for e in entities:
        for role in e.get("roles", []):
            role.pop("as_of", None)
    facts: list[dict[str, Any]] = []
    questions: list[str] = []
    templates = real.facts
    for n in range(size):
        base = templates[n % len(templates)]
        first, last = _word(rng, 2).title(), _word(rng, 3).title()
        person = f"{first.lower()}-{last.lower()}-{n}"
        country = _word(rng, 2).title()
        entities.append(
            {
                "id": person,
                "type": "person",
                "name": f"{first} {last}",
                "aliases": [last],
                "description": f"Defence official of {country}.",
            }
        )
        new_words = " ".join(_word(rng, 3) for _ in range(3))
        summary = f"{first} {last} of {country}: {base.summary} Also noted: {new_words}."
        fact: dict[str, Any] = {
            "id": f"synthetic-{n}",
            "date": _date(rng),
            "kind": base.kind,
            "actors": [person, *base.actors[:2]],
            "headline": f"{last}: {base.headline}"[:110],
            "summary": summary[:900],
            "tags": [*base.tags[:3], _word(rng, 2)],
            "source": base.source,
        }
        if base.items:
            fact["items"] = [*base.items[:4], f"{_word(rng, 2)} programme"]
        if base.amounts:
            fact["amounts"] = [_plain(a) for a in base.amounts]
        facts.append(fact)
        if n % max(1, size // 80) == 0:
            questions += [
                f"who is {first} {last}?",
                f"what did {last} say about {rng.choice(base.tags or ['cooperation'])}?",
                f"when did {first} {last} {'meet' if base.kind == 'meeting' else 'sign'} the agreement",
                f"what happened on {fact['date'] if isinstance(fact['date'], dt.date) else '9 September 2024'}",
                f"who met {last.lower()[:-1]}?",
            ]
    questions += [
        "who met the Lao defence minister?",
        "how much did the US pledge for Bien Hoa?",
        "which companies did the prime minister meet?",
        "When did Vietnam buy submarines from Russia?",
        "what happened on Dec 18?",
        "Ai đã ký tuyên bố tầm nhìn chung về hợp tác quốc phòng?",
    ]
    (folder / "facts").mkdir(parents=True)
    dump = {"Dumper": yaml.CSafeDumper, "allow_unicode": True, "sort_keys": False}
    (folder / "sources.yaml").write_text(yaml.dump(sources, **dump), encoding="utf-8")
    (folder / "entities.yaml").write_text(yaml.dump(entities, **dump), encoding="utf-8")
    for start in range(0, size, 5000):
        chunk = facts[start : start + 5000]
        (folder / "facts" / f"part-{start:07d}.yaml").write_text(
            yaml.dump(chunk, **dump), encoding="utf-8"
        )
    return questions


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def build_phase(folder: Path) -> dict[str, Any]:
    """Cold start: read the YAML, validate, index, write the cache."""
    from bot.engine import Engine

    started = time.perf_counter()
    engine = Engine.from_path(folder)
    return {
        "cold_load_s": round(time.perf_counter() - started, 2),
        "cold_peak_mb": _peak_mb(),
        "entities": len(engine.kb.entities),
    }


def serve_phase(folder: Path, questions: list[str], wanted: int) -> dict[str, Any]:
    """Warm start (as a restarted replica does), then the question mix, then the naive approach."""
    from rapidfuzz import fuzz, process

    from bot.engine import Engine

    started = time.perf_counter()
    engine = Engine.from_path(folder)
    load_s = time.perf_counter() - started
    rng = random.Random(11)
    mix = [rng.choice(questions) for _ in range(wanted)]
    engine.ask(mix[0])  # dateparser builds its tables on first use
    timings, answered = [], 0
    for q in mix:
        t = time.perf_counter()
        answered += engine.ask(q).answered
        timings.append(time.perf_counter() - t)
    peak = _peak_mb()
    texts = [f"{i.fact.headline} {i.fact.summary}" for i in engine.index.facts]
    naive = []
    for q in mix[:NAIVE_QUESTIONS]:
        t = time.perf_counter()
        process.extractOne(q, texts, scorer=fuzz.WRatio)
        naive.append(time.perf_counter() - t)
    p50, p99 = _percentiles(timings)
    n50, n99 = _percentiles(naive)
    return {
        "warm_load_s": round(load_s, 2),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "naive_p50_ms": round(n50, 1),
        "naive_p99_ms": round(n99, 1),
        "speedup_p50": round(n50 / p50) if p50 else 0,
        "serve_peak_mb": peak,
        "answered": f"{answered}/{len(mix)}",
    }


def _phase(env: dict[str, str], *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bot.bench", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr else "failed")
    return json.loads(result.stdout)


def run(sizes: list[int], questions: int) -> None:
    print(
        f"attache bench: {questions} questions per size; naive = rapidfuzz extractOne(question, "
        f"every fact text, scorer=WRatio) on {NAIVE_QUESTIONS} of them, same base"
    )
    columns = (
        "facts",
        "cold load s",
        "warm load s",
        "p50 ms",
        "p99 ms",
        "naive p50",
        "naive p99",
        "x p50",
        "cold MB",
        "serve MB",
        "answered",
    )
    print("  ".join(f"{c:>11}" for c in columns))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder, qfile = Path(tmp) / "kb", Path(tmp) / "questions.json"
            qfile.write_text(json.dumps(synthesize(size, folder)), encoding="utf-8")
            env = {**os.environ, "ATTACHE_CACHE_DIR": str(Path(tmp) / "cache")}
            try:
                cold = _phase(env, "build", str(folder))
                warm = _phase(env, "serve", str(folder), str(qfile), str(questions))
            except RuntimeError as exc:
                print(f"{size:>11}  failed: {exc}")
                continue
        row = (
            size,
            cold["cold_load_s"],
            warm["warm_load_s"],
            warm["p50_ms"],
            warm["p99_ms"],
            warm["naive_p50_ms"],
            warm["naive_p99_ms"],
            warm["speedup_p50"],
            cold["cold_peak_mb"],
            warm["serve_peak_mb"],
            warm["answered"],
        )
        print("  ".join(f"{v:>11}" for v in row), flush=True)


if __name__ == "__main__":
    phase, folder_arg = sys.argv[1], Path(sys.argv[2])
    if phase == "build":
        print(json.dumps(build_phase(folder_arg)))
    else:
        asked = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        print(json.dumps(serve_phase(folder_arg, asked, int(sys.argv[4]))))
