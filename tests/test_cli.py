"""The `attache` command as other tools use it: text, JSON, batches, exit codes."""

import json
import os
import subprocess
import sys

import pytest

from bot.cli import main


def run(
    *args: str, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_ask_prints_answer_and_sources(capsys):
    assert main(["ask", "who met the Lao defence minister?"]) == 0
    out = capsys.readouterr().out
    assert "Pham Minh Chinh" in out and "Sources:" in out and "IMCE Singapore" in out


def test_ask_json_contract(capsys):
    assert main(["ask", "--json", "how much did the US pledge for Bien Hoa?"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert {"question", "answered", "answer", "confidence", "facts"} <= reply.keys()
    assert reply["answered"] is True and isinstance(reply["confidence"], float)
    fact = reply["facts"][0]
    assert {"id", "date", "summary", "source"} <= fact.keys()
    assert {"id", "title", "publisher", "published", "url"} <= fact["source"].keys()


def test_batch_from_stdin_keeps_order_and_survives_bad_lines():
    questions = [
        "who is Marc Knapper?",
        "",
        "   ",
        "x" * 10_000,
        "\x07\x08",
        "🙂",
        "?!",
        "what is ADMM+?",
    ]
    result = run("ask", "--json", "--batch", "-", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in replies] == questions
    assert [r["answered"] for r in replies] == [
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        True,
    ]
    assert all(r["answer"] for r in replies)
    assert "Traceback" not in result.stderr


def test_batch_from_file(tmp_path, capsys):
    path = tmp_path / "q.txt"
    path.write_text("who is Olivier Brochet?\n\nwhen did Giang visit the US?\n", encoding="utf-8")
    assert main(["ask", "--json", "--batch", str(path)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_batch_file_missing(capsys):
    assert main(["ask", "--batch", "/nonexistent/q.txt"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_ask_without_question(capsys):
    assert main(["ask"]) == 2
    assert "give a question" in capsys.readouterr().err


def test_today_flag_drives_relative_dates(capsys):
    main(["ask", "--json", "--today", "2024-10-15", "what happened last month?"])
    assert json.loads(capsys.readouterr().out)["answered"] is True


def test_bad_today_is_a_one_line_error():
    result = run("ask", "--today", "tomorrow", "hi")
    assert (
        result.returncode == 2
        and "not a date" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_kb_check_clean_and_broken(kb_copy, edit, capsys):
    assert main(["kb", "check", str(kb_copy)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("OK: ")  # warnings may come first
    edit("facts/vna-2024-12-20.yaml", "  actors: [jedidiah-royal]\n", "  actors: [nobody]\n")
    assert main(["kb", "check", str(kb_copy)]) == 2
    out = capsys.readouterr().out
    assert "facts/vna-2024-12-20.yaml: entry" in out and "unknown entity 'nobody'" in out


def test_bot_refuses_to_start_on_an_invalid_base(kb_copy, edit):
    edit("facts/vna-2024-12-20.yaml", "  source: vna-2024-12-20\n", "  source: missing-source\n")
    result = run("ask", "who is Marc Knapper?", env={"ATTACHE_KNOWLEDGE": str(kb_copy)})
    assert result.returncode == 2
    assert "unknown source 'missing-source'" in result.stderr and "Traceback" not in result.stderr


def test_knowledge_flag_overrides_environment(kb_copy, edit, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ATTACHE_KNOWLEDGE", str(tmp_path / "not-a-base"))
    edit(
        "entities.yaml",
        "  description: US Ambassador to Vietnam.",
        "  description: Envoy of the United States in Hanoi.",
    )
    assert main(["ask", "--knowledge", str(kb_copy), "who is Marc Knapper?"]) == 0
    assert "Envoy of the United States in Hanoi" in capsys.readouterr().out


def test_chat_answers_until_empty_line():
    result = run("chat", stdin="who is Marc Knapper?\nwhat is ADMM+?\n\n")
    assert result.returncode == 0
    assert "Ambassador" in result.stdout and "ASEAN Defence Ministers" in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["ask", "--help"], ["kb", "check", "--help"]])
def test_help(args):
    assert run(*args).returncode == 0


def test_digest_preview_prints_a_dated_cited_digest():
    result = run("digest", "preview", "--date", "2025-12-18", "--since", "2030-01-01")
    assert result.returncode == 0
    assert result.stdout.startswith("attache daily digest, Thursday 18 December 2025")
    assert "On this day:" in result.stdout and "(IMCE Singapore, December 2024)" in result.stdout
