"""Large pools in little memory: features kept as blocks (features/blocks.py) and pool-wide
steps done in row chunks, never copying the pool whole; each gives what the whole array gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from dashboard.engine.active_learning.acquisition import top_q
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.design import principal_components
from dashboard.engine.active_learning.kernels import Stationary, Tanimoto
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import blocks, featurize
from dashboard.engine.features.blocks import BlockMatrix, compact_part


def bits_and_values(rows: int = 23) -> np.ndarray:
    rng = np.random.default_rng(3)
    return np.hstack([rng.integers(0, 2, (rows, 12)).astype(float), rng.normal(size=(rows, 4))])


def test_the_tanimoto_copy_built_in_chunks_equals_the_whole_block(monkeypatch):
    X = bits_and_values()
    monkeypatch.setattr(blocks, "CHUNK_ROWS", 5)
    chunked = Tanimoto(slice(0, 12)).transform(X)
    assert chunked.format == "csr" and chunked.dtype == np.float32
    np.testing.assert_array_equal(chunked.toarray(), X[:, :12].astype(np.float32))
    assert Tanimoto(slice(0, 12)).transform(X[:0]).shape == (0, 12)


def test_column_spreads_in_chunks_match_numpy_and_the_map_is_unchanged(monkeypatch):
    X = bits_and_values()
    whole = principal_components(X, 2)
    monkeypatch.setattr(blocks, "CHUNK_ROWS", 4)
    np.testing.assert_allclose(blocks.center_and_spread(X)[1], X.std(axis=0), rtol=1e-12)
    np.testing.assert_allclose(principal_components(X, 2), whole, rtol=1e-9, atol=1e-12)


def block_matrix() -> tuple[BlockMatrix, np.ndarray]:
    """A BlockMatrix of bits and values with a missing row, and the array it stands for."""
    X = bits_and_values(9)
    missing = np.zeros(9, dtype=bool)
    missing[4] = True
    X[4] = np.nan
    parts = [compact_part(X[:, :12], missing), compact_part(X[:, 12:], missing)]
    return BlockMatrix(parts, missing), X


def test_a_block_matrix_reads_like_the_array_it_stands_for():
    stored, X = block_matrix()
    assert stored.shape == X.shape and len(stored) == 9
    assert stored.parts[0].dtype == np.uint8 and stored.parts[1].dtype == np.float64
    np.testing.assert_array_equal(np.asarray(stored), X)
    rows = np.array([7, 4, 0])
    for key in [
        (slice(None), slice(10, 14)),
        (slice(2, 6), slice(None)),
        (rows, slice(0, 12)),
        (slice(None), np.array([13, 1, 12])),
        (3, slice(None)),
        (slice(None), 2),
    ]:
        np.testing.assert_array_equal(stored[key], X[key])
    np.testing.assert_array_equal(np.asarray(stored[rows]), X[rows])
    np.testing.assert_array_equal(np.asarray(stored[X[:, 0] > 0]), X[X[:, 0] > 0])
    assert np.asarray(stored, dtype=np.float32).dtype == np.float32


def test_a_block_matrix_times_weights_equals_the_arrays_product_in_chunks(monkeypatch):
    stored, X = block_matrix()
    monkeypatch.setattr(blocks, "CHUNK_ROWS", 4)
    weights = np.random.default_rng(1).normal(size=(X.shape[1], 2))
    np.testing.assert_allclose(stored @ weights, X @ weights, rtol=1e-12)
    assert np.isnan((stored @ weights)[4]).all() and np.isnan(X[4]).all()


def test_column_spreads_of_blocks_equal_numpys_and_integer_blocks_are_exact():
    X = bits_and_values(40)
    X[:, 3] = 0  # a constant column: spread exactly 0
    stored = BlockMatrix(
        [compact_part(X[:, :12], np.zeros(40, bool)), X[:, 12:]], np.zeros(40, bool)
    )
    center, spread = blocks.center_and_spread(stored)
    np.testing.assert_allclose(center, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(spread, X.std(axis=0), rtol=1e-12)
    assert spread[3] == 0.0


def test_stored_values_are_bytes_only_where_every_value_is_one():
    stored, X = block_matrix()
    bits = stored.stored_values(slice(0, 4), slice(0, 12))
    assert bits.dtype == np.uint8
    np.testing.assert_array_equal(bits, X[:4, :12])
    for rows, columns in [(slice(None), slice(0, 12)), (slice(0, 4), slice(10, 14))]:
        mixed = stored.stored_values(rows, columns)  # a missing row, or a float column
        assert mixed.dtype == np.float64
        np.testing.assert_array_equal(mixed, X[rows, columns])


def test_the_tanimoto_copy_of_a_block_matrix_equals_that_of_its_array():
    stored, X = block_matrix()
    rows = ~np.isnan(X[:, 0])
    part = Tanimoto(slice(0, 12))
    from_blocks, from_array = part.transform(stored[rows]), part.transform(X[rows])
    assert from_blocks.dtype == np.float32
    np.testing.assert_array_equal(from_blocks.toarray(), from_array.toarray())


@pytest.mark.parametrize("width", [1, 8, 13, 2048])
def test_the_sparse_copy_of_bytes_found_word_by_word_equals_scipys(width):
    rng = np.random.default_rng(width)
    counts = (rng.random((31, width)) < 0.2) * rng.integers(1, 256, (31, width))
    counts[[0, 7]] = 0  # empty rows
    counts[5] = 255  # a full row
    stored = BlockMatrix([counts.astype(np.uint8)], np.zeros(31, dtype=bool))
    copy = Tanimoto(slice(0, width)).transform(stored)
    expected = sparse.csr_matrix(counts.astype(np.float32))
    assert copy.has_sorted_indices and copy.dtype == np.float32 and copy.nnz == expected.nnz
    np.testing.assert_array_equal(copy.indptr, expected.indptr)
    np.testing.assert_array_equal(copy.indices, expected.indices)
    np.testing.assert_array_equal(copy.data, expected.data)


def test_column_statistics_of_some_columns_equal_numpys_in_any_chunks(monkeypatch):
    stored, X = block_matrix()
    present = ~np.isnan(X[:, 0])
    monkeypatch.setattr(blocks, "CHUNK_ROWS", 3)
    for columns in (slice(10, 16), np.array([0, 13, 15])):
        center, spread = blocks.center_and_spread(stored[present], columns)
        np.testing.assert_allclose(center, X[present][:, columns].mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(spread, X[present][:, columns].std(axis=0), rtol=1e-12)


def test_a_block_matrix_is_read_only_and_smaller_than_its_array():
    stored, X = block_matrix()
    assert stored.nbytes < X.nbytes
    with pytest.raises(ValueError):
        stored.parts[0][0, 0] = 1
    with pytest.raises(ValueError, match="only as a copy"):
        np.asarray(stored, copy=False)


def test_compact_features_equal_the_array_ones_computed_and_cached(tmp_path):
    smiles = ["CCO", "not a smiles", "c1ccccc1O", "C1CC1N", "CC(=O)O"]
    frame = pd.DataFrame({"smiles": smiles, "y": np.arange(5.0)})
    dataset = Dataset("m", "m", frame, structure_column="smiles", structure_kind="smiles")
    dense = featurize(dataset, descriptors=True)
    computed = featurize(dataset, tmp_path, descriptors=True, compact=True)
    cached = featurize(dataset, tmp_path, descriptors=True, compact=True)
    for matrix in (computed, cached):
        assert isinstance(matrix.X, BlockMatrix) and matrix.blocks == dense.blocks
        np.testing.assert_array_equal(np.asarray(matrix.X), dense.X)
    assert cached.X.parts[0].dtype == np.uint8


@pytest.mark.parametrize("model", ["auto", "rf"])
def test_campaign_data_from_a_dataset_is_compact_and_steps_as_the_array_does(model):
    smiles = ["C" * n + "O" for n in range(1, 30)] + ["c1ccccc1" + "C" * n for n in range(1, 30)]
    frame = pd.DataFrame({"smiles": smiles, "y": np.sin(np.arange(len(smiles)))})
    dataset = Dataset("m", "m", frame, structure_column="smiles", structure_kind="smiles")
    data = CampaignData.from_dataset(dataset, "y", model)
    assert isinstance(data.X, BlockMatrix)
    dense = CampaignData(np.asarray(data.X), data.y, data.blocks, data.valid, data.data_hash)
    config = CampaignConfig(
        dataset_id="m", target="y", model=model, initial_size=6, batch_size=3, seed=2
    )
    runs = [Campaign(config, d) for d in (data, dense)]
    for campaign in runs:
        for _ in range(3):
            campaign.step()
    assert runs[0].measured_rows == runs[1].measured_rows
    np.testing.assert_allclose(runs[0].pool_map(), runs[1].pool_map(), rtol=1e-9, atol=1e-12)


def test_top_q_sorting_only_the_contenders_equals_a_full_sort():
    rng = np.random.default_rng(5)
    for _ in range(50):
        scores = rng.integers(0, 6, 300).astype(float)  # many ties
        scores[rng.random(300) < 0.1] = np.nan
        tie_break = rng.integers(0, 3, 300).astype(float)
        q = int(rng.integers(1, 300))
        ranked = np.where(np.isnan(scores), -np.inf, scores)
        expected = np.lexsort((-tie_break, -ranked))[:q]
        np.testing.assert_array_equal(top_q(scores, q, tie_break), expected)
        np.testing.assert_array_equal(top_q(scores, q), np.lexsort((-ranked,))[:q])


def test_kernel_bases_with_the_pool_norms_kept_equal_fresh_ones():
    X = bits_and_values(30)
    for part in (Tanimoto(slice(0, 12)), Stationary(slice(12, 16), 2.5)):
        part.fit(X)
        features = part.transform(X)
        first = part.base(features[[3]], features)
        again = part.base(features[[7, 2]], features)
        fresh = type(part).__new__(type(part))
        fresh.__dict__.update({k: v for k, v in vars(part).items() if k != "_norms"})
        np.testing.assert_array_equal(again, fresh.base(features[[7, 2]], features))
        np.testing.assert_array_equal(first, fresh.base(features[[3]], features))
        other = part.transform(X[::-1])  # another pool: its own norms
        np.testing.assert_array_equal(
            part.base(features[[3]], other), fresh.base(features[[3]], other)
        )
