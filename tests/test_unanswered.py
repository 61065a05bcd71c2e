"""Unanswered questions: kept without the asker, pruned after 90 days, grouped."""

import datetime as dt

import pytest

from bot import unanswered
from bot.cli import main
from bot.store import Store

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def store(database_url: str) -> Store:
    store = Store(database_url)
    store.migrate()
    return store


def test_similar_questions_are_grouped_most_asked_first(store):
    asked = [
        ("who is the Thai defence minister?", "en", 0),
        ("Who is Thailand's defence minister", "en", 1),
        ("who's the thai defense minister??", "en", 2),
        ("Việt Nam mua tàu ngầm của Nga khi nào?", "vi", 3),
        ("viet nam mua tau ngam cua nga khi nao", "vi", 4),
        ("what did Shoigu say in Hanoi?", "en", 5),
    ]
    for question, language, days_ago in asked:
        unanswered.record(store.engine, question, language, TODAY - dt.timedelta(days=days_ago))
    groups = unanswered.grouped(store.engine)
    assert [g.count for g in groups] == [3, 2, 1]
    assert groups[0].question == "who is the Thai defence minister?"
    assert groups[0].last_asked == TODAY and groups[1].languages == {"vi"}
    since = unanswered.grouped(store.engine, since=TODAY - dt.timedelta(days=1))
    assert [g.count for g in since] == [2]


def test_questions_older_than_90_days_are_dropped(store):
    unanswered.record(store.engine, "an old question", "en", TODAY - dt.timedelta(days=120))
    unanswered.record(store.engine, "a new question", "en", TODAY)
    assert [g.question for g in unanswered.grouped(store.engine)] == ["a new question"]


def test_report_unanswered_command(store, capsys):
    for question in ["who is the Thai defence minister?", "Who is Thailand's defence minister"]:
        unanswered.record(store.engine, question, "en", TODAY)
    assert main(["report", "unanswered", "--database", store.url]) == 0
    out = capsys.readouterr().out
    assert "2 unanswered question(s), in 1 group(s)" in out
    assert "2  who is the Thai defence minister?  (en; last 2026-11-20)" in out
    assert "also: Who is Thailand's defence minister" in out
    assert main(["report", "unanswered", "--since", "2026-11-21", "--database", store.url]) == 0
    assert "No unanswered questions since 2026-11-21." in capsys.readouterr().out


def test_only_i_dont_know_is_kept_without_the_asker(tmp_path, engine):
    from bot.reload import EngineHolder
    from bot.workqueue import WorkQueue
    from handlers.app import Deps
    from handlers.queue import Intake

    store = Store(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    store.migrate()
    deps = Deps(EngineHolder(engine), store, Intake(WorkQueue(store)))
    assert deps.ask("who is the Lao defence minister?").answered
    assert not deps.ask("Ai là bộ trưởng quốc phòng Thái Lan?").answered
    assert not deps.ask("").answered  # not a question: not kept
    (group,) = unanswered.grouped(store.engine)
    assert group.question == "Ai là bộ trưởng quốc phòng Thái Lan?" and group.languages == {"vi"}
    with store.engine.connect() as connection:
        columns = set(connection.execute(unanswered.unanswered.select()).keys())
    assert columns == {"id", "question", "language", "asked_on"}
