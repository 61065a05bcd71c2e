"""Where the built index lives, and which folders are trusted to hold it.

The index of a fact base is built once per version (see bot.indexfile) and stored
under a key: a hash of every fact-base file's content and of the engine's own code
and word lists, so any edit (or upgrade) builds a new one. Content hashes are
remembered by file size and modification time, so a warm start hashes nothing.

Folders searched, in order: $ATTACHE_INDEX_DIR (a prebuilt, read-only index shared
by replicas; `attache kb build --out DIR` writes one), then the private cache,
$ATTACHE_CACHE_DIR or ~/.cache/attache, created 0700. A folder that someone other
than this user (or root) owns, or that group or others can write, is never read.
A cache that is missing, unsafe, unreadable or unwritable is never an error: the
base is read from YAML as usual.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.index import Index

KEEP = 4  # indexes kept in the private cache; older ones are removed
_STAMPS = "stamps.json"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Build a large, long-lived object graph without the cyclic collector rescanning
    it on every allocation burst (5x faster for a 100,000-fact base); then freeze it,
    since the fact base lives as long as the process."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.freeze()


def cache_dir() -> Path:
    """The private cache folder (which may not exist yet)."""
    explicit = os.environ.get("ATTACHE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "attache"


def shared_dir() -> Path | None:
    """$ATTACHE_INDEX_DIR: a prebuilt index folder shared read-only, if set."""
    explicit = os.environ.get("ATTACHE_INDEX_DIR")
    return Path(explicit) if explicit else None


def trusted(folder: Path) -> bool:
    """True when `folder` is a real folder owned by this user or root that neither
    group nor others can write: only such a folder's index is read."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    owner_ok = info.st_uid in (os.getuid(), 0)
    return stat.S_ISDIR(info.st_mode) and owner_ok and not info.st_mode & 0o022


def private_dir() -> Path | None:
    """The private cache folder, created 0700; None when it cannot be made safe."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.lstat().st_uid == os.getuid():
            folder.chmod(0o700)
    except OSError:
        return None
    return folder if trusted(folder) else None


def _code_files() -> list[Path]:
    package = Path(str(resources.files("bot")))
    return sorted([*package.glob("*.py"), *(package / "lexicon").rglob("*.yaml")])


def _stamps() -> dict[str, list[object]]:
    folder = private_dir()
    try:
        loaded = json.loads((folder / _STAMPS).read_text("utf-8")) if folder else {}
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _digest(path: Path, stamps: dict[str, list[object]]) -> str:
    """The file's content hash, reused while its size and modification time are unchanged."""
    info = path.stat()
    stamp = [info.st_size, info.st_mtime_ns]
    known = stamps.get(str(path))
    if known and known[:2] == stamp:
        return str(known[2])
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    stamps[str(path)] = [*stamp, digest]
    return digest


def fingerprint(root: Path) -> str:
    """The key of the fact base at `root` together with this version of the engine."""
    stamps = _stamps()
    before = dict(stamps)
    digest = hashlib.sha256()
    data_files = [
        root / "sources.yaml",
        root / "entities.yaml",
        *sorted((root / "facts").glob("*.yaml")),
    ]
    for path in [*data_files, *_code_files()]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(_digest(path.resolve(), stamps).encode())
    folder = private_dir()
    if stamps != before and folder:
        with suppress(OSError):
            _write_atomically(folder / _STAMPS, json.dumps(stamps).encode())
    return digest.hexdigest()[:32]


def index_key(root: Path, drafts: bool) -> str:
    """The key of the index of the base at `root` as served: with facts awaiting review
    (`drafts`) it is another index, stored under its own key."""
    return fingerprint(root) + ("-drafts" if drafts else "")


def _write_atomically(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, path)


def load_index(key: str, root: Path) -> Index | None:
    """The stored index for `key` from the shared or the private folder, if a trusted one has it."""
    from bot import indexfile

    for folder in (shared_dir(), cache_dir()):
        if folder is not None and trusted(folder) and trusted(folder / key):
            index = indexfile.load(folder / key, key, root)
            if index is not None:
                with suppress(OSError):
                    os.utime(folder / key)  # the newest-used are kept
                return index
    return None


def store_index(index: Index, key: str, folder: Path | None = None) -> Path | None:
    """Write `index` under `key` into `folder` (default: the private cache, pruned to
    the newest few; a given folder is shared: readable by all, writable by its owner);
    return where it went, or None when it could not be written."""
    from bot import indexfile

    target = folder or private_dir()
    if target is None:
        return None
    final = target / key
    try:
        mode = 0o700 if folder is None else 0o755
        target.mkdir(mode=mode, parents=True, exist_ok=True)
        if final.exists():
            return final
        staging = Path(tempfile.mkdtemp(dir=target, prefix=".building-"))
        try:
            indexfile.save(index, staging / key, key, mode)
            os.replace(staging / key, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        return None
    if folder is None:
        _prune(target)
    return final


def _prune(folder: Path) -> None:
    entries = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
