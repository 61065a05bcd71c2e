from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBaseError, check, load


def problems(path: Path) -> list[str]:
    kb, found = check(path)
    assert kb is None
    return [str(p) for p in found]


def test_shipped_base_is_clean():
    kb, found = check(None)
    assert found == []
    assert kb is not None
    assert len(kb.facts) >= 60
    assert {"en", "vi"} <= {s.language for s in kb.sources.values()}


def test_every_fact_cites_an_existing_source_and_every_source_is_used():
    kb = load(None)
    used = {f.source for f in kb.facts}
    assert used == set(kb.sources)


def test_inferred_years_say_so():
    kb = load(None)
    day_facts_from_undated = [
        f for f in kb.facts if f.source in ("imce-2024-12-18", "hpha-2016-03-16")
    ]
    assert day_facts_from_undated
    assert all(
        f.date_note and "inferred" in f.date_note
        for f in day_facts_from_undated
        if f.date.precision == "day"
    )


def test_unknown_field(edit):
    path = edit(
        "facts/imce-2024-12-18.yaml", "  kind: meeting\n", "  kind: meeting\n  colour: blue\n"
    )
    assert any(
        "pm-chinh-meets-usabc-defence-delegation" in p and "colour: unknown field" in p
        for p in problems(path)
    )


def test_wrong_type(edit):
    path = edit(
        "facts/imce-2024-12-18.yaml",
        "  actors: [pham-minh-chinh, khamliang-outhakaysone]\n",
        "  actors: pham-minh-chinh\n",
    )
    assert any("facts/imce-2024-12-18.yaml" in p and "actors" in p for p in problems(path))


def test_malformed_date(edit):
    path = edit("facts/vna-2024-12-20.yaml", "  date: 2024-10\n", "  date: October 2024\n")
    assert any(
        "vietnam-france-comprehensive-strategic-partnership" in p and "date" in p
        for p in problems(path)
    )


def test_duplicate_id(edit):
    path = edit(
        "facts/vna-2024-12-20.yaml", "- id: vide-debut-2022\n", "- id: vide-2024-held-in-hanoi\n"
    )
    assert any("duplicate fact id 'vide-2024-held-in-hanoi'" in p for p in problems(path))


def test_unknown_actor(edit):
    path = edit(
        "facts/vna-2024-12-20.yaml", "  actors: [jedidiah-royal]\n", "  actors: [jed-royale]\n"
    )
    assert any(
        "royal-us-welcomes-stronger-cooperation" in p and "unknown entity 'jed-royale'" in p
        for p in problems(path)
    )


def test_unknown_source(edit):
    path = edit("facts/vna-2024-12-20.yaml", "  source: vna-2024-12-20\n", "  source: vna-2099\n")
    assert any("unknown source 'vna-2099'" in p for p in problems(path))


def test_fact_without_source(edit):
    path = edit("facts/vna-2024-12-20.yaml", "  source: vna-2024-12-20\n", "")
    assert any("source: field required" in p for p in problems(path))


def test_bad_yaml_names_the_line(kb_copy):
    (kb_copy / "facts" / "broken.yaml").write_text(
        "- id: x\n  summary: [unclosed\n", encoding="utf-8"
    )
    found = problems(kb_copy)
    assert any(p.startswith("facts/broken.yaml: line") and "not valid YAML" in p for p in found)


def test_duplicate_key_in_an_entry(kb_copy):
    (kb_copy / "facts" / "dup.yaml").write_text("- id: x\n  id: y\n", encoding="utf-8")
    assert any(
        "facts/dup.yaml" in p and "duplicate mapping key: 'id'" in p for p in problems(kb_copy)
    )


def test_file_that_is_not_a_list(kb_copy):
    (kb_copy / "facts" / "odd.yaml").write_text("id: x\n", encoding="utf-8")
    assert any("facts/odd.yaml" in p and "must be a list" in p for p in problems(kb_copy))


def test_every_problem_is_reported_at_once(edit):
    edit("facts/vna-2024-12-20.yaml", "  actors: [jedidiah-royal]\n", "  actors: [nobody]\n")
    path = edit("facts/vna-2024-12-20.yaml", "  date: 2024-10\n", "  date: 2024-13\n")
    assert len(problems(path)) >= 2


def test_missing_folder(tmp_path):
    with pytest.raises(KnowledgeBaseError) as info:
        load(tmp_path / "nowhere")
    assert "is not a folder" in str(info.value.problems[0])
