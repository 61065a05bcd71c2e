from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge import bundled_path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the test run's fact-base cache out of the user's cache folder."""
    os.environ["ATTACHE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.from_path(bundled_path())


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled fact base."""
    target = tmp_path / "kb"
    shutil.copytree(bundled_path(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


FROZEN_KB = Path(__file__).resolve().parent / "fixtures" / "kb-2026-11"


@pytest.fixture
def frozen_copy(tmp_path: Path) -> Path:
    """A writable copy of the five-article base of November 2026, for tests that plant
    entities or facts: they stay independent of what the bundled base grows into."""
    target = tmp_path / "frozen-kb"
    shutil.copytree(FROZEN_KB, target)
    return target


@pytest.fixture
def plant(frozen_copy: Path) -> Callable[..., Path]:
    """Add entities and facts (YAML list text) to a copy of the base of November 2026,
    for tests of behaviour that base has no example of; returns the base folder."""
    planted = itertools.count(1)

    def add(entities: str = "", facts: str = "") -> Path:
        if entities:
            path = frozen_copy / "entities.yaml"
            path.write_text(path.read_text(encoding="utf-8") + entities, encoding="utf-8")
        if facts:
            name = f"planted-{next(planted)}.yaml"
            (frozen_copy / "facts" / name).write_text(facts, encoding="utf-8")
        return frozen_copy

    return add


@pytest.fixture(scope="session")
def frozen_engine() -> Engine:
    """The engine over the five-article base of November 2026 (see frozen_copy)."""
    return Engine.from_path(FROZEN_KB, use_cache=False)


@pytest.fixture
def edit(kb_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace text in one file of the copied base; fails if the text is not there."""

    def apply(relative: str, old: str, new: str) -> Path:
        path = kb_copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return kb_copy

    return apply


POSTGRES_URL = os.environ.get(
    "ATTACHE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_url() -> str | None:
    """The test PostgreSQL's URL when one answers, else None."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return POSTGRES_URL
    except (SQLAlchemyError, OSError):
        return None
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database attache supports: SQLite always, PostgreSQL where one is reachable."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'attache.sqlite3'}"
    return fresh_postgres()


@pytest.fixture
def postgres_database() -> str:
    """An emptied PostgreSQL database (skips where none is reachable)."""
    return fresh_postgres()


def fresh_postgres() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL} (set ATTACHE_TEST_POSTGRES_URL to test one)")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
