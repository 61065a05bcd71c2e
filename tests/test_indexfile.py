"""The stored index: every record round-trips, answers match a fresh build, and only
a trusted folder is ever read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cache, indexfile
from bot.engine import Engine
from bot.index import build
from bot.knowledge import load
from bot.query import parse

EXTRA_FACT = """
- id: all-fields-fact
  date: {start: 2024-12-18, end: 2024-12-19}
  date_note: evening
  kind: funding
  status: announced
  actors: [vietnam]
  place: hanoi
  headline: A fact with every optional field
  headline_vi: Một sự kiện
  summary: It has items, amounts, a quote, tags and a review status.
  summary_vi: Có đủ các trường.
  items: [one, two]
  items_of: things in the fact
  amounts: [{value: 2.5, unit: USD, of: the grant, qualifier: about}]
  quote: {by: vietnam, text: Quoted words}
  tags: [test]
  review: pending
  source: {source}
"""


@pytest.fixture
def rich_base(kb_copy: Path) -> Path:
    kb = load(kb_copy)
    source = next(iter(kb.sources))
    assert "hanoi" in kb.entities
    (kb_copy / "facts" / "zz-extra.yaml").write_text(
        EXTRA_FACT.replace("{source}", source), encoding="utf-8"
    )
    text = (kb_copy / "entities.yaml").read_text(encoding="utf-8")
    role = "    - role: test-role\n      title: Tester\n      from: 2020-01\n      to: 2021\n"
    role += f"      source: {source}\n"
    text = text.replace("  roles:\n", "  roles:\n" + role, 1)
    text += EXACT_ENTITY
    (kb_copy / "entities.yaml").write_text(text, encoding="utf-8")
    return kb_copy


EXACT_ENTITY = """
- id: planted-exact
  type: organisation
  name: Planted Office
  name_vi: Văn phòng Cài
  aliases: [{name: PO, exact: true}, Planted]
  description: An organisation whose alias is matched only as written.
"""


def test_every_record_round_trips(rich_base: Path, tmp_path: Path):
    kb = load(rich_base, drafts=True)  # the pending fact too
    assert any(f.review == "pending" and f.headline_vi for f in kb.facts)
    assert kb.entities["planted-exact"].exact_aliases == ("PO",)
    indexfile.save(build(kb), tmp_path / "index", "key")
    stored = indexfile.load(tmp_path / "index", "key", rich_base)
    assert stored is not None
    assert list(stored.kb.facts) == list(kb.facts)
    assert dict(stored.kb.entities) == dict(kb.entities)
    assert dict(stored.kb.sources) == dict(kb.sources)
    assert any(r.since and r.until for e in kb.entities.values() for r in e.roles)
    assert indexfile.load(tmp_path / "index", "other key", rich_base) is None


def test_stored_index_answers_like_a_fresh_build(rich_base: Path, tmp_path: Path):
    kb = load(rich_base)
    fresh = build(kb)
    indexfile.save(fresh, tmp_path / "index", "key")
    stored = indexfile.load(tmp_path / "index", "key", rich_base)
    assert stored is not None
    for n in range(len(kb.facts)):
        assert stored.facts[n] == fresh.facts[n]
    assert stored.vocabulary == fresh.vocabulary
    assert dict(stored.postings) == dict(fresh.postings)
    assert dict(stored.entity_postings) == dict(fresh.entity_postings)
    questions = [
        "who met the Lao defence minister?",
        "what happened in December 2024?",
        "what happened between 1995 and 2030?",
        "who is Pham Minh Chinh?",
        "Ai đã ký tuyên bố tầm nhìn chung về hợp tác quốc phòng?",
        "wat did the primeminister sign",
    ]
    a, b = Engine(kb, fresh), Engine(stored.kb, stored)
    for q in questions:
        assert a.ask(q).text == b.ask(q).text


def test_index_is_stored_once_and_read_back(kb_copy: Path):
    first = Engine.from_path(kb_copy)
    key = cache.fingerprint(kb_copy)
    folder = cache.cache_dir() / key
    assert (folder / "meta.json").is_file()
    assert cache.load_index(key, kb_copy) is not None
    again = Engine.from_path(kb_copy)
    question = "who met the Lao defence minister?"
    assert again.ask(question).text == first.ask(question).text


def test_cache_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ATTACHE_CACHE_DIR", str(tmp_path / "new-cache"))
    folder = cache.private_dir()
    assert folder is not None
    assert folder.stat().st_mode & 0o777 == 0o700


def test_folder_others_can_write_is_never_read(kb_copy: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("ATTACHE_CACHE_DIR", str(tmp_path / "cache"))
    Engine.from_path(kb_copy)
    key = cache.fingerprint(kb_copy)
    assert cache.load_index(key, kb_copy) is not None
    (tmp_path / "cache" / key).chmod(0o777)
    assert cache.load_index(key, kb_copy) is None
    (tmp_path / "cache" / key).chmod(0o700)
    (tmp_path / "cache").chmod(0o775)
    assert cache.load_index(key, kb_copy) is None


def test_prebuilt_shared_index_is_used(kb_copy: Path, tmp_path: Path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    kb = load(kb_copy)
    key = cache.fingerprint(kb_copy)
    assert cache.store_index(build(kb), key, shared) == shared / key
    monkeypatch.setenv("ATTACHE_INDEX_DIR", str(shared))
    monkeypatch.setenv("ATTACHE_CACHE_DIR", str(tmp_path / "empty"))
    assert cache.load_index(key, kb_copy) is not None


PLANTED = """
- id: indian-nho
  type: organisation
  name: National Hydrographic Office of India
  aliases: [NHO]
  description: India's national hydrographic office.

- id: tran-van-thanh
  type: person
  name: Tran Van Thanh
  aliases: [Thanh, Lich]
  description: A planted person.
"""


def test_stored_linker_guards_names_like_a_fresh_build(frozen_copy: Path, tmp_path: Path):
    entities = frozen_copy / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + PLANTED, encoding="utf-8")
    (frozen_copy / "facts" / "planted-russia.yaml").write_text(
        "- id: planted-russia-talks\n  date: 2021-11-29\n  kind: meeting\n"
        "  actors: [phan-van-giang]\n"
        "  headline: Phan Van Giang holds defence talks in Russia\n"
        "  summary: Phan Van Giang held talks on military-technical cooperation in Russia.\n"
        "  source: vov-2024-09-giang-us\n",
        encoding="utf-8",
    )
    kb = load(frozen_copy)
    fresh = build(kb)
    indexfile.save(fresh, tmp_path / "index", "key")
    stored = indexfile.load(tmp_path / "index", "key", frozen_copy)
    assert stored is not None
    assert dict(stored.linker.phrases.joined) == dict(fresh.linker.phrases.joined)
    assert stored.linker.guards.spellings == fresh.linker.guards.spellings
    assert fresh.linker.guards.shared and (
        stored.linker.guards.shared == fresh.linker.guards.shared
    )
    assert stored.linker.guards.beside == fresh.linker.guards.beside
    assert set(stored.linker.name_words) == set(fresh.linker.name_words)
    questions = [
        "ban ghi nho ky khi nao",
        "thank you, when was the expo held?",
        "What did the NHO sign?",
        "Who did Thanh meet?",
        "Who did Lich meet?",
        "Can you tell us who signed the joint vision statement?",
        "who is the us ambassador",
        "đại sứ pháp là ai?",
        "Việt Nam và Hoa Kỳ hợp tác về pháp luật quốc phòng thế nào?",
        "What did Giang discuss with the Russians?",
        "What did Britain sign with Vietnam?",
        "Who did Vietnam meet in Pyongyang?",
    ]
    for question in questions:
        a, b = parse(question, fresh), parse(question, stored)
        assert (a.entity_groups, a.countries, a.unknown) == (
            b.entity_groups,
            b.countries,
            b.unknown,
        )
    for word in ("thank", "woman", "rusia", "minsiter"):
        assert stored.correct(word) == fresh.correct(word)


def test_a_dropped_index_closes_its_files(kb_copy: Path, tmp_path: Path):
    import gc
    import os

    indexfile.save(build(load(kb_copy)), tmp_path / "index", "key")

    def open_files() -> int:
        gc.collect()
        return len(os.listdir("/proc/self/fd"))

    before = open_files()
    for _ in range(5):  # as live reload replaces one base by the next
        stored = indexfile.load(tmp_path / "index", "key", kb_copy)
        assert stored is not None and stored.kb.facts[0].id
        assert open_files() > before
        del stored
    assert open_files() == before
