from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import check, load
from bot.lints import lint


def warnings(path: Path) -> list[str]:
    kb, problems = check(path)
    assert problems == [], problems
    assert kb is not None
    return [str(w) for w in lint(kb)]


def add_entity(kb_copy: Path, text: str) -> Path:
    path = kb_copy / "entities.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return kb_copy


def test_the_bundled_base_has_no_warnings(monkeypatch):
    monkeypatch.setenv("ATTACHE_ARTICLES", str(Path(__file__).parents[2] / "shared" / "articles"))
    kb = load(None)
    assert [str(w) for w in lint(kb) if "file =" not in str(w)] == []


def test_a_shared_alias_names_both_entities(edit):
    path = edit(
        "entities.yaml",
        "  aliases: [Knapper, Ambassador Knapper]\n",
        "  aliases: [Knapper, Ambassador Knapper, Brochet]\n",
    )
    (found,) = [w for w in warnings(path) if "= Brochet" in w]
    assert "marc-knapper" in found and "olivier-brochet" in found
    assert found.startswith("entities.yaml: entry 12 (olivier-brochet): aliases[1] = Brochet")


def test_a_shared_alias_links_both_never_one_for_the_other(edit):
    from bot.engine import Engine
    from bot.query import parse

    path = edit(
        "entities.yaml",
        "  aliases: [Knapper, Ambassador Knapper]\n",
        "  aliases: [Knapper, Ambassador Knapper, Brochet]\n",
    )
    engine = Engine.from_path(path, use_cache=False)
    groups = parse("what did Brochet say?", engine.index).entity_groups
    assert frozenset({"marc-knapper"}) in groups and frozenset({"olivier-brochet"}) in groups


def test_an_unknown_role_word_is_named(edit):
    path = edit(
        "entities.yaml",
        "{role: ambassador, title: US Ambassador",
        "{role: ambasador, title: US Ambassador",
    )
    (found,) = [w for w in warnings(path) if "role" in w]
    assert "marc-knapper" in found and "roles[1].role = ambasador" in found
    assert "'ambassador'" in found  # the suggestion


@pytest.mark.parametrize(
    ("alias", "word"),
    [("NHO", "vietnamese"), ("Lich", "vietnamese"), ("Thanh", "vietnamese"), ("Us", "english")],
)
def test_an_alias_that_is_an_everyday_word_is_reported(kb_copy, alias, word):
    add_entity(
        kb_copy,
        f"\n- id: planted\n  type: organisation\n  name: Planted Office\n  aliases: [{alias}]\n"
        "  description: A planted organisation.\n",
    )
    (found,) = [w for w in warnings(kb_copy) if "planted" in w and "everyday" in w]
    assert f"aliases[1] = {alias}" in found and f"everyday {word.title()} word" in found


@pytest.mark.parametrize("alias", ["Giang Office", "Austin", "Giang", "Vinh", "Obama", "Royal"])
def test_real_names_are_not_everyday_words(kb_copy, alias):
    add_entity(
        kb_copy,
        f"\n- id: planted\n  type: organisation\n  name: Planted Office\n  aliases: [{alias}]\n"
        "  description: A planted organisation.\n",
    )
    assert [w for w in warnings(kb_copy) if "planted" in w and "everyday" in w] == []


def test_short_names_are_reported_unless_exact(kb_copy):
    add_entity(
        kb_copy,
        "\n- id: planted\n  type: organisation\n  name: Planted Office\n"
        "  aliases: [PO, {name: QX, exact: true}, {name: NHO, exact: true}]\n"
        "  description: A planted organisation.\n",
    )
    (found,) = [w for w in warnings(kb_copy) if "planted" in w]
    assert "aliases[1] = PO: shorter than 3 letters" in found


def test_a_missing_source_file_is_reported(edit, monkeypatch, tmp_path):
    monkeypatch.setenv("ATTACHE_ARTICLES", str(tmp_path))
    (tmp_path / "004_ad9c671880811640.txt").write_text("text", encoding="utf-8")
    path = edit("sources.yaml", "file: 004_ad9c671880811640.txt", "file: 004_missing.txt")
    found = [w for w in warnings(path) if "004" in w]
    assert (
        len(found) == 1
        and "sources.yaml: entry 5 (vov-2024-09-giang-us): file = 004_missing.txt" in found[0]
    )


def test_an_agreement_alias_another_agreement_answers_to(frozen_copy):
    add_entity(
        frozen_copy,
        "\n- id: joint-vision-statement-2015\n  type: agreement\n"
        "  name: Joint Vision Statement on Defence Relations 2015-2020\n"
        "  aliases: [joint vision statement on defence relations]\n"
        "  description: A planted agreement.\n",
    )
    found = [w for w in warnings(frozen_copy) if "joint-vision-statement" in w]
    assert any(
        "joint-vision-statement-2024" in w and "joint-vision-statement-2015" in w for w in found
    )


def test_kb_check_prints_warnings_and_succeeds_strict_fails(edit, capsys):
    path = edit(
        "entities.yaml",
        "{role: ambassador, title: US Ambassador",
        "{role: envoy-x, title: US Ambassador",
    )
    assert main(["kb", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning: entities.yaml: entry" in out and "roles[1].role = envoy-x" in out
    assert "OK:" in out
    assert main(["kb", "check", "--strict", str(path)]) == 2
    assert "treated as errors" in capsys.readouterr().out


def test_schema_errors_are_one_based_with_the_value(edit):
    path = edit(
        "facts/vna-2024-12-20.yaml",
        "  tags: [expo, exhibition, defence industry, opening ceremony]\n",
        "  tags: [expo, exhibition, defence industry, opening ceremony, 2015]\n",
    )
    kb, problems = check(path)
    assert kb is None
    assert any("tags[5] = 2015: should be text (put it in quotes)" in str(p) for p in problems)


def test_a_fact_without_vietnamese_text_is_a_warning_not_an_error(edit):
    path = edit(
        "facts/blog-2025-us-vn-defense.yaml",
        '  headline_vi: "Mỹ công bố thêm 130 triệu USD cho dự án xử lý dioxin ở Biên Hòa"\n',
        "",
    )
    (found,) = [w for w in warnings(path) if "headline_vi" in w]
    assert found.startswith("facts/blog-2025-us-vn-defense.yaml: entry 2 (")
    assert "missing" in found
    assert main(["kb", "check", str(path)]) == 0


def test_vietnamese_text_without_diacritics_is_named(edit):
    path = edit(
        "facts/blog-2025-us-vn-defense.yaml",
        '"Mỹ công bố thêm 130 triệu USD cho dự án xử lý dioxin ở Biên Hòa"',
        '"My cong bo them 130 trieu USD cho du an xu ly dioxin o Bien Hoa"',
    )
    (found,) = [w for w in warnings(path) if "headline_vi" in w]
    assert "no diacritics" in found
