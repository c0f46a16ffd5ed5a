"""Server-side session state in Redis, so that several web hosts serve the same sessions.

The same verbs as `SessionStore` (dashboard/store.py), chosen by MI_STATE_URL. A session is one
Redis hash `mi:session:<id>` whose fields are its JSON documents, arrays (.npz bytes) and dataset
files; the hash carries the session's time to live, renewed on use, so Redis itself expires idle
sessions with all their data. A write of several fields is one MULTI/EXEC transaction: a failure
leaves the earlier version. The session lock is a Redis lock renewed while held (see `_Renewed`).

Why Redis and not PostgreSQL: the state is a handful of whole documents per session read and
written by key, with expiry and a lock — Redis's own verbs, and the Celery broker that several
hosts need anyway is already a Redis. Each host keeps a local copy of a dataset's files (its
readers and the feature cache want a folder), named by the dataset's version, so a replaced
dataset is never read stale.
"""

from __future__ import annotations

import io
import json
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np
import pandas as pd
import redis

from dashboard.engine.data.dataset import Dataset
from dashboard.store import (
    ORIGINAL,
    ROW_NUMBERS,
    SESSION_ID_PATTERN,
    SWEEP_INTERVAL_SECONDS,
    SessionVerbs,
    StorageError,
    UploadedFile,
    check_key,
    new_session_id,
    write_dataset_files,
)

PREFIX = "mi:"
LOCK_SECONDS = 30.0
"""A lock not renewed for this long is free again: a process that died holding it (kill -9)
blocks its session for at most this long."""
LOCK_WAIT_SECONDS = 120.0
"""How long a request waits for a session's lock before it gives up with a sentence."""
SECRET_FIELD = PREFIX + "secret"
DATASET_FILES = ("frame.parquet", "roles.json", "meta.json", "table.parquet", ORIGINAL, ROW_NUMBERS)


class RedisSessionStore(SessionVerbs):
    """Sessions in Redis at `url`; `root` is this host's folder for local copies of datasets."""

    def __init__(self, url: str, root: Path, ttl_hours: float = 72.0) -> None:
        self.root = Path(root)
        self.ttl_seconds = ttl_hours * 3600.0
        self.client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        self._swept_at = -float("inf")

    # sessions -------------------------------------------------------------------------------
    def create(self) -> str:
        """Make a new empty session and return its id."""
        sid = new_session_id()
        with _reachable():
            pipe = self.client.pipeline()
            pipe.hset(_hash(sid), "created", str(time.time()))
            pipe.pexpire(_hash(sid), self._ttl_ms())
            pipe.execute()
        return sid

    def exists(self, sid: object) -> bool:
        """True for a well-formed id whose session is in Redis (Redis drops expired ones)."""
        if not isinstance(sid, str) or not SESSION_ID_PATTERN.match(sid):
            return False
        with _reachable():
            return bool(self.client.exists(_hash(sid)))

    def touch(self, sid: str) -> None:
        """Restart the session's time to live (one cheap command, so on every use)."""
        with _reachable():
            self.client.pexpire(_hash(sid), self._ttl_ms())

    def sweep(self) -> list[str]:
        """`expire()` when this process last swept SWEEP_INTERVAL_SECONDS ago."""
        now = time.monotonic()
        if now - self._swept_at < min(SWEEP_INTERVAL_SECONDS, self.ttl_seconds):
            return []
        self._swept_at = now
        return self.expire()

    def expire(self) -> list[str]:
        """Delete this host's local copies of sessions Redis has expired; returns their ids."""
        removed = []
        sessions = self.root / "sessions"
        for folder in sessions.iterdir() if sessions.is_dir() else []:
            if not self.exists(folder.name):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        return removed

    @contextmanager
    def lock(self, sid: str) -> Iterator[None]:
        """Hold the session's exclusive lock (across processes and hosts) for a read-modify-write."""
        self.require(sid)
        held = self.client.lock(
            f"{PREFIX}lock:{sid}",
            timeout=LOCK_SECONDS,
            blocking_timeout=LOCK_WAIT_SECONDS,
            thread_local=False,  # the renewing thread must see the token
        )
        with _reachable():
            acquired = held.acquire()
        if not acquired:
            raise StorageError("Your session is busy with another request: try again in a moment.")
        try:
            with _Renewed(held):
                yield
        finally:
            # a lapsed lock (the renewal could not reach Redis) has nothing to release
            with _reachable(), suppress(redis.exceptions.LockError):
                held.release()

    # datasets -------------------------------------------------------------------------------
    def replace_dataset(
        self,
        sid: str,
        key: str,
        dataset: Dataset,
        meta: dict | None = None,
        table: pd.DataFrame | None = None,
        original: UploadedFile | None = None,
    ) -> None:
        """Write a dataset under `key`, replacing any earlier version in one transaction."""
        check_key(key)
        self.require(sid)
        meta = {"saved": time.time(), **(meta or {})}
        with tempfile.TemporaryDirectory() as staging:
            folder = Path(staging)
            write_dataset_files(folder, dataset, table, original)
            (folder / "meta.json").write_text(json.dumps(meta))
            files = {p.name: p.read_bytes() for p in folder.iterdir()}
        fields = {_dataset_field(key, name): data for name, data in files.items()}
        fields[_dataset_field(key, "version")] = secrets.token_hex(8)
        with _reachable():
            pipe = self.client.pipeline()
            stale = [_dataset_field(key, name) for name in DATASET_FILES if name not in files]
            if stale:
                pipe.hdel(_hash(sid), *stale)
            pipe.hset(_hash(sid), mapping=fields)
            pipe.pexpire(_hash(sid), self._ttl_ms())  # a write never leaves a hash without expiry
            pipe.execute()

    def dataset_folder(self, sid: str, key: str) -> Path:
        """This host's copy of the session's dataset `key`, fetched when Redis holds a newer
        version; KeyError when there is none."""
        check_key(key)
        self.require(sid)
        with _reachable():
            version = self.client.hget(_hash(sid), _dataset_field(key, "version"))
        if version is None:
            raise KeyError(f"this session has no dataset {key!r}")
        parent = self.root / "sessions" / sid / "datasets" / key
        folder = parent / version.decode()
        if not (folder / "roles.json").is_file():
            self._fetch_dataset(sid, key, parent, folder)
        return folder

    def list_datasets(self, sid: str) -> list[dict]:
        """Summaries (key, title, rows, kind, targets, saved) of the session's datasets, oldest first."""
        self.require(sid)
        with _reachable():
            names = [f.decode() for f in self.client.hkeys(_hash(sid))]
            keys = sorted(
                n.split(":")[1]
                for n in names
                if n.startswith("dataset:") and n.endswith(":version")
            )
            items = []
            for key in keys:
                roles, meta = self.client.hmget(
                    _hash(sid), _dataset_field(key, "roles.json"), _dataset_field(key, "meta.json")
                )
                if roles is not None and meta is not None:
                    items.append({"key": key, **json.loads(roles), **json.loads(meta)})
        return sorted(items, key=lambda item: item.get("saved", 0))

    def delete_dataset(self, sid: str, key: str) -> None:
        check_key(key)
        self.require(sid)
        names = [_dataset_field(key, name) for name in (*DATASET_FILES, "version")]
        with _reachable():
            self.client.hdel(_hash(sid), *names)
        shutil.rmtree(self.root / "sessions" / sid / "datasets" / key, ignore_errors=True)

    # JSON documents and arrays -----------------------------------------------------------------
    def save_json(self, sid: str, kind: str, name: str, document: dict) -> None:
        """Write one JSON document of a kind (e.g. "campaigns") atomically."""
        self._set(sid, _field("json", kind, name), json.dumps(document).encode())

    def load_json(self, sid: str, kind: str, name: str) -> dict | None:
        """The document, or None when there is none."""
        data = self._get(sid, _field("json", kind, name))
        return None if data is None else json.loads(data)

    def delete_json(self, sid: str, kind: str, name: str) -> None:
        field = _field("json", kind, name)
        self.require(sid)
        with _reachable():
            self.client.hdel(_hash(sid), field)

    def save_arrays(self, sid: str, kind: str, name: str, arrays: dict[str, np.ndarray]) -> None:
        """Write named numeric arrays as one .npz (no pickled objects) atomically."""
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        self._set(sid, _field("npz", kind, name), buffer.getvalue())

    def load_arrays(self, sid: str, kind: str, name: str) -> dict[str, np.ndarray] | None:
        """The arrays saved by `save_arrays`, or None when there are none."""
        data = self._get(sid, _field("npz", kind, name))
        if data is None:
            return None
        with np.load(io.BytesIO(data), allow_pickle=False) as saved:
            return {key: saved[key] for key in saved.files}

    def delete_arrays(self, sid: str, kind: str, keep: set[str]) -> None:
        """Remove the arrays of a kind whose names are not in `keep` (left-overs of older commits)."""
        prefix = _field("npz", kind, "x")[:-1]
        self.require(sid)
        with _reachable():
            names = [f.decode() for f in self.client.hkeys(_hash(sid))]
            stale = [n for n in names if n.startswith(prefix) and n[len(prefix) :] not in keep]
            if stale:
                self.client.hdel(_hash(sid), *stale)

    # shared server key -------------------------------------------------------------------------
    def server_key(self) -> bytes:
        """The key that signs session cookies, the same on every host: made once in Redis (SET NX),
        so hosts started without MI_SECRET_KEY still agree."""
        with _reachable():
            self.client.set(SECRET_FIELD, secrets.token_hex(32), nx=True)
            return self.client.get(SECRET_FIELD)

    # internals ------------------------------------------------------------------------------
    def _ttl_ms(self) -> int:
        return max(1, int(self.ttl_seconds * 1000))

    def _set(self, sid: str, field: str, data: bytes) -> None:
        self.require(sid)
        with _reachable():
            pipe = self.client.pipeline()
            pipe.hset(_hash(sid), field, data)
            pipe.pexpire(_hash(sid), self._ttl_ms())  # even if it expired since `require`
            pipe.execute()

    def _get(self, sid: str, field: str) -> bytes | None:
        self.require(sid)
        with _reachable():
            return self.client.hget(_hash(sid), field)

    def _fetch_dataset(self, sid: str, key: str, parent: Path, folder: Path) -> None:
        """Write this host's copy of a dataset's files, then drop copies of older versions."""
        names = [_dataset_field(key, name) for name in DATASET_FILES]
        with _reachable():
            values = self.client.hmget(_hash(sid), names)
        try:
            parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=parent))
            for name, data in zip(DATASET_FILES, values, strict=True):
                if data is not None:
                    (staging / name).write_bytes(data)
            staging.rename(folder)
        except OSError as err:
            if (folder / "roles.json").is_file():
                return  # another process of this host fetched it first
            raise StorageError(f"The server could not copy your dataset locally ({err}).") from err
        for old in parent.iterdir():
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)


class _Renewed:
    """Renew a Redis lock from a thread while its `with` block runs.

    redis-py's Lock only expires; a lock without expiry would stay taken forever when its holder
    is killed. So the lock lives LOCK_SECONDS and this thread renews it every third of that,
    which keeps a long step's lock while it runs and frees a dead holder's lock soon."""

    def __init__(self, held: redis.lock.Lock) -> None:
        self.held = held
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._renew, daemon=True)

    def __enter__(self) -> None:
        self.thread.start()

    def __exit__(self, *_exc) -> None:
        self.done.set()
        self.thread.join()

    def _renew(self) -> None:
        while not self.done.wait(LOCK_SECONDS / 3):
            try:
                self.held.reacquire()
            except redis.exceptions.RedisError:
                return  # Redis is unreachable or the lock lapsed: the holder's writes fail too


@contextmanager
def _reachable() -> Iterator[None]:
    """Redis failures as StorageError with a sentence for the page (earlier data are intact)."""
    try:
        yield
    except redis.exceptions.RedisError as err:
        raise StorageError(
            f"The server could not reach its state store ({err}). Your earlier data are "
            "unchanged; try again later."
        ) from err


def _hash(sid: str) -> str:
    return f"{PREFIX}session:{sid}"


def _field(family: str, kind: str, name: str) -> str:
    check_key(kind)
    check_key(name)
    return f"{family}:{kind}:{name}"


def _dataset_field(key: str, name: str) -> str:
    return f"dataset:{key}:{name}"
