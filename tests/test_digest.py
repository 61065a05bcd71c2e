"""The digest's content, and when it is due, in the channel's own time zone."""

import datetime as dt

import pytest

from bot import digest

UTC = dt.UTC


def test_on_this_day_lists_the_same_day_in_earlier_years(engine):
    d = digest.compose(engine, dt.date(2025, 12, 18), since=dt.date(2030, 1, 1))
    assert d.on_this_day and all(i.fact.date.start == dt.date(2024, 12, 18) for i in d.on_this_day)
    assert d.on_this_day[0].fact.kind == "meeting"
    assert not d.new and not d.coming_up


def test_multi_day_events_count_on_each_of_their_days(engine):
    d = digest.compose(engine, dt.date(2025, 12, 21), since=dt.date(2030, 1, 1))
    assert [i.fact.id for i in d.on_this_day] == ["vide-2024-held-in-hanoi"]


def test_new_lists_facts_from_sources_added_since_the_last_digest(engine):
    d = digest.compose(engine, dt.date(2026, 11, 22), since=dt.date(2026, 11, 21))
    kb = engine.kb
    added_that_day = [f for f in kb.facts if kb.sources[f.source].added == dt.date(2026, 11, 22)]
    assert added_that_day and len(d.new) == len(added_that_day)
    assert not digest.compose(engine, dt.date(2026, 11, 23), since=dt.date(2026, 11, 22)).new


def test_coming_up_lists_announced_events_in_the_next_seven_days(engine):
    d = digest.compose(engine, dt.date(2024, 11, 28), since=dt.date(2030, 1, 1))
    assert [i.fact.id for i in d.coming_up] == ["vide-2024-scheduled"]
    assert not digest.compose(engine, dt.date(2024, 11, 20), since=dt.date(2030, 1, 1)).coming_up


def test_every_item_is_cited(engine):
    d = digest.compose(engine, dt.date(2025, 9, 9), since=dt.date(2030, 1, 1))
    assert d.on_this_day
    assert all("(VOV.VN, " in line for line in d.sections()[0][1] if not line.startswith("…"))


def test_a_quiet_day_is_empty(engine):
    d = digest.compose(engine, dt.date(2026, 2, 3), since=dt.date(2030, 1, 1))
    assert d.empty and "Nothing new today" in d.text()


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("8:00", "08:00"), ("08:05", "08:05"), ("23:59", "23:59"), ("7h30", "07:30")],
)
def test_times(text, parsed):
    assert digest.parse_time(text) == parsed


@pytest.mark.parametrize("text", ["24:00", "8", "8:60", "noon", "08:00:00", "-1:00"])
def test_bad_times(text):
    assert digest.parse_time(text) is None


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "", "Asia"])
def test_bad_zones(name):
    assert digest.zone(name) is None


def test_due_in_the_channels_local_day():
    # 00:30 UTC on 22 Nov is 07:30 in Hanoi: not yet due at 08:00; 01:00 UTC is 08:00.
    assert digest.local_day(
        "08:00", "Asia/Ho_Chi_Minh", dt.datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
    ) == (dt.date(2026, 11, 22), False)
    assert digest.local_day(
        "08:00", "Asia/Ho_Chi_Minh", dt.datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    ) == (dt.date(2026, 11, 22), True)
    # 20:00 UTC on 22 Nov is already 03:00 on 23 Nov in Hanoi: a new local day, not yet due.
    assert digest.local_day(
        "08:00", "Asia/Ho_Chi_Minh", dt.datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    ) == (dt.date(2026, 11, 23), False)


def test_daylight_saving_gap_posts_at_the_jump():
    # New York, 8 March 2026: clocks jump from 02:00 to 03:00, so 02:30 never happens.
    before = dt.datetime(2026, 3, 8, 6, 59, tzinfo=UTC)  # 01:59 EST
    after = dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    assert digest.local_day("02:30", "America/New_York", before) == (dt.date(2026, 3, 8), False)
    assert digest.local_day("02:30", "America/New_York", after) == (dt.date(2026, 3, 8), True)


def test_daylight_saving_uses_the_new_offset():
    # Paris in summer is UTC+2: 08:00 local is 06:00 UTC; in winter UTC+1: 07:00 UTC.
    assert digest.local_day("08:00", "Europe/Paris", dt.datetime(2026, 7, 1, 6, 0, tzinfo=UTC))[1]
    assert not digest.local_day(
        "08:00", "Europe/Paris", dt.datetime(2026, 1, 15, 6, 30, tzinfo=UTC)
    )[1]
    assert digest.local_day("08:00", "Europe/Paris", dt.datetime(2026, 1, 15, 7, 0, tzinfo=UTC))[1]


def test_first_post():
    now = dt.datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
    assert digest.first_post("08:00", "Asia/Ho_Chi_Minh", now) == "tomorrow"
    assert digest.first_post("18:00", "Asia/Ho_Chi_Minh", now) == "today"
