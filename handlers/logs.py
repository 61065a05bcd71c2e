"""Log lines: one line per record (newlines in messages escaped, so user text cannot
forge a line), as plain text or as JSON objects with ATTACHE_LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def one_line(text: str, limit: int = 500) -> str:
    """`text` with line breaks escaped and cut to `limit` characters, safe to log."""
    flat = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= limit else f"{flat[:limit]}…(+{len(flat) - limit} chars)"


class TextFormatter(logging.Formatter):
    """The usual text format, with the message kept on one line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The record's text with its message on one line."""
        record.message = one_line(record.message, limit=4000)
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON object."""
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str) -> None:
    """Send INFO and above to stderr in `log_format` (text or json)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
