"""The feature cache: a hit returns the same arrays without recomputing; keys follow the inputs."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import blocks, cache, dispatch, featurize
from dashboard.engine.features.matrix import FeatureMatrix


@pytest.fixture
def dataset() -> Dataset:
    frame = pd.DataFrame({"formula": ["NaCl", "Fe2O3", "Xx"], "t": [1.0, 2.0, 3.0]})
    return Dataset(
        id="d",
        title="d",
        frame=frame,
        structure_column="formula",
        structure_kind="composition",
        target_columns=["t"],
    )


@pytest.fixture
def calls(monkeypatch) -> list[int]:
    """Counts the composition featuriser's calls made through featurize."""
    counted: list[int] = []
    original = dispatch.composition_features

    def counting(formulas):
        counted.append(len(formulas))
        return original(formulas)

    monkeypatch.setattr(dispatch, "composition_features", counting)
    return counted


def test_a_cache_hit_returns_equal_arrays_without_recomputing(tmp_path, dataset, calls):
    first = featurize(dataset, cache_dir=tmp_path)
    second = featurize(dataset, cache_dir=tmp_path)
    assert calls == [3]
    np.testing.assert_array_equal(first.X, second.X)
    assert first.names == second.names and first.blocks == second.blocks
    np.testing.assert_array_equal(first.valid, second.valid)


def test_cache_files_are_plain_npz_and_no_temporary_file_is_left(tmp_path, dataset):
    featurize(dataset, cache_dir=tmp_path)
    files = sorted(tmp_path.iterdir(), key=lambda path: path.suffix)
    assert [path.suffix for path in files] == [".lock", ".npz"]
    assert files[0].stat().st_size == 0
    with np.load(files[1], allow_pickle=False) as stored:
        assert stored["valid"].tolist() == [True, True, False]


def test_fingerprint_bits_round_trip_through_the_cache(tmp_path):
    frame = pd.DataFrame({"smiles": ["CCO", "C1CC", "c1ccccc1"], "y": [1.0, 2.0, 3.0]})
    dataset = Dataset(
        id="m",
        title="m",
        frame=frame,
        structure_column="smiles",
        structure_kind="smiles",
        target_columns=["y"],
    )
    computed = featurize(dataset, cache_dir=tmp_path)
    cached = featurize(dataset, cache_dir=tmp_path)
    np.testing.assert_array_equal(computed.X, cached.X)
    assert np.isnan(cached.X[1]).all() and cached.X.dtype == np.float64


def test_bit_blocks_are_stored_packed_and_other_blocks_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "CHUNK_ROWS", 3)  # packed and unpacked in two chunks
    bits = np.random.default_rng(0).integers(0, 2, size=(5, 20))
    counts = np.array([[0, 3], [1, 2], [4, 0], [2, 2], [7, 1]])
    values = np.linspace(-1.0, 1.0, 5)[:, None]
    valid = np.array([True, True, False, True, True])
    parts = [
        ("ecfp", bits, [f"b{i}" for i in range(20)], valid),
        ("counts", counts, ["c", "d"], valid),
    ]
    matrix = FeatureMatrix.stacked([*parts, ("numeric", values, ["x"], valid)])
    path = tmp_path / "m.npz"
    cache.save(path, matrix)
    with np.load(path, allow_pickle=False) as stored:
        assert stored["bits_0"].shape == (4, 3) and int(stored["width_0"]) == 20
        assert stored["block_1"].dtype == np.uint8 and stored["block_2"].dtype == np.float64
    loaded = cache.load(path)
    np.testing.assert_array_equal(loaded.X, matrix.X)
    assert loaded.blocks == matrix.blocks and loaded.names == matrix.names


def test_a_file_with_unpacked_bits_from_before_still_loads(tmp_path):
    valid = np.array([True, False, True])
    bits = np.array([[1, 0, 1], [0, 1, 1]], dtype=np.uint8)
    path = tmp_path / "old.npz"
    np.savez(
        path,
        valid=valid,
        names=np.array(["a", "b", "c"]),
        block_names=np.array(["ecfp"]),
        block_0=bits,
    )
    loaded = cache.load(path)
    np.testing.assert_array_equal(loaded.X[valid], bits)
    assert np.isnan(loaded.X[1]).all() and loaded.blocks == {"ecfp": slice(0, 3)}


def test_a_changed_dataset_misses_the_cache(tmp_path, dataset, calls):
    featurize(dataset, cache_dir=tmp_path)
    changed = dataset.frame.assign(formula=["NaCl", "Fe3O4", "Xx"])
    featurize(Dataset(frame=changed, **dataset.roles()), cache_dir=tmp_path)
    assert calls == [3, 3]


def test_the_key_changes_with_parameters_and_code_version(tmp_path, monkeypatch):
    def key(dataset_hash: str = "h", **changes) -> object:
        params = {"radius": 2, "n_bits": 2048, "descriptors": False, **changes}
        return cache.cache_path(tmp_path, dataset_hash, "ecfp", params)

    path = key()
    assert path == key()
    others = [key(radius=3), key(n_bits=1024), key(descriptors=True), key("h2")]
    assert len({path, *others}) == 5
    monkeypatch.setattr(cache, "FEATURES_VERSION", cache.FEATURES_VERSION + 1)
    assert key() != path


def test_an_unreadable_cache_file_is_recomputed_and_replaced(tmp_path, dataset, calls):
    featurize(dataset, cache_dir=tmp_path)
    (path,) = tmp_path.glob("*.npz")
    path.write_bytes(b"not an npz file")
    again = featurize(dataset, cache_dir=tmp_path)
    assert calls == [3, 3]
    assert cache.load(path) is not None
    assert again.valid.tolist() == [True, True, False]


def test_two_simultaneous_requests_compute_the_features_once(tmp_path, dataset, monkeypatch):
    counted: list[int] = []
    original = dispatch.composition_features

    def slow(formulas):
        counted.append(len(formulas))
        time.sleep(0.5)
        return original(formulas)

    monkeypatch.setattr(dispatch, "composition_features", slow)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(featurize(dataset, cache_dir=tmp_path)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted == [3] and len(results) == 2
    np.testing.assert_array_equal(results[0].X, results[1].X)
