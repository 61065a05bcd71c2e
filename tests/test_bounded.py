"""Bounded work per question: the helpers give what a full sort would, on a base large
enough for their large-base paths."""

from __future__ import annotations

import pytest

from bot import bench, bounded, compose
from bot.engine import Engine


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder = tmp_path_factory.mktemp("bounded") / "kb"
    bench.synthesize(600, folder)
    Engine.from_path(folder)  # builds and stores the index
    return Engine.from_path(folder)  # reads the stored one


def test_earliest_matches_a_full_sort_on_both_paths(large: Engine):
    index = large.index
    everything = set(range(len(index.facts)))
    some = {n for n in everything if n % 40 == 0}  # a small pool: sorted directly
    for pool in (everything, some):
        full = sorted((index.facts[n] for n in pool), key=compose.timeline_order)
        got = bounded.earliest(index, pool, 5, skip_statements=False)
        assert [index.facts[n] for n in got] == full[:5]


def test_long_timeline_is_summarised_with_counts(large: Engine):
    answer = large.ask("what happened between 1995 and 2030?")
    assert answer.answered
    assert "By year: 1995 (" in answer.text
    assert "more: ask about a single year or month" in answer.text
    assert len(answer.text) <= compose.TIMELINE_BUDGET
    assert 0 < len(answer.facts) <= bounded.SHOWN
    counted = sum(
        int(part.split("(")[1].rstrip(").,").replace(",", ""))
        for part in answer.text.split("\n")[1].removeprefix("By year: ").split("), ")
    )
    assert counted == len(large.index.facts)


def test_long_timeline_summary_speaks_vietnamese(large: Engine):
    index = large.index
    pool = set(range(len(index.facts)))
    text, used = bounded.timeline(compose.Wording("vi", index), [], index, pool)
    assert text.startswith(f"{len(pool):,} mục.\nTheo năm: ")
    assert f"…và {len(pool) - len(used):,} mục khác" in text
    assert used and len(text) <= compose.TIMELINE_BUDGET


def test_candidate_cap_keeps_the_last_in_base_order(large: Engine):
    pool = set(range(len(large.index.facts)))
    kept = bounded.cap(large.index, pool, 50)
    assert kept == set(range(len(pool) - 50, len(pool)))
    assert bounded.cap(large.index, {1, 2}, 50) == {1, 2}


def test_card_facts_are_what_a_full_sort_shows_first(large: Engine):
    index = large.index
    for entity in ("vietnam", "united-states", "laos"):
        related = [index.facts[n] for n in index.entity_postings.get(entity, ())]
        related.sort(
            key=lambda f: (entity not in f.actors, f.fact.kind == "statement", f.span.start)
        )
        for k in (1, 3):
            got = bounded.card_facts(index, entity, k)
            assert [f.fact.id for f in got] == [f.fact.id for f in related[:k]]


def test_involving_keeps_facts_naming_the_group(large: Engine):
    index = large.index
    pool = set(range(len(index.facts)))
    group = frozenset({"laos"})
    expected = {n for n in pool if index.facts[n].involves(group)}
    assert expected and bounded.involving(index, pool, group) == expected


def test_typo_correction_on_a_large_vocabulary_looks_at_words_sharing_a_letter(
    large: Engine, monkeypatch: pytest.MonkeyPatch
):
    from bot import index as index_module

    expected = {w: large.index.correct(w) for w in ("cooperatoin", "minsiter", "vsiit")}
    assert expected["cooperatoin"] == "cooperation"
    large.index.corrections.clear()
    monkeypatch.setattr(index_module, "LARGE_POOL", 0)
    assert {w: large.index.correct(w) for w in expected} == expected
    large.index.corrections.clear()


def test_earliest_from_the_asked_date_finds_the_same_facts(large: Engine):
    import datetime as dt

    from bot.dates import DateSpan

    index = large.index
    span = DateSpan(dt.date(2000, 1, 1), dt.date(2029, 12, 31), "range")
    pool = set(index.overlapping(span))
    assert len(pool) * bounded.SMALL_SHARE >= len(index.facts)  # the walking path
    since = bounded.earliest(index, pool, 5, skip_statements=False, since=span.start)
    assert since == bounded.earliest(index, pool, 5, skip_statements=False)
