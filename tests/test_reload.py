"""EngineHolder: a changed base is swapped in; an invalid one is kept out and logged once."""

import logging
from pathlib import Path

from bot.engine import Engine
from bot.reload import EngineHolder, poll_seconds

NEW_FACT = """
- id: planted-reload-fact
  date: 2025-03-04
  kind: meeting
  actors: [phan-van-giang, olivier-brochet]
  place: hanoi
  headline: Phan Van Giang receives French Ambassador Olivier Brochet
  summary: On 4 March 2025 in Hanoi, Phan Van Giang received Olivier Brochet to discuss defence industry cooperation.
  source: vna-2024-12-20
"""


def holder_for(root: Path) -> EngineHolder:
    return EngineHolder(Engine.from_path(root, use_cache=False), root)


def test_an_unchanged_base_is_not_rebuilt(kb_copy):
    holder = holder_for(kb_copy)
    before = holder.engine
    assert holder.check() is False and holder.engine is before


def test_a_changed_base_is_swapped_in(kb_copy):
    holder = holder_for(kb_copy)
    old = holder.status()
    (kb_copy / "facts" / "planted.yaml").write_text(NEW_FACT, encoding="utf-8")
    assert holder.check() is True
    new = holder.status()
    assert new["version"] != old["version"] and new["facts"] == old["facts"] + 1
    assert holder.engine.ask("when did Giang receive Brochet?").answered


def test_an_invalid_edit_keeps_the_old_base_and_logs_each_problem_once(kb_copy, caplog):
    holder = holder_for(kb_copy)
    serving, version = holder.engine, holder.version
    broken = NEW_FACT.replace("olivier-brochet]", "olivier-brochett]")
    (kb_copy / "facts" / "planted.yaml").write_text(broken, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="attache"):
        assert holder.check() is False
        (kb_copy / "facts" / "planted.yaml").write_text(broken + "\n", encoding="utf-8")
        assert holder.check() is False
    assert holder.engine is serving and holder.version == version
    assert "olivier-brochett" in (holder.status()["last_error"] or "")
    problems = [r.message for r in caplog.records if "olivier-brochett" in r.message]
    assert len(problems) == 1
    (kb_copy / "facts" / "planted.yaml").write_text(NEW_FACT, encoding="utf-8")
    assert holder.check() is True and holder.status()["last_error"] is None


def test_poll_setting(monkeypatch):
    monkeypatch.delenv("ATTACHE_KNOWLEDGE_POLL", raising=False)
    assert poll_seconds() == 30
    monkeypatch.setenv("ATTACHE_KNOWLEDGE_POLL", "0.5")
    assert poll_seconds() == 0.5
    monkeypatch.setenv("ATTACHE_KNOWLEDGE_POLL", "soon")
    assert poll_seconds() is None
