"""Live reload: the engine being served, replaced when the fact base on disk changes.

`EngineHolder.engine` is the one reference every request reads; a new engine is built
and validated in a background thread and swapped in with a single assignment, so a
request sees either the old base or the new one, never a half-built one. An invalid
edit leaves the last good base serving; each of its problems is logged once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import cache
from bot.engine import Engine
from bot.knowledge import KnowledgeBaseError

DEFAULT_POLL_SECONDS = 30.0
log = logging.getLogger("attache")

Build = Callable[[Path], Engine]


def poll_seconds() -> float | None:
    """$ATTACHE_KNOWLEDGE_POLL as seconds (default 30; 0 turns reloading off), or None
    when it is not a number of seconds."""
    text = os.environ.get("ATTACHE_KNOWLEDGE_POLL", str(DEFAULT_POLL_SECONDS))
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the base's files: cheap to read, and
    any edit changes it (the content hash then says whether anything really did)."""
    files = [root / "sources.yaml", root / "entities.yaml", *sorted(root.glob("facts/*.yaml"))]
    out = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        out.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(out)


class EngineHolder:
    """Holds the engine in service and reloads it when the fact base changes."""

    def __init__(self, engine: Engine, root: Path | None = None, build: Build | None = None):
        self.root = root
        self._build: Build = build or Engine.from_path
        self._engine = engine
        self.version = cache.fingerprint(root) if root else ""
        self.loaded_at = dt.datetime.now(dt.UTC)
        self.last_error: str | None = None
        self._stamp = _stamp(root) if root else ()
        self._failed_version: str | None = None
        self._logged: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()

    @property
    def engine(self) -> Engine:
        """The engine to answer with now."""
        return self._engine

    def check(self) -> bool:
        """Reload when the base changed since the last look; True when a new base is
        now served. Never raises for a bad base: it is logged and kept out."""
        if self.root is None:
            return False
        with self._lock:
            stamp = _stamp(self.root)
            if stamp == self._stamp:
                return False
            self._stamp = stamp
            version = cache.fingerprint(self.root)
            if version == self.version:  # back to the base in service
                self.last_error = self._failed_version = None
                return False
            if version == self._failed_version:
                return False
            try:
                engine = self._build(self.root)
            except KnowledgeBaseError as exc:
                self._reject(version, [str(p) for p in exc.problems])
                return False
            except Exception as exc:  # a base that crashes the build must not stop serving
                self._reject(version, [f"{exc.__class__.__name__}: {exc}"])
                return False
            self._engine = engine
            self.version, self.loaded_at, self.last_error = version, dt.datetime.now(dt.UTC), None
            self._failed_version = None
            stats = engine.stats()
            log.info(
                "fact base %s loaded: %s facts from %s sources",
                version[:12],
                stats["facts"],
                stats["sources"],
            )
            return True

    def _reject(self, version: str, problems: list[str]) -> None:
        self._failed_version = version
        self.last_error = f"{len(problems)} problem(s), first: {problems[0]}"
        log.warning(
            "fact base change %s is invalid; still serving %s", version[:12], self.version[:12]
        )
        for problem in problems:
            if problem not in self._logged:
                self._logged.add(problem)
                log.warning("fact base problem: %s", problem)

    def status(self) -> dict[str, Any]:
        """What /readyz reports as `fact_base`."""
        stats = self._engine.stats()
        return {
            "version": self.version,
            "facts": stats["facts"],
            "sources": stats["sources"],
            "loaded_at": self.loaded_at.isoformat(timespec="seconds"),
            "last_error": self.last_error,
        }

    def start(self, every: float) -> threading.Thread:
        """Check the base every `every` seconds in a daemon thread."""

        def loop() -> None:
            while not self._stop.wait(every):
                try:
                    self.check()
                except Exception:  # keep polling whatever one look ran into
                    log.exception("fact base reload check failed")

        thread = threading.Thread(target=loop, name="attache-knowledge-reload", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


def current(source: Engine | EngineHolder) -> Engine:
    """The engine to use now, from an engine or a holder."""
    return source.engine if isinstance(source, EngineHolder) else source
