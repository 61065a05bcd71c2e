"""`attache bench`: start-up, memory and answer times on synthetic fact bases.

Each synthetic fact copies a real fact's shape but gets new people (with new names and
aliases), a new date and new words drawn from a large made-up vocabulary, so the
vocabulary, the entity table and the index really grow. The base is written as YAML
and read through the normal loader.

Per size it reports, each measured in its own process so that memory is that
process's alone:
- cold start: `attache ask` on the new base, index build included, and its peak memory;
- warm start: `attache ask` again (median of three), reading the stored index;
- answer times on two mixes: name look-ups, and a realistic mix of generic words,
  timelines over months and years, typos, Vietnamese and out-of-scope questions;
  with the serving process's peak memory and the ten slowest questions;
- the same facts and questions in tantivy (a Rust search library; top 3 hits of the
  question's words), side by side, as a ratio of medians.
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

_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "qu",
    "r",
    "s",
    "t",
    "v",
    "x",
    "z",
    "ch",
    "kh",
    "ng",
    "nh",
    "ph",
    "th",
    "tr",
    "gi",
]
_VOWELS = [
    "a",
    "e",
    "i",
    "o",
    "u",
    "y",
    "ai",
    "ao",
    "au",
    "ei",
    "ie",
    "oa",
    "oi",
    "ua",
    "uo",
    "ue",
    "ia",
]
_CODAS = ["", "", "", "n", "m", "ng", "t", "c", "p", "r", "l", "s", "k"]
_REAL_WORDS = [
    "radar",
    "frigate",
    "corvette",
    "helicopter",
    "drone",
    "patrol",
    "satellite",
    "cyber",
    "logistics",
    "training",
    "exercise",
    "submarine",
    "maritime",
    "coast",
    "guard",
    "academy",
    "hospital",
    "demining",
    "dioxin",
    "remediation",
    "aircraft",
    "engine",
    "shipyard",
    "ammunition",
    "uniform",
    "peacekeeping",
    "rescue",
    "disaster",
    "relief",
    "intelligence",
    "sonar",
    "missile",
    "artillery",
    "vehicle",
    "simulator",
    "laboratory",
    "scholarship",
]
_OUT_OF_SCOPE = [
    "what is the weather in Paris tomorrow?",
    "who won the world cup in 2018?",
    "recipe for pho bo",
    "what did Canada say about Mars exploration?",
    "how tall is the Eiffel tower?",
    "Thời tiết Hà Nội hôm nay thế nào?",
]
_VIETNAMESE = [
    "Ai đã ký tuyên bố tầm nhìn chung về hợp tác quốc phòng?",
    "Bộ trưởng Quốc phòng Lào đã gặp ai?",
    "Chuyện gì xảy ra ngày 18/12/2024?",
    "Hợp tác quốc phòng Việt Nam Hoa Kỳ",
]
_GENERIC = [
    "defence cooperation",
    "what did they say?",
    "training",
    "agreement signed",
    "cooperation on cybersecurity",
    "who met the prime minister?",
    "timeline of Vietnam",
    "what happened between 1995 and 2030?",
]
SLOWEST = 10


def _syllable(rng: random.Random) -> str:
    return rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)


def _word(rng: random.Random, parts: int) -> str:
    return "".join(_syllable(rng) for _ in range(parts))


def _typo(rng: random.Random, word: str) -> str:
    """`word` with two neighbouring letters swapped (or one dropped)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def _plain(record: Any) -> dict[str, Any]:
    """A fact-base record as the plain mapping its YAML holds (None fields left out)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return clean(dataclasses.asdict(record))


def _day(rng: random.Random) -> dt.date:
    return dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(35 * 365))


def _date(rng: random.Random) -> Any:
    day = _day(rng)
    kind = rng.random()
    if kind < 0.7:
        return day
    if kind < 0.85:
        return {"start": day, "end": day + dt.timedelta(days=rng.randrange(1, 6))}
    return f"{day.year}-{day.month:02d}" if kind < 0.95 else day.year


def synthesize(size: int, folder: Path, seed: int = 7) -> dict[str, list[str]]:
    """Write a fact base of `size` facts to `folder`; return its question mixes
    ("names" and "realistic")."""
    rng = random.Random(seed)
    real = load(bundled_path())
    sources = [_plain(s) | {"published": s.published.start} for s in real.sources.values()]
    entities = [_plain(e) for e in real.entities.values()]
    for e in entities:
        for role in e.get("roles", []):
            role.pop("as_of", None)
            role.pop("since", None)
            role.pop("until", None)
    facts: list[dict[str, Any]] = []
    names: list[str] = []
    realistic: list[str] = [*_GENERIC, *_VIETNAMESE, *_OUT_OF_SCOPE]
    lexicon = [_word(rng, rng.randint(2, 4)) for _ in range(max(200, size // 2))]
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
        made_up = [rng.choice(lexicon) for _ in range(rng.randint(3, 8))]
        made_up += rng.sample(_REAL_WORDS, 2)
        summary = f"{first} {last} of {country}: {base.summary} Also noted: {' '.join(made_up)}."
        fact: dict[str, Any] = {
            "id": f"synthetic-{n}",
            "date": _date(rng),
            "kind": base.kind,
            "actors": [person, *base.actors[:2]],
            "headline": f"{last}: {base.headline}"[:110],
            "summary": summary[:900],
            "tags": [*base.tags[:3], rng.choice(lexicon)],
            "source": base.source,
        }
        if base.items:
            fact["items"] = [*base.items[:4], f"{rng.choice(lexicon)} programme"]
        if base.amounts:
            fact["amounts"] = [_plain(a) for a in base.amounts]
        facts.append(fact)
        if n % max(1, size // 80) == 0:
            topic = rng.choice(base.tags or ["cooperation"])
            names += [
                f"who is {first} {last}?",
                f"what did {last} say about {topic}?",
                f"when did {first} {last} {'meet' if base.kind == 'meeting' else 'sign'} the agreement",
                f"who met {last.lower()[:-1]}?",
            ]
            year = 1995 + rng.randrange(35)
            month = dt.date(2000, 1 + rng.randrange(12), 1).strftime("%B")
            realistic += [
                f"what happened in {month} {year}?",
                f"what happened in {year}?",
                f"what happened between {year} and {year + rng.randint(1, 10)}?",
                f"what happened on {_day(rng).strftime('%d %B %Y').lstrip('0')}?",
                f"who is {_typo(rng, first)} {_typo(rng, last)}?",
                f"wat did {_typo(rng, last)} say abuot {topic}",
                f"{first} {last} là ai?",
                f"{rng.choice(_REAL_WORDS)} {rng.choice(lexicon)}",
                f"what about {rng.choice(_REAL_WORDS)} and {rng.choice(_REAL_WORDS)}?",
            ]
    names += [
        "who met the Lao defence minister?",
        "how much did the US pledge for Bien Hoa?",
        "which companies did the prime minister meet?",
        "When did Vietnam buy submarines from Russia?",
    ]
    (folder / "facts").mkdir(parents=True)
    dump: dict[str, Any] = {"Dumper": yaml.CSafeDumper, "allow_unicode": True, "sort_keys": False}
    (folder / "sources.yaml").write_text(yaml.dump(sources, **dump), encoding="utf-8")
    (folder / "entities.yaml").write_text(yaml.dump(entities, **dump), encoding="utf-8")
    for start in range(0, size, 5000):
        chunk = facts[start : start + 5000]
        (folder / "facts" / f"part-{start:07d}.yaml").write_text(
            yaml.dump(chunk, **dump), encoding="utf-8"
        )
    return {"names": names, "realistic": realistic}


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "p50": round(statistics.median(ordered) * 1000, 2),
        "p99": round(p99 * 1000, 2),
        "mean": round(statistics.fmean(ordered) * 1000, 2),
        "max": round(ordered[-1] * 1000, 1),
    }


def _peak_mb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited
    from the process that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _mix(questions: list[str], wanted: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(questions) for _ in range(wanted)]


def serve_phase(folder: Path, mixes: dict[str, list[str]], wanted: int) -> dict[str, Any]:
    """Warm start in this process, then each question mix in turn."""
    from bot.engine import Engine

    started = time.perf_counter()
    engine = Engine.from_path(folder)
    out: dict[str, Any] = {"load_s": round(time.perf_counter() - started, 3)}
    slowest: list[tuple[float, str]] = []
    for name, questions in mixes.items():
        timings, answered = [], 0
        for q in _mix(questions, wanted, seed=11):
            t = time.perf_counter()
            answered += engine.ask(q).answered
            timings.append(time.perf_counter() - t)
            slowest.append((timings[-1], q))
        out[name] = _stats(timings) | {"answered": f"{answered}/{len(timings)}"}
    slowest.sort(reverse=True)
    unique: dict[str, float] = {}
    for seconds, q in slowest:
        unique.setdefault(q, seconds)
    out["slowest"] = [[round(s * 1000, 1), q] for q, s in list(unique.items())[:SLOWEST]]
    out["serve_mb"] = _peak_mb()
    return out


def tantivy_phase(folder: Path, mixes: dict[str, list[str]], wanted: int) -> dict[str, Any]:
    """The same facts in tantivy (headline, summary, items, tags), each question's words
    searched as a disjunction for the top 3 hits."""
    import tantivy

    from bot.index import fact_text
    from bot.text import tokens

    kb = load(folder)
    schema_builder = tantivy.SchemaBuilder()
    schema_builder.add_text_field("body", stored=False)
    schema_builder.add_text_field("id", stored=True)
    schema = schema_builder.build()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        index = tantivy.Index(schema, path=tmp)
        writer = index.writer(heap_size=200_000_000)
        for fact in kb.facts:
            writer.add_document(tantivy.Document(body=fact_text(fact), id=fact.id))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        build_s = time.perf_counter() - started
        del kb
        searcher = index.searcher()
        out: dict[str, Any] = {"build_s": round(build_s, 2)}
        for name, questions in mixes.items():
            timings = []
            for q in _mix(questions, wanted, seed=11):
                t = time.perf_counter()
                words = " ".join(tokens(q)) or "nothing"
                searcher.search(index.parse_query(words, ["body"]), 3)
                timings.append(time.perf_counter() - t)
            out[name] = _stats(timings)
    out["serve_mb"] = _peak_mb()
    return out


def _child(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a child process: its wall time (s), peak memory (MB, its own) and output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise RuntimeError((err.read().strip().splitlines() or ["failed"])[-1])
        return seconds, round(usage.ru_maxrss / 1024), out.read()


def _ask(folder: Path, env: dict[str, str]) -> tuple[float, int]:
    question = "who met the Lao defence minister?"
    args = [sys.executable, "-m", "handlers", "ask", "--knowledge", str(folder), question]
    seconds, peak, _ = _child(args, env)
    return seconds, peak


def measure(size: int, questions: int) -> dict[str, Any]:
    """Every figure for one size, on a fresh synthetic base in a temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, qfile = Path(tmp) / "kb", Path(tmp) / "questions.json"
        env = {**os.environ, "ATTACHE_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("ATTACHE_INDEX_DIR", None)
        # Written by a child, so that this process stays small: a child's peak memory
        # (ru_maxrss) starts from its parent's.
        phase = [sys.executable, "-m", "bot.bench"]
        _child([*phase, "synthesize", str(folder), str(qfile), str(size)], env)
        cold_s, cold_mb = _ask(folder, env)
        warm = [_ask(folder, env)[0] for _ in range(3)]
        index_mb = sum(p.stat().st_size for p in (Path(tmp) / "cache").rglob("*") if p.is_file())
        _, _, ours = _child([*phase, "serve", str(folder), str(qfile), str(questions)], env)
        _, _, theirs = _child([*phase, "tantivy", str(folder), str(qfile), str(questions)], env)
    return {
        "facts": size,
        "cold_start_s": round(cold_s, 2),
        "cold_mb": cold_mb,
        "warm_start_s": round(statistics.median(warm), 2),
        "index_mb": round(index_mb / 2**20),
        "ours": json.loads(ours),
        "tantivy": json.loads(theirs),
    }


def _table(rows: list[tuple[Any, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(f"{v!s:>{w}}" for v, w in zip(row, widths, strict=True)), flush=True)


def run(sizes: list[int], questions: int) -> None:
    """Measure each size and print the tables."""
    print(
        f"attache bench: {questions} questions per mix and size; start times are whole "
        "`attache ask` processes; tantivy = the same facts, top 3 hits of the question's words"
    )
    results = []
    for size in sizes:
        try:
            results.append(measure(size, questions))
        except RuntimeError as exc:
            print(f"{size:>9,} facts: failed: {exc}")
            continue
        r = results[-1]
        print(f"\n{size:,} facts: ten slowest questions (ms)")
        for ms, q in r["ours"]["slowest"]:
            print(f"  {ms:>8}  {q}")
    if not results:
        return
    print("\nStart and memory")
    rows: list[tuple[Any, ...]] = [
        ("facts", "cold start s", "cold MB", "warm start s", "load s", "serve MB", "index MB"),
    ]
    rows += [
        (
            f"{r['facts']:,}",
            r["cold_start_s"],
            r["cold_mb"],
            r["warm_start_s"],
            r["ours"]["load_s"],
            r["ours"]["serve_mb"],
            r["index_mb"],
        )
        for r in results
    ]
    _table(rows)
    print("\nAnswer times (ms); tantivy on the same facts and questions")
    rows = [
        ("facts", "mix", "p50", "p99", "mean", "max", "answered", "tantivy p50", "p99", "x p50")
    ]
    for r in results:
        for mix in ("names", "realistic"):
            ours, theirs = r["ours"][mix], r["tantivy"][mix]
            ratio = ours["p50"] / theirs["p50"] if theirs["p50"] else 0.0
            rows.append(
                (
                    f"{r['facts']:,}",
                    mix,
                    ours["p50"],
                    ours["p99"],
                    ours["mean"],
                    ours["max"],
                    ours["answered"],
                    theirs["p50"],
                    theirs["p99"],
                    f"{ratio:.1f}",
                )
            )
    _table(rows)


if __name__ == "__main__":
    phase, folder_arg, questions_file = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if phase == "synthesize":
        made = synthesize(int(sys.argv[4]), folder_arg)
        questions_file.write_text(json.dumps(made), encoding="utf-8")
    else:
        asked = json.loads(questions_file.read_text(encoding="utf-8"))
        measure_phase = serve_phase if phase == "serve" else tantivy_phase
        print(json.dumps(measure_phase(folder_arg, asked, int(sys.argv[4]))))
