"""Settings read once from the environment; log lines that stay one line."""

import json
import logging

import pytest

from handlers.logs import JsonFormatter, TextFormatter, one_line
from handlers.settings import Settings, SettingsError

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


def test_defaults_and_overrides():
    settings = Settings.from_env(env=BASE)
    assert (settings.host, settings.db_timeout, settings.shutdown_grace) == ("0.0.0.0", 5.0, 20.0)
    assert settings.retention_days == 7 and settings.log_format == "text"
    custom = Settings.from_env(
        env=BASE
        | {"ATTACHE_HOST": "127.0.0.1", "ATTACHE_DB_TIMEOUT": "2.5", "ATTACHE_DB_WAIT": "1"}
        | {"ATTACHE_LOG_FORMAT": "json", "ATTACHE_SHUTDOWN_GRACE": "0"}
    )
    assert (custom.host, custom.db_timeout, custom.db_wait) == ("127.0.0.1", 2.5, True)
    assert custom.log_format == "json" and custom.shutdown_grace == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ATTACHE_DB_TIMEOUT", "soon"),
        ("ATTACHE_SHUTDOWN_GRACE", "-1"),
        ("ATTACHE_WORKERS", "0"),
        ("ATTACHE_DIGEST_TICK", "nan"),
        ("ATTACHE_LOG_FORMAT", "xml"),
    ],
)
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(env=BASE | {name: value})


def record(message: str, exc: bool = False) -> logging.LogRecord:
    info = None
    if exc:
        try:
            raise ValueError("boom")
        except ValueError:
            import sys

            info = sys.exc_info()
    return logging.LogRecord("attache", logging.WARNING, __file__, 1, message, None, info)


def test_text_and_json_lines_escape_newlines():
    forged = "question\n2026-01-01 ERROR attache: forged"
    assert "\n" not in TextFormatter("%(message)s").format(record(forged))
    line = JsonFormatter().format(record(forged, exc=True))
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == forged and "ValueError: boom" in parsed["traceback"]
    assert one_line("a\nb", limit=2) == "a\\…(+2 chars)"
