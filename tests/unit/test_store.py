"""The session store: unguessable ids, isolation, atomic writes, expiry and locking."""

from __future__ import annotations

import json
import os
import threading
import time

import pandas as pd
import pytest

from dashboard.engine.data.dataset import Dataset
from dashboard.store import (
    SESSION_ID_PATTERN,
    SessionError,
    SessionStore,
    StorageError,
    new_session_id,
)


@pytest.fixture
def store(tmp_path) -> SessionStore:
    return SessionStore(tmp_path / "storage", ttl_hours=1.0)


def small_dataset(name: str = "tiny") -> Dataset:
    frame = pd.DataFrame({"formula": ["NaCl", "KBr", "MgO"], "gap": [8.5, 7.4, 7.8]})
    return Dataset(
        id=name,
        title=name,
        frame=frame,
        structure_column="formula",
        structure_kind="composition",
        target_columns=["gap"],
        units={"gap": "eV"},
    )


def test_session_ids_carry_at_least_128_random_bits():
    ids = {new_session_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(SESSION_ID_PATTERN.match(sid) for sid in ids)
    assert len(next(iter(ids))) * 6 >= 128  # URL-safe base64: 6 bits per character


def test_unknown_or_forged_ids_get_a_fresh_session(store):
    real = store.create()
    for forged in (
        None,
        "",
        "../../etc",
        "A" * 32,
        real[:-1] + ("x" if real[-1] != "x" else "y"),
        42,
    ):
        fresh = store.ensure(forged)
        assert fresh != forged and fresh != real
        assert store.list_datasets(fresh) == []


def test_a_live_session_keeps_its_id(store):
    sid = store.create()
    assert store.ensure(sid) == sid


def test_datasets_round_trip_and_stay_in_their_session(store):
    alice, bob = store.create(), store.create()
    key = store.save_dataset(alice, small_dataset())
    loaded = store.load_dataset(alice, key)
    pd.testing.assert_frame_equal(loaded.frame, small_dataset().frame)
    assert loaded.target_columns == ["gap"]
    with pytest.raises(KeyError):
        store.load_dataset(bob, key)
    assert store.list_datasets(bob) == []


def test_storage_keys_cannot_be_paths(store):
    sid = store.create()
    for bad in ("../x", "a/b", "", "X" * 80, "..", "dA"):
        with pytest.raises(ValueError):
            store.load_dataset(sid, bad)


def test_json_documents_round_trip(store):
    sid = store.create()
    store.save_json(sid, "campaigns", "current", {"step": 3, "rows": [1, 2]})
    assert store.load_json(sid, "campaigns", "current") == {"step": 3, "rows": [1, 2]}
    assert store.load_json(sid, "campaigns", "other") is None


def test_a_failed_write_keeps_the_earlier_version(store, monkeypatch):
    sid = store.create()
    store.save_json(sid, "campaigns", "current", {"step": 1})

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StorageError, match="No space left on device"):
        store.save_json(sid, "campaigns", "current", {"step": 2})
    assert store.load_json(sid, "campaigns", "current") == {"step": 1}
    leftovers = [p.name for p in store.folder(sid, "campaigns").iterdir()]
    assert leftovers == ["current.json"]


def test_idle_sessions_expire_with_their_data(store):
    old, fresh = store.create(), store.create()
    store.save_dataset(old, small_dataset())
    past = time.time() - 2 * 3600
    os.utime(store.root / "sessions" / old / "session.json", (past, past))
    assert store.expire() == [old]
    assert not store.exists(old) and store.exists(fresh)
    with pytest.raises(SessionError):
        store.require(old)


def test_the_session_lock_serialises_read_modify_write(store):
    sid = store.create()
    store.save_json(sid, "counters", "n", {"n": 0})

    def increment():
        for _ in range(20):
            with store.lock(sid):
                value = store.load_json(sid, "counters", "n")["n"]
                store.save_json(sid, "counters", "n", {"n": value + 1})

    threads = [threading.Thread(target=increment) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.load_json(sid, "counters", "n") == {"n": 80}


def test_sessions_survive_a_new_store_object(store):
    sid = store.create()
    key = store.save_dataset(sid, small_dataset())
    again = SessionStore(store.root, ttl_hours=1.0)
    assert again.exists(sid)
    assert again.load_dataset(sid, key).rows == 3
    assert (
        json.loads((store.root / "sessions" / sid / "datasets" / key / "roles.json").read_text())[
            "id"
        ]
        == "tiny"
    )
