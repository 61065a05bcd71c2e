from __future__ import annotations

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
