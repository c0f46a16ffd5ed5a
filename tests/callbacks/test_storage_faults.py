"""Storage that fails as real disks do: a lock file that cannot be opened, a temp file that cannot
be made, a full disk (ENOSPC) and a file-size limit (EFBIG) from the kernel itself, an unwritable
feature cache, a crash between a campaign's two files; sessions kept alive by use and swept
without visitors."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dash_bootstrap_components as dbc
import numpy as np
import pytest

from dashboard import campaigns
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.data.builtin import load
from dashboard.engine.features import cache, featurize
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.data import upload as data_upload
from dashboard.store import SessionStore, StorageError
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import text_of
from tests.callbacks.test_faults import SMALL, press


@pytest.fixture
def started(rt, sid):
    campaigns.start(sid, CampaignConfig(**SMALL))
    return sid


def _read_only(*_args, **_kwargs):
    raise OSError(30, "Read-only file system")


def test_a_lock_file_that_cannot_be_opened_is_a_storage_error_with_a_sentence(rt, sid, monkeypatch):
    monkeypatch.setattr("dashboard.store.held", _read_only)
    expected = "could not save your data \\(Read-only file system\\)"
    with pytest.raises(StorageError, match=expected), rt.store.lock(sid):
        pass


def test_a_step_whose_lock_cannot_be_taken_says_so_and_changes_nothing(
    rt,
    started,
    monkeypatch,  # noqa: F811
):
    before = campaigns.saved(started)
    monkeypatch.setattr("dashboard.store.held", _read_only)
    press("al-step")
    _state, message = al_page.act(1, None, None, None, started)
    assert isinstance(message, dbc.Alert) and "could not save your data" in text_of(message)
    monkeypatch.undo()
    assert campaigns.saved(started) == before


def test_a_temp_file_that_cannot_be_made_is_a_storage_error(rt, sid, monkeypatch):
    monkeypatch.setattr(tempfile, "mkstemp", _read_only)
    with pytest.raises(StorageError, match="Your earlier data are unchanged"):
        rt.store.save_arrays(sid, "campaigns", "x", {"a": np.zeros(2)})


def test_an_unwritable_feature_cache_computes_without_keeping(tmp_path, monkeypatch):
    dataset = load("freesolv")
    monkeypatch.setattr(cache, "save", _read_only)
    fresh = featurize(dataset, tmp_path / "cache")
    assert fresh.X.shape[0] == dataset.rows
    monkeypatch.setattr("dashboard.engine.features.dispatch.held", _read_only)
    assert featurize(dataset, tmp_path / "cache").X.shape == fresh.X.shape


def test_a_crash_between_the_arrays_and_the_json_leaves_the_previous_step(
    rt,
    started,
    monkeypatch,  # noqa: F811
):
    before = campaigns.view(started)
    real_save_json = rt.store.save_json

    def crash(*_args, **_kwargs):
        raise StorageError("the process died here")

    monkeypatch.setattr(rt.store, "save_json", crash)
    config = CampaignConfig(**{**SMALL, "initial_size": 10, "batch_size": 3})
    with pytest.raises(StorageError):
        campaigns.start(started, config)
    monkeypatch.setattr(rt.store, "save_json", real_save_json)
    after = campaigns.view(started)
    assert after.snapshot.step == before.snapshot.step
    assert after.pool_rows.size == before.pool_rows.size
    np.testing.assert_array_equal(after.snapshot.mean, before.snapshot.mean)


def test_any_use_keeps_a_short_lived_session_alive(tmp_path):
    store = SessionStore(tmp_path, ttl_hours=2 / 3600)  # two seconds
    sid = store.create()
    for _ in range(6):
        time.sleep(0.5)
        store.require(sid)
    assert store.exists(sid)


def test_expired_sessions_are_swept_by_any_request_not_only_new_visitors(tmp_path):
    store = SessionStore(tmp_path, ttl_hours=1.0)
    idle, active = store.create(), store.create()
    old = time.time() - 2 * 3600
    os.utime(tmp_path / "sessions" / idle / "session.json", (old, old))
    store._swept_at = -float("inf")
    store.require(active)
    assert not (tmp_path / "sessions" / idle).exists()


def _full_disk():
    """tempfile.mkstemp whose file is /dev/full: every write fails with the kernel's ENOSPC."""

    def mkstemp(prefix="", suffix="", dir=None, **_kwargs):  # noqa: A002 - mkstemp's own name
        return os.open("/dev/full", os.O_WRONLY), os.path.join(dir, f"{prefix}full{suffix}")

    return mkstemp


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@needs_dev_full
def test_a_full_disk_during_a_step_says_so_and_keeps_the_last_step(rt, started, monkeypatch):
    before = campaigns.saved(started)
    monkeypatch.setattr(tempfile, "mkstemp", _full_disk())
    press("al-step")
    _state, message = al_page.act(1, None, None, None, started)
    assert isinstance(message, dbc.Alert)
    assert "No space left on device" in text_of(message) and "unchanged" in text_of(message)
    monkeypatch.undo()
    assert campaigns.saved(started) == before
    assert campaigns.view(started).snapshot.step == 0
    press("al-step")
    al_page.act(1, None, None, None, started)
    assert campaigns.view(started).snapshot.step == 1  # the disk has room again: steps go on


@needs_dev_full
def test_a_full_disk_during_an_upload_says_so_and_adds_nothing(rt, sid, monkeypatch):
    monkeypatch.setattr(tempfile, "mkstemp", _full_disk())
    table = b"formula,gap\nNaCl,8.5\nKBr,7.4\nMgO,7.8\nGaAs,1.42\nSi,1.12\nZnO,3.3\n"
    message, key = data_upload.receive_upload(data_url(table), "g.csv", sid)
    assert key is None and "No space left on device" in text_of(message)
    monkeypatch.undo()
    assert rt.store.list_datasets(sid) == []


EFBIG_STEP = """
import resource, signal, sys
from pathlib import Path
from dashboard import campaigns, runtime
from dashboard.settings import Settings
from dashboard.store import StorageError
rt = runtime.configure(Settings(storage_dir=Path(sys.argv[1])))
sid = sys.argv[2]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (2048, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    campaign = campaigns.load(sid)
    campaign.step()
    campaigns.save(sid, campaign)
except StorageError as err:
    print(err)
"""


def test_a_file_over_the_size_limit_efbig_is_explained_and_changes_nothing(rt, started, tmp_path):
    """A real EFBIG: the step runs in a process whose files may not grow beyond 2 KB."""
    before = campaigns.saved(started)
    script = tmp_path / "efbig.py"
    script.write_text(EFBIG_STEP)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, str(script), str(rt.settings.storage_dir), started],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert "could not save your data (File too large)" in out.stdout, out.stderr[-2000:]
    assert campaigns.saved(started) == before


def test_a_read_only_storage_root_refuses_a_new_session_with_a_sentence(rt, sid, monkeypatch):
    monkeypatch.setattr(Path, "mkdir", _read_only)
    with pytest.raises(StorageError, match="could not save your data \\(Read-only file system\\)"):
        rt.store.create()
    monkeypatch.undo()
    assert rt.store.ensure(sid) == sid  # the sessions already there are untouched
