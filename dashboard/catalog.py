"""Which datasets a session can use, and loading one by key, for every page.

Keys: ``builtin:<id>`` (shipped in data/), ``folder:<file name>`` (CSV files of MI_DATA_DIR) and
``upload:<key>`` (the session's own, in the store). Keys come from the browser, so each is checked
against what this session may see before anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard import runtime
from dashboard.engine.data import builtin as datasets
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.upload import UploadLimits, parse_upload

BUILTIN = "builtin:"
FOLDER = "folder:"
UPLOAD = "upload:"
FOLDER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")


@dataclass(frozen=True)
class Entry:
    """One dataset as offered in a picker."""

    key: str
    title: str
    rows: int
    structure_kind: str
    targets: tuple[str, ...]

    @property
    def label(self) -> str:
        origin = {BUILTIN: "built-in", FOLDER: "data folder", UPLOAD: "yours"}[
            self.key.split(":")[0] + ":"
        ]
        return f"{self.title} ({self.rows:,} rows, {origin})"


def entries(sid: str | None) -> list[Entry]:
    """Built-ins, then the data folder's files, then the session's uploads (when sid is live)."""
    found = [
        Entry(BUILTIN + info.id, info.title, info.rows, info.structure_kind, tuple(info.targets))
        for info in datasets.list_datasets()
    ]
    for path in _folder_files():
        dataset = _load_folder_file(path, path.stat().st_mtime)
        if dataset is not None:
            found.append(_entry(FOLDER + path.name, dataset.title, dataset))
    store = runtime.current().store
    if sid is not None and store.exists(sid):
        for item in store.list_datasets(sid):
            found.append(
                Entry(
                    UPLOAD + item["key"],
                    item["title"],
                    int(item.get("rows", 0)),
                    item["structure_kind"],
                    tuple(item["target_columns"]),
                )
            )
    return found


def options(sid: str | None, structure_kind: str | None = None) -> list[dict]:
    """Dropdown options for the session's datasets, optionally of one structure kind."""
    return [
        {"label": entry.label, "value": entry.key}
        for entry in entries(sid)
        if structure_kind is None or entry.structure_kind == structure_kind
    ]


def load(sid: str | None, key: str) -> Dataset:
    """The dataset behind `key` for this session; KeyError (with a sentence) when it is not theirs.

    The dataset may be shared with other callers of this process: treat its frame as read-only.
    """
    if not isinstance(key, str):
        raise KeyError("no dataset chosen")
    if key.startswith(BUILTIN):
        return datasets.load(key.removeprefix(BUILTIN))
    if key.startswith(FOLDER):
        path = next((p for p in _folder_files() if p.name == key.removeprefix(FOLDER)), None)
        dataset = None if path is None else _load_folder_file(path, path.stat().st_mtime)
        if dataset is None:
            raise KeyError(f"the data folder has no usable file {key.removeprefix(FOLDER)!r}")
        return dataset
    if key.startswith(UPLOAD):
        folder = runtime.current().store.dataset_folder(sid, key.removeprefix(UPLOAD))
        return _load_saved(str(folder), (folder / "roles.json").stat().st_mtime_ns)
    raise KeyError(f"unknown dataset {key!r}")


def _entry(key: str, title: str, dataset: Dataset) -> Entry:
    return Entry(key, title, dataset.rows, dataset.structure_kind, tuple(dataset.target_columns))


def _folder_files() -> list[Path]:
    folder = runtime.current().settings.data_dir
    if folder is None or not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
    )


@lru_cache(maxsize=16)
def _load_folder_file(path: Path, _mtime: float) -> Dataset | None:
    """A data-folder file parsed like an upload (None when it is not usable); cached per version."""
    settings = runtime.current().settings
    limits = UploadLimits(
        max_bytes=2**31,
        max_rows=10 * settings.upload_max_rows,
        max_columns=settings.upload_max_columns,
        max_cells=10 * settings.upload_max_cells,
    )
    result = parse_upload(path.read_bytes(), path.name, limits, dataset_id=f"folder-{path.stem}")
    return result.dataset


@lru_cache(maxsize=8)
def _load_saved(folder: str, _version: int) -> Dataset:
    """A stored dataset, kept in memory while its files are unchanged (grid scrolling reads often)."""
    return Dataset.load_saved(Path(folder))
