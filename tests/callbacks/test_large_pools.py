"""Large pools end to end through the app's own callbacks and calls: a real upload of 20,000
rows (Matbench's DFT band gaps, compositions) received, started, stepped on the page and shown,
its features kept as blocks; and the same with 100,000 rows, marked slow. The molecule
benchmark at 100,000 rows, timed over HTTP, is `bench load --dataset` (README, "Large pools")."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import campaigns, catalog, runtime, warm
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.features.blocks import BlockMatrix
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.data import callbacks as data_page
from dashboard.settings import Settings
from tests.callbacks.conftest import data_url

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "matbench_mp_gap.csv"
STEPS = 3


@pytest.fixture
def big_rt(tmp_path):
    """The runtime on an empty folder with the default upload limit (50 MB)."""
    return runtime.configure(Settings(storage_dir=tmp_path / "storage"))


def gaps(rows: int) -> bytes:
    """`rows` of Matbench's 106,113 DFT band gaps (a fixed random sample) as a CSV file."""
    if not SOURCE.is_file():
        pytest.skip(f"needs {SOURCE} (the shared reference data)")
    frame = pd.read_csv(SOURCE).sample(rows, random_state=0)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def run_pool(rt, rows: int) -> None:
    """Upload, Start and STEPS Steps through the page's own functions; checks each stage."""
    sid = rt.store.create()
    message, key = data_page.receive_upload(data_url(gaps(rows)), f"gaps_{rows}.csv", sid)
    assert key is not None, message
    config = CampaignConfig(
        dataset_id=catalog.UPLOAD + key, target="target", initial_size=20, batch_size=5
    )
    with rt.store.lock(sid):
        started = campaigns.start(sid, config)
    assert isinstance(started.data.X, BlockMatrix)  # kept a block per dtype, never one copy
    assert started.pool_rows.size == rows
    warm.clear()  # the next Step loads it from the disk, as another web process would
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "al-step.n_clicks"}]))
    for press in range(1, STEPS + 1):
        _state, problem = al_page.act(press, None, None, None, sid)
        assert problem is None
    view = campaigns.view(sid)
    assert view.steps == STEPS and view.pool_rows.size == rows
    measured = int(view.snapshot.measured.sum())
    assert measured == config.initial_size + STEPS * config.batch_size
    assert view.coords.shape == (rows, 2)


def test_a_20000_row_upload_runs_a_campaign_end_to_end(big_rt):
    run_pool(big_rt, 20_000)


@pytest.mark.slow
def test_a_100000_row_upload_runs_a_campaign_end_to_end(big_rt):
    run_pool(big_rt, 100_000)
