import datetime as dt

import pytest

from bot import dates
from bot.dates import DateSpan, find, month_span, parse_fact_date

TODAY = dt.date(2026, 11, 22)


def only(text: str, today: dt.date | None = TODAY) -> DateSpan:
    found = find(text, today)
    assert len(found) == 1, found
    return found[0].span


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("18/12/2024", dt.date(2024, 12, 18)),
        ("the 9th of September 2024", dt.date(2024, 9, 9)),
        ("Sep 9, 2024", dt.date(2024, 9, 9)),
        ("2024-09-09", dt.date(2024, 9, 9)),
        ("ngày 9 tháng 9 năm 2024", dt.date(2024, 9, 9)),
        ("on 30.10.2025", dt.date(2025, 10, 30)),
        ("12/18/2024", dt.date(2024, 12, 18)),
    ],
)
def test_full_dates(text, day):
    span = only(text)
    assert (span.start, span.end, span.precision, span.year_known) == (day, day, "day", True)


@pytest.mark.parametrize("text", ["Dec 18", "18/12", "18 December", "December 18th"])
def test_dates_without_a_year_keep_the_year_unknown(text):
    span = only(text)
    assert not span.year_known
    assert (span.start.month, span.start.day, span.precision) == (12, 18, "day")


def test_vietnamese_day_without_year():
    span = only("ngày 16/3")
    assert (span.start.month, span.start.day, span.year_known) == (3, 16, False)


def test_month_is_a_month_not_a_day():
    span = only("September 2024")
    assert (span.start, span.end, span.precision) == (
        dt.date(2024, 9, 1),
        dt.date(2024, 9, 30),
        "month",
    )
    assert only("tháng 12 năm 2024").precision == "month"


def test_year():
    span = only("events of 2016")
    assert (span.start, span.end, span.precision) == (
        dt.date(2016, 1, 1),
        dt.date(2016, 12, 31),
        "year",
    )


@pytest.mark.parametrize(
    "text",
    [
        "between 6 and 11 September 2024",
        "6-11 September 2024",
        "September 6-11, 2024",
        "from 6 Sep 2024 to 11 Sep 2024",
    ],
)
def test_ranges(text):
    span = only(text)
    assert (span.start, span.end, span.precision) == (
        dt.date(2024, 9, 6),
        dt.date(2024, 9, 11),
        "range",
    )


def test_relative_dates_count_from_today():
    assert only("what happened last month").describe() == "October 2026"
    assert only("last year").describe() == "2025"
    assert only("yesterday").start == dt.date(2026, 11, 21)
    assert only("tháng trước").describe() == "October 2026"


def test_relative_dates_need_a_today():
    assert find("last month", None) == []


def test_no_dates_in_plain_questions_and_impossible_dates_ignored():
    assert find("who met the Lao defence minister?", TODAY) == []
    assert find("may I ask who met Giang", TODAY) == []
    assert find("31/02/2024", TODAY) == []


def test_describe():
    assert (
        parse_fact_date({"start": dt.date(2024, 12, 19), "end": dt.date(2024, 12, 22)}).describe()
        == "19-22 December 2024"
    )
    assert parse_fact_date("2024-09").describe() == "September 2024"
    assert parse_fact_date(2025).describe() == "2025"


@pytest.mark.parametrize(
    "value",
    [
        "2024-13",
        "24-09-09",
        "September 2024",
        {"start": dt.date(2024, 9, 9)},
        {"start": dt.date(2024, 9, 9), "end": dt.date(2024, 9, 1)},
        3.5,
    ],
)
def test_malformed_fact_dates_are_rejected(value):
    with pytest.raises(ValueError):
        parse_fact_date(value)


def test_ambiguous_numeric_date_keeps_its_month_first_reading():
    from bot import dates

    (found,) = dates.find("what happened on 9/11/2024?")
    assert found.span.start == dt.date(2024, 11, 9)
    assert found.other_reading is not None and found.other_reading.start == dt.date(2024, 9, 11)
    (plain,) = dates.find("on 18/12/2024")
    assert plain.other_reading is None


def test_seasons_halves_and_weeks():
    from bot import dates

    def span(text):
        (found,) = dates.find(text)
        return found.span.start, found.span.end

    assert span("winter 2024") == (dt.date(2024, 12, 1), dt.date(2025, 2, 28))
    assert span("the second half of Dec 2024") == (dt.date(2024, 12, 16), dt.date(2024, 12, 31))
    assert span("late oct 2025") == (dt.date(2025, 10, 21), dt.date(2025, 10, 31))
    assert span("the week of 8 Sept 2024") == (dt.date(2024, 9, 8), dt.date(2024, 9, 14))
    assert span("cuối tháng 12 năm 2024") == (dt.date(2024, 12, 21), dt.date(2024, 12, 31))


def test_a_month_and_two_digits_may_be_a_year():
    (found,) = dates.find("how long did the expo run in dec 24")
    assert found.span.start == dt.date(2000, 12, 24) and not found.span.year_known
    assert found.other_reading == month_span(2024, 12)
    (ordinal,) = dates.find("what happened on dec 24th")
    assert ordinal.other_reading is None  # "24th" is a day


def test_the_year_reading_answers_when_the_day_has_nothing(engine):
    answer = engine.ask("how long did the hanoi defence expo run in dec 24")
    assert answer.answered and "19" in answer.text and "22" in answer.text


def test_a_bare_day_of_the_month():
    assert dates.bare_days("who did giang phone on the 8th during his us trip") == [(8, "8th")]
    assert dates.bare_days("what happened on the 19th?") == [(19, "19th")]
    assert dates.bare_days("what did he say on the 9th moscow conference") == []


def test_a_bare_day_is_read_against_the_facts_days(engine):
    answer = engine.ask("who did giang phone on the 8th during his us trip")
    assert answer.answered and answer.text.startswith("Patrick Leahy.")
    # a name ending in a full stop gets no second one
    assert engine.ask("who did giang meet on the 30th").text.startswith("Gilberto Teodoro Jr.\n")


def test_parts_of_a_year():
    (late,) = dates.find("what did vinh do in late 2018")
    assert (late.span.start, late.span.end) == (dt.date(2018, 9, 1), dt.date(2018, 12, 31))
    (half,) = dates.find("second half of 2023")
    assert half.span.start == dt.date(2023, 7, 1)
