"""`attache kb add / approve / discard` on article pages served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot import ingest
from bot.article import Article
from bot.cli import main
from bot.draft import draft
from bot.engine import Engine
from bot.knowledge import check, load
from tests.conftest import FROZEN_KB

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
INDIA = "india-vietnam-talks.html"  # Asia Defence Monitor, Wednesday 18 June 2025
JAPAN = "japan-vietnam-dialogue.html"  # Pacific Security Times, Friday 29 November 2024
AUSTRALIA = "giang-tiep-dai-su-australia.html"  # Tin Quốc phòng, Friday 7 March 2025
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Defence news</title><link>{base}/</link>
<description>Latest</description>
<item><title>Đại tướng Phan Văn Giang tiếp Đại sứ Australia</title>
<link>/{australia}</link><pubDate>Fri, 07 Mar 2025 08:00:00 +0700</pubDate></item>
<item><title>Vietnam and India agree to deepen defence industry cooperation</title>
<link>{base}/{india}</link><pubDate>Wed, 18 Jun 2025 09:30:00 +0700</pubDate></item>
</channel></rss>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture pages and a feed listing two of them, on a local web server."""
    folder = tmp_path_factory.mktemp("site")
    for page in (INDIA, JAPAN, AUSTRALIA):
        shutil.copy(FIXTURES / page, folder / page)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (folder / "feed.xml").write_text(
        FEED.format(base=base, india=INDIA, australia=AUSTRALIA), encoding="utf-8"
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def engine(root: Path, drafts: bool = False) -> Engine:
    return Engine.from_path(root, use_cache=False, drafts=drafts)


def source_ids(root: Path) -> set[str]:
    kb = load(root, drafts=True)
    return set(kb.sources)


def add(root: Path, source: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["kb", "add", source, "--knowledge", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def three_drafts(frozen_copy: Path, site: str, capsys: pytest.CaptureFixture[str]) -> Path:
    """The bundled base plus the three articles: one file, one URL, one through a feed."""
    code, out, err = add(frozen_copy, str(FIXTURES / INDIA), capsys)
    assert code == 0, err
    assert "Drafted asia-defence-monitor-2025-06-18" in out and "review pending" in out
    code, out, err = add(frozen_copy, f"{site}/{JAPAN}", capsys)
    assert code == 0, err
    assert "pacific-security-times-2024-11-29" in out
    code, out, err = add(frozen_copy, f"{site}/feed.xml", capsys)
    assert code == 0, err
    assert "tin-quoc-phong-2025-03-07" in out
    assert f"Skipped {site}/{INDIA}: already in the base as asia-defence-monitor" in out
    return frozen_copy


SOURCES = (
    "asia-defence-monitor-2025-06-18",
    "pacific-security-times-2024-11-29",
    "tin-quoc-phong-2025-03-07",
)
QUESTIONS = {
    "when did Phan Van Giang meet Rajnath Singh?": "17 June 2025",
    "When did the Indian defence minister meet Giang?": "17 June 2025",
    "when did Nakatani receive Hoang Xuan Chien?": "27 November 2024",
    "when did Hoang Xuan Chien visit Yokosuka?": "28 November 2024",
    "when did Giang receive Andrew Goledzinowski?": "5 March 2025",
    "how much will Japan provide to clear unexploded ordnance?": "$12 million",
    "how big is India's defence credit line for Vietnam?": "$500 million",
    "which areas of cooperation did Vietnam and India agree on?": "shipbuilding",
}


def test_drafts_validate_and_are_served_only_after_approval(three_drafts, capsys):
    root = three_drafts
    kb, problems = check(root)
    assert problems == [] and kb is not None
    assert set(SOURCES) <= set(kb.sources)
    drafted = [f for f in kb.facts if f.source in SOURCES]
    assert drafted and all(f.review == "pending" for f in drafted)

    before = engine(root)
    assert all(f.review is None for f in before.kb.facts)
    for question, expected in QUESTIONS.items():
        assert expected not in before.ask(question).text, question
    with_drafts = engine(root, drafts=True)
    for question, expected in QUESTIONS.items():
        assert expected in with_drafts.ask(question).text, question

    for source_id in SOURCES:
        assert main(["kb", "approve", source_id, "--knowledge", str(root)]) == 0
    assert "are now served" in capsys.readouterr().out
    assert main(["kb", "check", str(root)]) == 0
    after = engine(root)
    for question, expected in QUESTIONS.items():
        assert expected in after.ask(question).text, question
    assert "17/6/2025" in after.ask("Phan Văn Giang gặp Rajnath Singh khi nào?").text


def test_serve_drafts_environment_variable(three_drafts, monkeypatch):
    monkeypatch.setenv("ATTACHE_SERVE_DRAFTS", "1")
    answer = Engine.from_path(three_drafts).ask("when did Phan Van Giang meet Rajnath Singh?")
    assert "17 June 2025" in answer.text
    monkeypatch.setenv("ATTACHE_SERVE_DRAFTS", "0")
    answer = Engine.from_path(three_drafts).ask("when did Phan Van Giang meet Rajnath Singh?")
    assert "17 June 2025" not in answer.text


def test_ask_drafts_flag(three_drafts, capsys):
    question = "when did Nakatani receive Hoang Xuan Chien?"
    assert main(["ask", "--knowledge", str(three_drafts), question]) == 0
    assert "27 November 2024" not in capsys.readouterr().out
    assert main(["ask", "--drafts", "--knowledge", str(three_drafts), question]) == 0
    assert "27 November 2024" in capsys.readouterr().out


def test_boilerplate_does_not_become_facts(three_drafts):
    kb = load(three_drafts, drafts=True)
    texts = " ".join(f.summary for f in kb.facts if f.source in SOURCES)
    for boilerplate in ("Reuters", "patrol boats", "Beijing", "Busan", "submarine", "Hàn Quốc"):
        assert boilerplate not in texts
    assert not {"reuters", "busan", "beijing"} & set(kb.entities)


def test_entities_are_linked_not_duplicated(three_drafts):
    kb = load(three_drafts, drafts=True)
    names = [e.name for e in kb.entities.values()]
    assert len(names) == len(set(names))
    meeting = next(f for f in kb.facts if f.source == SOURCES[0] and f.kind == "meeting")
    assert meeting.actors[:2] == ("phan-van-giang", "rajnath-singh")
    assert meeting.place == "hanoi"
    singh = kb.entities["rajnath-singh"]
    (role,) = singh.roles
    assert (role.role, role.country, role.source) == ("defense-minister", "india", SOURCES[0])
    assert role.as_of is not None and role.as_of.start == dt.date(2025, 6, 18)
    assert "Singh" in singh.aliases
    chien = kb.entities["hoang-xuan-chien"]
    assert "Chien" not in chien.aliases  # folded, an everyday Vietnamese word (chiến)
    assert chien.roles[0].role == "deputy-defense-minister"
    assert chien.roles[0].country == "vietnam"
    assert kb.entities["india"].type == "country" and "Indian" in kb.entities["india"].aliases
    vietnamese = next(f for f in kb.facts if f.source == SOURCES[2] and f.kind == "meeting")
    assert vietnamese.actors[:2] == ("phan-van-giang", "andrew-goledzinowski")
    assert vietnamese.summary_vi and "Goledzinowski" in vietnamese.summary_vi


def test_dates_keep_their_precision(three_drafts):
    kb = load(three_drafts, drafts=True)
    by_source = {s: [f for f in kb.facts if f.source == s] for s in SOURCES}
    port_call = next(f for f in by_source[SOURCES[0]] if "port call" in f.summary)
    assert port_call.date.precision == "month" and port_call.date.start == dt.date(2025, 5, 1)
    handover = next(f for f in by_source[SOURCES[2]] if "bàn giao" in f.summary)
    assert handover.date.precision == "month" and handover.date.start == dt.date(2025, 2, 1)
    upgrade = next(f for f in by_source[SOURCES[1]] if "upgraded" in f.summary)
    assert upgrade.date.precision == "month" and upgrade.date.start == dt.date(2023, 11, 1)
    assert all(len(f.headline) <= 110 for fs in by_source.values() for f in fs)


def test_a_source_already_in_the_base_is_refused(three_drafts, site, capsys):
    before = snapshot(three_drafts)
    for source in (str(FIXTURES / INDIA), f"{site}/{JAPAN}", f"{site}/{AUSTRALIA}"):
        code, out, err = add(three_drafts, source, capsys)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "already in the base as source" in err
    assert snapshot(three_drafts) == before


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("http://127.0.0.1:9/story.html", "cannot reach 127.0.0.1:9"),
        ("{site}/missing.html", "answered HTTP 404"),
        ("ftp://example.org/story.html", "is not a web address"),
        ("no/such/file.html", "no such file"),
        ("{fixtures}/../../test_ingest.py", "give an .html, .htm, .txt, .md"),
    ],
)
def test_bad_sources_are_one_line_errors(frozen_copy, site, capsys, source, message):
    before = snapshot(frozen_copy)
    source = source.format(site=site, fixtures=FIXTURES)
    code, out, err = add(frozen_copy, source, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert snapshot(frozen_copy) == before


def test_a_page_that_is_not_an_article(frozen_copy, tmp_path, capsys):
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", "utf-8")
    before = snapshot(frozen_copy)
    code, _, err = add(frozen_copy, str(page), capsys)
    assert code == 2 and "no article text found" in err
    assert snapshot(frozen_copy) == before


def test_an_invalid_draft_leaves_the_base_byte_identical(frozen_copy, monkeypatch, capsys):
    def broken(*args, **kwargs):
        drafted = draft(*args, **kwargs)
        drafted.facts[0]["actors"] = ["nobody-by-this-id"]
        return drafted

    monkeypatch.setattr(ingest, "draft", broken)
    before = snapshot(frozen_copy)
    code, _, err = add(frozen_copy, str(FIXTURES / INDIA), capsys)
    assert code == 2 and "unknown entity 'nobody-by-this-id'" in err and "nothing changed" in err
    assert snapshot(frozen_copy) == before


def test_a_failed_write_restores_the_files_already_replaced(frozen_copy, monkeypatch):
    real = ingest._replace
    calls = []

    def failing(target: Path, content: bytes | None) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise OSError("disk full")
        real(target, content)

    monkeypatch.setattr(ingest, "_replace", failing)
    before = snapshot(frozen_copy)
    with pytest.raises(ingest.IngestError, match="disk full"):
        ingest.add(str(FIXTURES / INDIA), frozen_copy)
    monkeypatch.setattr(ingest, "_replace", real)
    assert {k: v for k, v in snapshot(frozen_copy).items()} == before


def test_approve_keeps_comments_and_discard_removes_the_draft(frozen_copy, site, capsys):
    original = snapshot(frozen_copy)
    code, _, _ = add(frozen_copy, f"{site}/{JAPAN}", capsys)
    assert code == 0
    source_id = "pacific-security-times-2024-11-29"
    assert main(["kb", "discard", source_id, "--knowledge", str(frozen_copy)]) == 0
    assert snapshot(frozen_copy) == original

    assert add(frozen_copy, f"{site}/{JAPAN}", capsys)[0] == 0
    assert main(["kb", "approve", source_id, "--knowledge", str(frozen_copy)]) == 0
    facts = (frozen_copy / "facts" / f"{source_id}.yaml").read_text("utf-8")
    assert "review: pending" not in facts and facts.startswith(f"# Source: {source_id}")
    entities = (frozen_copy / "entities.yaml").read_text("utf-8")
    assert entities.startswith(original["entities.yaml"].decode("utf-8").rstrip("\n"))
    assert "# draft:" not in entities
    capsys.readouterr()
    assert main(["kb", "discard", source_id, "--knowledge", str(frozen_copy)]) == 2
    assert "approved, not a draft" in capsys.readouterr().err
    assert main(["kb", "approve", "no-such-source", "--knowledge", str(frozen_copy)]) == 2


def test_text_file_with_stated_date(frozen_copy, tmp_path, capsys):
    story = tmp_path / "story.txt"
    story.write_text(
        "Japan and Vietnam hold defence talks\n"
        "Published: 2025-03-05\n\n"
        "On Friday, Defence Minister Phan Van Giang received Japanese Ambassador Ito Naoki in "
        "Hanoi to discuss cooperation in military medicine and UN peacekeeping.\n"
        "Ito said Japan would continue to support Vietnam's defence industry.\n",
        encoding="utf-8",
    )
    code, out, err = add(frozen_copy, str(story), capsys)
    assert code == 0, err
    assert "unknown-publisher-2025-03-05" in out
    kb = load(frozen_copy, drafts=True)
    meeting = next(f for f in kb.facts if f.kind == "meeting" and "Ito" in f.summary)
    assert meeting.date.start == dt.date(2025, 2, 28)  # the Friday before Wednesday 5 March
    assert meeting.actors[:2] == ("phan-van-giang", "ito-naoki")
    assert kb.entities["ito-naoki"].roles[0].role == "ambassador"
    assert kb.entities["ito-naoki"].roles[0].country == "japan"


def test_an_agreement_of_other_countries_is_not_linked():
    kb = load(FROZEN_KB)
    text = "On 3 March, Vietnam and Japan signed a joint vision statement on defence cooperation."
    article = Article(text, "t", dt.date(2025, 3, 5), "p", None, "en", None)
    drafted = draft(kb, article, "p-2025", dt.date(2026, 1, 1))
    (fact,) = drafted.facts
    assert "joint-vision-statement-2024" not in fact["actors"]
    assert fact["actors"] == ["vietnam", "japan"] and fact["kind"] == "agreement"
    assert any("joint-vision-statement-2024" in note for note in drafted.unsure)


@pytest.mark.parametrize(
    ("sentence", "published", "date", "precision"),
    [
        (
            "On 27 November, General Phan Van Giang met Lloyd Austin.",
            "2024-11-29",
            "2024-11-27",
            "day",
        ),
        ("On 5 March, General Phan Van Giang met Lloyd Austin.", "2025-01-10", "2024-03-05", "day"),
        (
            "Last month, General Phan Van Giang met Lloyd Austin.",
            "2025-01-10",
            "2024-12-01",
            "month",
        ),
        (
            "General Phan Van Giang will meet Lloyd Austin on Friday.",
            "2025-03-05",
            "2025-03-07",
            "day",
        ),
        (
            "Ngày 6/3, Đại tướng Phan Văn Giang đã tiếp Lloyd Austin.",
            "2025-03-07",
            "2025-03-06",
            "day",
        ),
        (
            "Hôm thứ Ba, Đại tướng Phan Văn Giang đã tiếp Lloyd Austin.",
            "2025-03-07",
            "2025-03-04",
            "day",
        ),
    ],
)
def test_dates_are_read_against_the_publication_date(sentence, published, date, precision):
    kb = load(None)
    day = dt.date.fromisoformat(published)
    article = Article(sentence, "t", day, "p", None, "vi" if "Đại" in sentence else "en", None)
    (fact,) = draft(kb, article, "p-2025", dt.date(2026, 1, 1)).facts
    assert str(fact["date"]).startswith(date[: 7 if precision == "month" else 10])
    assert fact["kind"] == "meeting" and fact["actors"][:2] == ["phan-van-giang", "lloyd-austin"]


def test_a_source_with_the_same_title_and_day_is_refused(frozen_copy, tmp_path, capsys):
    kb = load(frozen_copy)
    source = kb.sources["vna-2024-12-20"]
    story = tmp_path / "again.txt"
    story.write_text(
        f"{source.title}\nPublished: 2024-12-20\n\n"
        "On 19 December, Admiral Samuel Paparo attended the opening of the expo in Hanoi. "
        "Ambassador Marc Knapper said the US shared the expo's message of peace.\n",
        encoding="utf-8",
    )
    code, _, err = add(frozen_copy, str(story), capsys)
    assert code == 2 and "already in the base as source 'vna-2024-12-20'" in err


def test_a_person_named_without_a_title_before_what_they_said():
    kb = load(None)
    text = (
        "On Tuesday, General Phan Van Giang met Lloyd Austin in Hanoi. "
        "Pentagon spokesperson Jay Tarriela told reporters that the talks went well."
    )
    article = Article(text, "t", dt.date(2025, 3, 5), "p", None, "en", None)
    drafted = draft(kb, article, "p-2025", dt.date(2026, 1, 1))
    assert [e["id"] for e in drafted.entities] == ["jay-tarriela"]
    statement = drafted.facts[-1]
    assert statement["kind"] == "statement" and statement["actors"][0] == "jay-tarriela"
    assert any("Jay Tarriela: no role word" in note for note in drafted.unsure)


def test_two_editors_adding_at_once_both_get_their_source(frozen_copy):
    results: list[object] = []

    def run(page: str) -> None:
        try:
            results.append(ingest.add(str(FIXTURES / page), frozen_copy))
        except ingest.IngestError as exc:
            results.append(exc)

    threads = [threading.Thread(target=run, args=(page,)) for page in (INDIA, JAPAN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2 and not any(isinstance(r, Exception) for r in results)
    assert {SOURCES[0], SOURCES[1]} <= source_ids(frozen_copy)
    assert check(frozen_copy)[1] == []


def test_vietnamese_funding_with_its_amount():
    kb = load(None)
    text = (
        "Sáng 19/6, tại Hà Nội, Đại tướng Phan Văn Giang đã hội đàm với Bộ trưởng Quốc phòng "
        "Ấn Độ Rajnath Singh. Bộ trưởng Rajnath Singh cho biết Ấn Độ sẽ cung cấp khoản tín dụng "
        "300 triệu USD để Việt Nam đóng tàu tuần tra."
    )
    article = Article(text, "t", dt.date(2025, 6, 20), "p", None, "vi", None)
    meeting, funding = draft(kb, article, "p-2025", dt.date(2026, 1, 1)).facts
    assert meeting["headline"] == "Phan Van Giang holds talks with Rajnath Singh in Hanoi"
    assert meeting["date"] == dt.date(2025, 6, 19)
    assert funding["kind"] == "funding" and funding["date"] == dt.date(2025, 6, 19)
    assert funding["amounts"][0]["value"] == 300_000_000
    assert "khoản tín dụng" in funding["amounts"][0]["of"]
    assert funding["headline"] == "Rajnath Singh pledges $300 million to Vietnam"


def _drafted(text: str, published: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    kb = load(FROZEN_KB)
    article = Article(text, "t", dt.date.fromisoformat(published), "p", None, "en", None)
    drafted = draft(kb, article, "p-2025", dt.date(2026, 1, 1))
    return drafted.facts, drafted.entities


def test_pronouns_refer_back_and_undated_sentences_take_the_main_day():
    facts, _ = _drafted(
        "Thai Prime Minister Srettha Thavisin paid an official visit to Vietnam from Sunday to "
        "Tuesday. On Monday, General Phan Van Giang received Thai Defence Minister Sutin "
        "Klungsang in Hanoi. He thanked the Thai Ministry of Defence for its support. "
        "The two sides signed five agreements and memoranda of understanding. "
        "The memorandum, first signed in 2009, is an important pillar of the ties.",
        "2024-05-15",  # a Wednesday
    )
    visit, meeting, thanks, signing, pillar = facts
    assert visit["date"] == {"start": dt.date(2024, 5, 12), "end": dt.date(2024, 5, 14)}
    assert meeting["date"] == dt.date(2024, 5, 13)
    assert thanks["actors"][0] == "phan-van-giang" and thanks["date"] == dt.date(2024, 5, 13)
    assert thanks["headline"].startswith("Phan Van Giang thanked")
    assert signing["kind"] == "agreement"
    assert signing["amounts"][0]["value"] == 5 and signing["amounts"][0]["unit"] == "agreements"
    assert pillar["date"] == "2009"  # its own date, not the visit's range
    assert all(f["headline"] and not str(f["headline"]).endswith("…") for f in facts)


def test_no_fact_from_a_relative_clause_and_no_country_from_a_name():
    facts, entities = _drafted(
        "On Friday, General Phan Van Giang met Lloyd Austin in Hanoi.\n"
        "They agreed to continue to cooperate in the fields the two sides had signed.\n"
        "Photo: Nguyen Thai / VNA",
        "2024-05-17",
    )
    assert [f["kind"] for f in facts] == ["meeting", "statement"]
    assert not any(e["type"] == "country" for e in entities)
    assert all("Vietnam-Thailand" not in f["tags"] for f in facts)


def test_ministries_link_to_the_base_and_possessives_are_dropped():
    facts, entities = _drafted(
        "On Friday, Vietnam's Ministry of Defense and Singapore’s Ministry of Defence signed a "
        "memorandum on cyber security.",
        "2024-05-17",
    )
    (fact,) = facts
    assert "vietnam-mnd" in fact["actors"]
    names = [e["name"] for e in entities if e["type"] == "organisation"]
    assert names == ["Singapore Ministry of Defence"]
