"""The warm-up caches the built-in datasets' features as a campaign with the default model
would ask for them, so that the campaign, and a transfer run on the same table, read them
instead of computing."""

from __future__ import annotations

from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.data import builtin as datasets
from dashboard.engine.features import dispatch
from dashboard.engine.transfer import TransferConfig
from dashboard.engine.transfer.estimate import first_run
from dashboard.engine.transfer.run import prepared
from dashboard.warmup import warm


def test_warm_caches_what_a_default_campaign_then_reads(tmp_path, monkeypatch):
    small = [info for info in datasets.list_datasets() if info.id in ("expt-gap", "freesolv")]
    monkeypatch.setattr(datasets, "list_datasets", lambda: small)
    heard: list[str] = []
    warm(tmp_path, heard.append)
    assert [line.split(":")[0] for line in heard] == [info.id for info in small]

    def not_again(*_args, **_kwargs):
        raise AssertionError("features were computed again instead of read from the cache")

    monkeypatch.setattr(dispatch, "rdkit_descriptors", not_again)
    monkeypatch.setattr(dispatch, "composition_features", not_again)
    molecules = CampaignData.from_dataset(datasets.load("freesolv"), "expt", cache_dir=tmp_path)
    assert "descriptors" in molecules.blocks and molecules.X.shape[0] == 642
    CampaignData.from_dataset(datasets.load("expt-gap"), "gap", cache_dir=tmp_path)


def test_a_transfer_run_reads_the_features_the_warm_up_cached(tmp_path, monkeypatch):
    small = [info for info in datasets.list_datasets() if info.id == "freesolv"]
    monkeypatch.setattr(datasets, "list_datasets", lambda: small)
    warm(tmp_path, lambda _line: None)
    freesolv, config = datasets.load("freesolv"), TransferConfig()
    assert first_run(freesolv, freesolv, tmp_path, config).featurised == ()

    def not_again(*_args, **_kwargs):
        raise AssertionError("features were computed again instead of read from the cache")

    monkeypatch.setattr(dispatch, "rdkit_descriptors", not_again)
    data = prepared(freesolv, "calc", freesolv, "expt", config, tmp_path)
    assert data.X.shape[0] == 642
