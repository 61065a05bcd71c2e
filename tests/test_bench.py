"""The benchmark's synthetic bases are valid and its phases report every figure
(no timing is asserted: speed is read from `attache bench`, not from tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import bench
from bot.knowledge import check


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    folder = tmp_path_factory.mktemp("bench") / "kb"
    return folder, bench.synthesize(120, folder)


def test_synthetic_base_is_valid_and_grows_the_vocabulary(synthetic):
    folder, mixes = synthetic
    kb, problems = check(folder)
    assert problems == [] and kb is not None
    assert len(kb.facts) == 120
    synthetic_people = [e for e in kb.entities if e.endswith(tuple(f"-{n}" for n in range(120)))]
    assert len(synthetic_people) == 120
    assert set(mixes) == {"names", "realistic"}
    realistic = " ".join(mixes["realistic"])
    for kind in ("what happened in", "what happened between", "là ai", "weather"):
        assert kind in realistic


def test_serve_and_tantivy_phases_report_every_figure(synthetic):
    pytest.importorskip("tantivy")
    folder, mixes = synthetic
    small = {name: questions[:15] for name, questions in mixes.items()}
    ours = bench.serve_phase(folder, small, 20)
    theirs = bench.tantivy_phase(folder, small, 20)
    for result in (ours, theirs):
        for mix in ("names", "realistic"):
            assert set(result[mix]) >= {"p50", "p99", "mean", "max"}
        assert result["serve_mb"] > 0
    assert len(ours["slowest"]) == bench.SLOWEST or len(ours["slowest"]) == len(
        {q for qs in small.values() for q in qs}
    )
