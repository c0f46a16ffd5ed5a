"""Server-side state of each browser session, on disk under the storage folder.

Everything a user would be sad to lose (uploaded datasets, campaigns, trained models) lives here,
keyed by an unguessable session id that the server makes; the browser only holds that id. Each
session has its own folder and its own lock file, so gunicorn workers, background jobs and two tabs
of one session never interleave their writes. Files are written to a temporary name and renamed,
so a crash leaves the previous version intact.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.util import held

SESSION_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TOUCH_INTERVAL_SECONDS = 60.0
SWEEP_INTERVAL_SECONDS = 600.0
"""Expired sessions are swept at most this often, by whichever request comes then."""
ORIGINAL = "original"
ROW_NUMBERS = "row_numbers.npy"
"""A dataset's files that keep its upload as it came, and the upload's row of each dataset row."""


@dataclass(frozen=True)
class UploadedFile:
    """An upload as it came (`content`, within the upload size limit) and the file's 1-based
    data row of each row of the dataset made from it (UploadResult.row_numbers)."""

    content: bytes
    row_numbers: list[int]


def write_dataset_files(
    folder: Path, dataset: Dataset, table: pd.DataFrame | None, original: UploadedFile | None
) -> None:
    """A stored dataset's files, but its meta.json: frame and roles, the typed table and the
    uploaded file when they are given (see `replace_dataset`)."""
    dataset.save(folder)
    if table is not None:
        table.to_parquet(folder / "table.parquet", index=True)
    if original is not None:
        (folder / ORIGINAL).write_bytes(original.content)
        np.save(folder / ROW_NUMBERS, np.asarray(original.row_numbers, dtype=np.int64))


class SessionError(Exception):
    """The session id is missing, malformed, unknown or expired."""


class StorageError(Exception):
    """The storage folder could not be written (full, read-only, ...): earlier data are intact."""


def new_session_id() -> str:
    """192 random bits from the OS generator, URL-safe: 32 characters."""
    return secrets.token_urlsafe(24)


class SessionVerbs:
    """The verbs both stores (disk here, Redis in redis_store.py) build on their own `exists`,
    `touch`, `sweep`, `create`, `replace_dataset` and `dataset_folder`."""

    def ensure(self, sid: object) -> str:
        """The same id when it names a live session (and mark it used); otherwise a new session.

        An unknown, forged or expired id never reaches anyone's data: it gets a fresh session.
        """
        if self.exists(sid):
            self.touch(sid)
            return sid  # type: ignore[return-value]
        return self.create()

    def require(self, sid: object) -> str:
        """The id when it names a live session, else SessionError with a message for the page.

        Every use counts as activity (see `touch`) and gives the sweep of expired sessions its
        chance (see `sweep`)."""
        if not self.exists(sid):
            raise SessionError(
                "Your session has expired or is unknown: reload the page to start a new one."
            )
        self.touch(sid)  # type: ignore[arg-type]
        self.sweep()
        return sid  # type: ignore[return-value]

    def save_dataset(
        self,
        sid: str,
        dataset: Dataset,
        meta: dict | None = None,
        table: pd.DataFrame | None = None,
        original: UploadedFile | None = None,
    ) -> str:
        """Store a dataset under a new generated key and return the key (never a user's name)."""
        key = "d" + secrets.token_hex(8)
        self.replace_dataset(sid, key, dataset, meta, table, original)
        return key

    def load_dataset(self, sid: str, key: str) -> Dataset:
        """The session's dataset under `key`; KeyError when there is none."""
        return Dataset.load_saved(self.dataset_folder(sid, key))

    def load_table(self, sid: str, key: str) -> pd.DataFrame | None:
        """The whole typed table the dataset was made from, when it was kept."""
        path = self.dataset_folder(sid, key) / "table.parquet"
        return pd.read_parquet(path) if path.is_file() else None

    def dataset_meta(self, sid: str, key: str) -> dict:
        """The summary `list_datasets` gives of one of the session's datasets ({} if none)."""
        return next((item for item in self.list_datasets(sid) if item["key"] == key), {})

    def load_original(self, sid: str, key: str) -> UploadedFile | None:
        """The uploaded file a dataset was made from, with the file's data row of each dataset
        row, when they were kept (uploads since campaign files are written back)."""
        folder = self.dataset_folder(sid, key)
        if not (folder / ORIGINAL).is_file() or not (folder / ROW_NUMBERS).is_file():
            return None
        return UploadedFile(
            (folder / ORIGINAL).read_bytes(), np.load(folder / ROW_NUMBERS).tolist()
        )

    def load_row_numbers(self, sid: str, key: str) -> np.ndarray | None:
        """The file's 1-based data row of each row of an uploaded dataset, when kept."""
        path = self.dataset_folder(sid, key) / ROW_NUMBERS
        return np.load(path) if path.is_file() else None


class SessionStore(SessionVerbs):
    """Sessions on disk: `root/sessions/<id>/` with datasets, JSON documents and a lock file."""

    def __init__(self, root: Path, ttl_hours: float = 72.0) -> None:
        self.root = Path(root)
        self.ttl_seconds = ttl_hours * 3600.0
        self._swept_at = -float("inf")

    # sessions -------------------------------------------------------------------------------
    def create(self) -> str:
        """Make a new empty session and return its id; also sweeps expired sessions."""
        self.expire()
        sid = new_session_id()
        folder = self._folder(sid)
        try:
            folder.mkdir(parents=True)
            self._write_text(folder / "session.json", json.dumps({"created": time.time()}))
        except OSError as err:
            raise StorageError(_storage_message(err)) from err
        return sid

    def exists(self, sid: object) -> bool:
        """True for a well-formed id whose session is on disk and not expired."""
        if not isinstance(sid, str) or not SESSION_ID_PATTERN.match(sid):
            return False
        marker = self._folder(sid) / "session.json"
        try:
            age = time.time() - marker.stat().st_mtime
        except OSError:
            return False
        return age <= self.ttl_seconds

    def touch(self, sid: str) -> None:
        """Record use of a session: at most once a minute (or a tenth of the time to live when
        that is shorter) to spare the disk."""
        marker = self._folder(sid) / "session.json"
        interval = min(TOUCH_INTERVAL_SECONDS, self.ttl_seconds / 10)
        try:
            if time.time() - marker.stat().st_mtime > interval:
                os.utime(marker)
        except OSError:
            pass

    def sweep(self) -> list[str]:
        """`expire()` when this process last swept SWEEP_INTERVAL_SECONDS ago (or the time to
        live, when shorter): every worker sweeps now and then, not only when a visitor arrives."""
        now = time.monotonic()
        if now - self._swept_at < min(SWEEP_INTERVAL_SECONDS, self.ttl_seconds):
            return []
        self._swept_at = now
        return self.expire()

    def expire(self, now: float | None = None) -> list[str]:
        """Delete sessions idle for longer than the expiry; returns their ids."""
        now = time.time() if now is None else now
        removed = []
        sessions = self.root / "sessions"
        if not sessions.is_dir():
            return removed
        for folder in sessions.iterdir():
            try:
                idle = now - (folder / "session.json").stat().st_mtime
            except OSError:
                idle = now - folder.stat().st_mtime
            if idle > self.ttl_seconds:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        return removed

    @contextmanager
    def lock(self, sid: str) -> Iterator[None]:
        """Hold the session's exclusive lock (across processes) for a read-modify-write;
        StorageError when the lock file cannot be opened (a read-only or full disk)."""
        self.require(sid)
        with ExitStack() as stack:
            try:
                stack.enter_context(held(self._folder(sid) / ".lock"))
            except OSError as err:
                raise StorageError(_storage_message(err)) from err
            yield

    def folder(self, sid: str, *parts: str) -> Path:
        """A folder inside the session for a module's own files (created); parts must be keys."""
        self.require(sid)
        for part in parts:
            check_key(part)
        path = self._folder(sid).joinpath(*parts)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(_storage_message(err)) from err
        return path

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
        """Write a dataset under `key`, replacing any earlier version in one rename.

        `table` is the file's whole typed table (every row, index = data row number), kept so
        that roles can be changed later without uploading again; `original` the file as
        uploaded, kept so that a campaign on it can be written back in the same form.
        """
        check_key(key)
        parent = self.folder(sid, "datasets")
        meta = {"saved": time.time(), **(meta or {})}
        staging: Path | None = None
        try:
            staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=parent))
            write_dataset_files(staging, dataset, table, original)
            self._write_text(staging / "meta.json", json.dumps(meta))
            target = parent / key
            if target.exists():
                old = parent / f".old-{key}-{secrets.token_hex(4)}"
                target.rename(old)
                staging.rename(target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                staging.rename(target)
        except OSError as err:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise StorageError(_storage_message(err)) from err

    def dataset_folder(self, sid: str, key: str) -> Path:
        """Where the session's dataset `key` is stored; KeyError when there is none."""
        check_key(key)
        folder = self._folder(self.require(sid)) / "datasets" / key
        if not (folder / "roles.json").is_file():
            raise KeyError(f"this session has no dataset {key!r}")
        return folder

    def list_datasets(self, sid: str) -> list[dict]:
        """Summaries (key, title, rows, kind, targets, saved) of the session's datasets, oldest first."""
        parent = self._folder(self.require(sid)) / "datasets"
        items = []
        for folder in sorted(parent.glob("d*")) if parent.is_dir() else []:
            try:
                roles = json.loads((folder / "roles.json").read_text())
                meta = json.loads((folder / "meta.json").read_text())
            except (OSError, ValueError):
                continue
            items.append({"key": folder.name, **roles, **meta})
        return sorted(items, key=lambda item: item.get("saved", 0))

    def delete_dataset(self, sid: str, key: str) -> None:
        check_key(key)
        shutil.rmtree(self._folder(self.require(sid)) / "datasets" / key, ignore_errors=True)

    # JSON documents (campaigns, model records, view state) ------------------------------------
    def save_json(self, sid: str, kind: str, name: str, document: dict) -> None:
        """Write one JSON document of a kind (e.g. "campaigns") atomically."""
        folder = self.folder(sid, kind)
        check_key(name)
        try:
            self._write_text(folder / f"{name}.json", json.dumps(document))
        except OSError as err:
            raise StorageError(_storage_message(err)) from err

    def load_json(self, sid: str, kind: str, name: str) -> dict | None:
        """The document, or None when there is none."""
        check_key(kind)
        check_key(name)
        path = self._folder(self.require(sid)) / kind / f"{name}.json"
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            return None

    def delete_json(self, sid: str, kind: str, name: str) -> None:
        check_key(kind)
        check_key(name)
        (self._folder(self.require(sid)) / kind / f"{name}.json").unlink(missing_ok=True)

    def save_arrays(self, sid: str, kind: str, name: str, arrays: dict[str, np.ndarray]) -> None:
        """Write named numeric arrays as one .npz (no pickled objects) atomically."""
        folder = self.folder(sid, kind)
        check_key(name)
        try:
            handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=folder)
        except OSError as err:
            raise StorageError(_storage_message(err)) from err
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(stream, **arrays)
            os.replace(temp, folder / f"{name}.npz")
        except OSError as err:
            Path(temp).unlink(missing_ok=True)
            raise StorageError(_storage_message(err)) from err

    def delete_arrays(self, sid: str, kind: str, keep: set[str]) -> None:
        """Remove the .npz files of a kind whose names are not in `keep` (left-overs of older
        commits); a failure leaves them, to be removed by a later commit."""
        check_key(kind)
        folder = self._folder(self.require(sid)) / kind
        for path in folder.glob("*.npz"):
            if path.stem not in keep:
                with suppress(OSError):
                    path.unlink(missing_ok=True)

    def load_arrays(self, sid: str, kind: str, name: str) -> dict[str, np.ndarray] | None:
        """The arrays saved by `save_arrays`, or None when there are none."""
        check_key(kind)
        check_key(name)
        path = self._folder(self.require(sid)) / kind / f"{name}.npz"
        try:
            with np.load(path, allow_pickle=False) as saved:
                return {key: saved[key] for key in saved.files}
        except FileNotFoundError:
            return None

    # internals ------------------------------------------------------------------------------
    def _folder(self, sid: str) -> Path:
        return self.root / "sessions" / sid

    @staticmethod
    def _write_text(path: Path, text: str) -> None:
        """Write through a temporary file in the same folder and rename it over the target."""
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "w") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def check_key(key: str) -> None:
    """Keys name files: only generated or fixed lowercase names, never a path or a user's text."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise ValueError(f"invalid storage key {key!r}")


def _storage_message(err: OSError) -> str:
    """A sentence for the page about a failed write."""
    reason = os.strerror(err.errno) if err.errno else str(err)
    return f"The server could not save your data ({reason}). Your earlier data are unchanged; try again later."
