"""The Redis state store (MI_STATE_URL) against a real redis-server: the disk store's promises
(isolation, atomic writes, expiry, the lock) and what several hosts need (one state, fresh
copies, one server key)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest

from dashboard.redis_store import RedisSessionStore
from dashboard.store import SessionError, StorageError
from tests.unit.test_store import small_dataset


@pytest.fixture
def host(redis_url, tmp_path):
    """A store as one web host sees it: the shared Redis and its own local folder."""

    def make(name: str = "a", ttl_hours: float = 1.0) -> RedisSessionStore:
        return RedisSessionStore(redis_url, tmp_path / f"host-{name}", ttl_hours)

    return make


def test_unknown_or_forged_ids_get_a_fresh_session(host):
    store = host()
    real = store.create()
    assert store.ensure(real) == real
    for forged in (None, "", "../../etc", "A" * 32, real[:-1] + ("x" if real[-1] != "x" else "y")):
        fresh = store.ensure(forged)
        assert fresh not in (forged, real)
        assert store.list_datasets(fresh) == []


def test_datasets_round_trip_and_stay_in_their_session(host):
    store = host()
    alice, bob = store.create(), store.create()
    table = pd.DataFrame({"formula": ["NaCl"], "extra": ["x"]}, index=[2])
    key = store.save_dataset(alice, small_dataset(), meta={"title": "tiny"}, table=table)
    pd.testing.assert_frame_equal(store.load_dataset(alice, key).frame, small_dataset().frame)
    pd.testing.assert_frame_equal(store.load_table(alice, key), table)
    assert [(d["key"], d["id"], d["title"]) for d in store.list_datasets(alice)] == [
        (key, "tiny", "tiny")
    ]
    with pytest.raises(KeyError):
        store.load_dataset(bob, key)
    assert store.list_datasets(bob) == []
    store.delete_dataset(alice, key)
    assert store.list_datasets(alice) == []


def test_storage_keys_cannot_be_paths(host):
    store = host()
    sid = store.create()
    for bad in ("../x", "a/b", "", "X" * 80, "..", "dA", "a:b"):
        with pytest.raises(ValueError):
            store.load_dataset(sid, bad)
        with pytest.raises(ValueError):
            store.save_json(sid, "campaigns", bad, {})


def test_documents_and_arrays_round_trip_without_pickles(host):
    store = host()
    sid = store.create()
    store.save_json(sid, "campaigns", "current", {"step": 3})
    assert store.load_json(sid, "campaigns", "current") == {"step": 3}
    assert store.load_json(sid, "campaigns", "other") is None
    store.save_arrays(sid, "campaigns", "s1", {"rows": np.arange(4)})
    store.save_arrays(sid, "campaigns", "s2", {"rows": np.arange(2)})
    np.testing.assert_array_equal(store.load_arrays(sid, "campaigns", "s1")["rows"], np.arange(4))
    store.delete_arrays(sid, "campaigns", keep={"s2"})
    assert store.load_arrays(sid, "campaigns", "s1") is None
    assert store.load_arrays(sid, "campaigns", "s2") is not None
    store.save_arrays(sid, "campaigns", "bad", {"objects": np.array([{}], dtype=object)})
    with pytest.raises(ValueError):  # never unpickled
        store.load_arrays(sid, "campaigns", "bad")
    store.delete_json(sid, "campaigns", "current")
    assert store.load_json(sid, "campaigns", "current") is None


def test_an_unreachable_store_is_a_sentence_and_keeps_the_earlier_version(host, tmp_path):
    store = host()
    sid = store.create()
    store.save_json(sid, "campaigns", "current", {"step": 1})
    gone = RedisSessionStore("redis://127.0.0.1:9/0", tmp_path / "gone")  # nothing listens
    with pytest.raises(StorageError, match="could not reach its state store"):
        gone.create()
    with pytest.raises(StorageError):
        gone.save_json(sid, "campaigns", "current", {"step": 2})
    assert store.load_json(sid, "campaigns", "current") == {"step": 1}


def test_idle_sessions_expire_with_their_data_and_local_copies(host):
    store = host(ttl_hours=1.5 / 3600)  # 1.5 s
    sid = store.create()
    key = store.save_dataset(sid, small_dataset())
    copy = store.dataset_folder(sid, key)
    time.sleep(0.5)
    store.require(sid)  # use restarts the clock
    time.sleep(1.2)
    assert store.exists(sid)
    time.sleep(1.0)
    assert not store.exists(sid)
    with pytest.raises(SessionError):
        store.require(sid)
    assert store.expire() == [sid] and not copy.exists()


def test_the_lock_serialises_read_modify_write_across_hosts(host):
    stores = [host("a"), host("b")]
    sid = stores[0].create()
    stores[0].save_json(sid, "counters", "n", {"n": 0})

    def increment(store: RedisSessionStore) -> None:
        for _ in range(15):
            with store.lock(sid):
                value = store.load_json(sid, "counters", "n")["n"]
                store.save_json(sid, "counters", "n", {"n": value + 1})

    threads = [threading.Thread(target=increment, args=(stores[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[1].load_json(sid, "counters", "n") == {"n": 60}


def test_a_lock_outlives_its_first_lease_while_held(host, monkeypatch):
    monkeypatch.setattr("dashboard.redis_store.LOCK_SECONDS", 0.6)
    store = host()
    sid = store.create()
    other = store.client.lock(f"mi:lock:{sid}", blocking_timeout=0.1)
    with store.lock(sid):
        time.sleep(1.5)  # more than two leases: the renewal keeps it
        assert not other.acquire()


def test_a_killed_holder_frees_its_lock_within_the_lease(host, redis_url, tmp_path):
    store = host()
    sid = store.create()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; import dashboard.redis_store as r;"
            "r.LOCK_SECONDS = 2.0; S = r.RedisSessionStore;"
            f"s = S({redis_url!r}, Path({str(tmp_path / 'k')!r}));"
            f"c = s.lock({sid!r}); c.__enter__(); print('held', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    with store.lock(sid):
        waited = time.monotonic() - started
    assert 0.5 <= waited <= 2.0 + 1.5  # the dead holder's lease, not LOCK_SECONDS (30 s) or more


def test_two_hosts_share_sessions_and_never_read_a_replaced_dataset_stale(host):
    a, b = host("a"), host("b")
    sid = a.create()
    assert b.exists(sid)
    key = a.save_dataset(sid, small_dataset())
    assert b.load_dataset(sid, key).rows == 3
    bigger = small_dataset()
    bigger.frame = pd.concat([bigger.frame, bigger.frame], ignore_index=True)
    a.replace_dataset(sid, key, bigger)
    assert b.load_dataset(sid, key).rows == 6
    assert [p.name for p in (b.root / "sessions" / sid / "datasets" / key).iterdir()] == [
        b.dataset_folder(sid, key).name
    ]  # the older copy is gone


def test_every_host_gets_the_same_server_key(host):
    assert host("a").server_key() == host("b").server_key()
    assert len(host("a").server_key()) == 64
