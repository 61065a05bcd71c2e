"""`attache ask`, `chat` and `kb` start without importing Slack or the database layer."""

import subprocess
import sys

HEAVY = ("slack_bolt", "slack_sdk", "sqlalchemy", "alembic", "uvicorn")


def test_ask_imports_no_slack_or_database():
    script = (
        "import sys\n"
        "from handlers.cli import main\n"
        "code = main(['ask', 'who met the Lao defence minister?'])\n"
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print('LOADED', ','.join(loaded))\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Pham Minh Chinh" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "LOADED"


def test_warm_start_reads_no_word_frequencies():
    """The stored index holds what the linker and the typo corrector need: a warm start
    loads neither wordfreq nor the countries' names (only building an index needs
    them), and a typo corrected into a name ("hanio") reads no word-frequency table."""
    script = (
        "import sys\n"
        "from handlers.cli import main\n"
        "code = main(['ask', 'who met the Lao defence minister?'])\n"
        "print('WORDFREQ', 'wordfreq' in sys.modules)\n"
        "code = code or main(['ask', 'who did Pham Minh Chinh meet in Hanio?'])\n"
        "from bot.commonwords import _tables\n"
        "print('TABLES', _tables.cache_info().currsize)\n"
        "sys.exit(code)\n"
    )
    for _ in range(2):  # the first run may build the index
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
        )
        assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "WORDFREQ False" in lines
    assert lines[-1] == "TABLES 0"
