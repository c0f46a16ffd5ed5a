"""Kernel parts of the Gaussian process, each acting on one block of feature columns.

A part splits its kernel in two: a *base* matrix that does not depend on hyperparameters
(Tanimoto similarity, or squared distance) and that the GP computes once per pair of rows and
keeps between campaign steps, and a cheap elementwise map from base to kernel value given the
lengthscale, with its derivative for the marginal-likelihood gradient.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse

from dashboard.engine.features.blocks import BlockMatrix, center_and_spread, row_slices

MATERN_NUS = (0.5, 1.5, 2.5)
_MEDIAN_SAMPLE_ROWS = 1000


class Tanimoto:
    """k(x, x') = <x, x'> / (|x|² + |x'|² - <x, x'>) (Ralaivola et al. 2005), for fingerprints.

    Two all-zero fingerprints count as identical (k = 1), which keeps the kernel positive definite.
    """

    label = "tanimoto"
    has_lengthscale = False

    def __init__(self, block: slice | np.ndarray) -> None:
        self.block = block

    def fit(self, X: np.ndarray) -> None:
        """Nothing to learn: fingerprints are used as they are."""

    def transform(self, X: np.ndarray | BlockMatrix) -> sparse.csr_matrix:
        """The block as a sparse float32 matrix (fingerprint bits are mostly zero), built in row
        chunks from the values as stored: a dense float32 copy of 100,000 molecules' ECFP would
        take 0.8 GB."""
        chunks = [
            _sparse_rows(
                X.stored_values(rows, self.block)
                if isinstance(X, BlockMatrix)
                else np.asarray(X[rows, self.block])
            )
            for rows in row_slices(X.shape[0])
        ]
        return chunks[0] if len(chunks) == 1 else sparse.vstack(chunks, format="csr")

    def base(self, A: sparse.csr_matrix, B: sparse.csr_matrix) -> np.ndarray:
        """Tanimoto similarities between the rows of A and of B, float32 (len A, len B)."""
        dots = _sparse_dots(A, B)
        norms_a = _sparse_norms(A)
        norms_b = _pool_norms(self, B, _sparse_norms)
        union = norms_a[:, None] + norms_b[None, :] - dots
        both_empty = union <= 0
        return np.where(both_empty, 1.0, dots / np.where(both_empty, 1.0, union)).astype(np.float32)

    def kernel(
        self, base: np.ndarray, lengthscale: float | None, with_grad: bool = False
    ) -> tuple[np.ndarray, None]:
        """The similarity is the kernel value; there is no lengthscale, hence no gradient."""
        return np.asarray(base, dtype=float), None

    def scaled(self, base: np.ndarray, lengthscale: float | None, amplitude: float) -> np.ndarray:
        """amplitude x kernel value in one new float64 array (see Stationary.scaled)."""
        return np.multiply(base, amplitude, dtype=float)


class ChoicePairs(Tanimoto):
    """k(x, x') = m (m - 1) / (P (P - 1)) on P one-hot choices, where m is the number of choices
    on which x and x' agree: the share of pairs of choices they share, the second-order term of
    an additive kernel (Duvenaud et al., "Additive Gaussian processes", NeurIPS 2011). With a
    part per choice (first order) it lets the likelihood weigh effects of two choices together,
    such as a ligand that works with one base only."""

    label = "pairs"

    def __init__(self, block: slice | np.ndarray, choices: int) -> None:
        super().__init__(block)
        self.choices = choices

    def base(self, A: sparse.csr_matrix, B: sparse.csr_matrix) -> np.ndarray:
        """The share of pairs of choices shared between the rows of A and of B, float32."""
        shared = _sparse_dots(A, B)
        pairs = self.choices * (self.choices - 1)
        return (shared * (shared - 1) / pairs).astype(np.float32)


class Stationary:
    """Matern (ν = ½, 3/2, 5/2) or RBF (ν = inf) kernel on Euclidean distance, isotropic.

    With `standardize`, columns are centred and scaled to unit variance (constant ones dropped)
    and clipped to ±`clip`, so that one heavy-tailed descriptor cannot dominate the distance.
    Distances are divided by the median pairwise distance of the rows seen in `fit`, so a
    lengthscale of 1 means "a typical distance" whatever the features.
    """

    has_lengthscale = True

    def __init__(
        self, block: slice, nu: float, standardize: bool = True, clip: float | None = None
    ) -> None:
        if nu not in MATERN_NUS and nu != np.inf:
            raise ValueError(f"nu must be one of {MATERN_NUS} or inf, got {nu!r}")
        self.block, self.nu, self.standardize, self.clip = block, nu, standardize, clip
        self.label = "rbf" if nu == np.inf else f"matern{int(2 * nu)}2"

    def fit(self, X: np.ndarray) -> None:
        """Learn column scaling and the median squared distance from the rows of X."""
        width = np.arange(X.shape[1])[self.block].size
        self._columns = np.arange(width)
        self._center, self._scale = np.zeros(width), np.ones(width)
        if self.standardize:
            center, spread = center_and_spread(X, self.block)
            self._columns = np.flatnonzero(spread > 0)
            self._center, self._scale = center[self._columns], spread[self._columns]
        self._distance_scale = 1.0
        sample = self.transform(X[_sample_rows(X.shape[0])])
        squared = self.base(sample, sample)[np.triu_indices(sample.shape[0], k=1)]
        median = float(np.median(squared)) if squared.size else 0.0
        self._distance_scale = np.sqrt(median) if median > 0 else 1.0

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Scaled features as float32, with distances in units of the median distance; CHUNK_ROWS
        rows at a time, so a large pool's float64 copies stay small (100,000 x 221: 0.5 s in
        whole-pool steps, each a 177 MB copy)."""
        out = np.empty((X.shape[0], self._columns.size), dtype=np.float32)
        for rows in row_slices(X.shape[0]):
            Z = np.asarray(X[rows, self.block], dtype=float)
            if self._columns.size < Z.shape[1]:
                Z = Z[:, self._columns]
            Z = Z - self._center  # a new array: X's own rows stay as they are
            Z /= self._scale
            if self.clip is not None:
                np.clip(Z, -self.clip, self.clip, out=Z)
            Z /= self._distance_scale
            out[rows] = Z
        return out

    def base(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """Squared distances between the rows of A and of B, float32 (len A, len B)."""
        norms_b = _pool_norms(self, B, _dense_norms)
        squared = _dense_norms(A)[:, None] + norms_b[None, :] - 2.0 * (A @ B.T)
        return np.maximum(squared, 0.0).astype(np.float32)

    def scaled(self, base: np.ndarray, lengthscale: float, amplitude: float) -> np.ndarray:
        """amplitude x kernel value, float64: the numbers of `amplitude * kernel(...)[0]` without
        the product's extra array. A GP sums these over measured rows x pool; at 100,000
        candidates each is 50-100 MB, and on this machine first touches of new memory are slow:
        a step that factorises anew, 0.665 -> 0.636 s (medians of six runs; the GP also sums
        into the first term instead of a zeroed array)."""
        value = self.kernel(base, lengthscale)[0]  # always a new array
        value *= amplitude
        return value

    def kernel(
        self, base: np.ndarray, lengthscale: float, with_grad: bool = False
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Kernel values (float64) from squared distances, and d value / d log(lengthscale)."""
        if self.nu == np.inf and not with_grad:
            value = np.multiply(base, -0.5 / lengthscale**2, dtype=float)
            return np.exp(value, out=value), None
        if self.nu == np.inf:
            r2 = np.asarray(base, dtype=float) / lengthscale**2
            value = np.exp(-0.5 * r2)
            return value, r2 * value
        r = np.sqrt(np.asarray(base, dtype=float)) / lengthscale
        if self.nu == 0.5:
            decay = np.exp(-r)
            return decay, (r * decay if with_grad else None)
        if self.nu == 1.5:
            decay = np.exp(-np.sqrt(3.0) * r)
            value = (1.0 + np.sqrt(3.0) * r) * decay
            return value, (3.0 * r * r * decay if with_grad else None)
        decay = np.exp(-np.sqrt(5.0) * r)
        value = (1.0 + np.sqrt(5.0) * r + 5.0 / 3.0 * r * r) * decay
        grad = 5.0 / 3.0 * r * r * (1.0 + np.sqrt(5.0) * r) * decay if with_grad else None
        return value, grad


Part = Tanimoto | ChoicePairs | Stationary


def parameter_names(parts: list[Part]) -> list[str]:
    """Hyperparameter names of a sum of parts: each part's amplitude and, if it has one, its
    lengthscale, under its label (numbered where labels repeat), then the noise."""
    labels = [part.label for part in parts]
    names = []
    for i, (part, label) in enumerate(zip(parts, labels, strict=True)):
        unique = label if labels.count(label) == 1 else f"{label}{i}"
        names.append(f"{unique}.amplitude")
        if part.has_lengthscale:
            names.append(f"{unique}.lengthscale")
    return [*names, "noise"]


def _pool_norms(
    part: Part, B: np.ndarray | sparse.csr_matrix, norms: Callable[[object], np.ndarray]
) -> np.ndarray:
    """norms(B), kept on `part` for the last B it was asked for: the pool's features, the second
    argument of nearly every `base` call. On 100,000 candidates recomputing them took 20 ms of
    each of a step's dozens of calls."""
    kept = getattr(part, "_norms", None)
    if kept is None or kept[0] is not B:
        kept = (B, norms(B))
        part._norms = kept
    return kept[1]


def _sparse_rows(values: np.ndarray) -> sparse.csr_matrix:
    """values as a float32 CSR matrix. Bits (uint8) are found a 64-bit word at a time, then a
    byte at a time within the words that hold any: on 100,000 x 2,048 ECFP bits 0.24 s, where
    SciPy's dense-to-sparse conversion, which visits every byte, takes 0.63 s."""
    if values.dtype != np.uint8:
        return sparse.csr_matrix(values).astype(np.float32)
    n, width = values.shape
    padded = np.zeros((n, -(-width // 8) * 8), dtype=np.uint8)
    padded[:, :width] = values
    words = padded.view(np.uint64).ravel()
    nonzero_words = np.flatnonzero(words)
    word, byte = np.nonzero(words[nonzero_words].view(np.uint8).reshape(-1, 8))
    position = nonzero_words[word] * 8 + byte  # in padded.ravel(), in row-major order
    row, column = np.divmod(position, padded.shape[1])
    return sparse.csr_matrix(
        (
            padded.ravel()[position].astype(np.float32),
            column.astype(np.int32),
            np.searchsorted(row, np.arange(n + 1)),
        ),
        shape=(n, width),
    )


def _sparse_dots(A: sparse.csr_matrix, B: sparse.csr_matrix) -> np.ndarray:
    """A @ B.T as a dense array, through a dense copy of the one with fewer rows."""
    if A.shape[0] <= B.shape[0]:
        return np.asarray(B @ A.T.toarray()).T
    return np.asarray(A @ B.T.toarray())


def _sparse_norms(M: sparse.csr_matrix) -> np.ndarray:
    """Squared norm of each row of a sparse matrix, float32."""
    return np.asarray(M.multiply(M).sum(axis=1), dtype=np.float32).ravel()


def _dense_norms(M: np.ndarray) -> np.ndarray:
    """Squared norm of each row of a dense matrix, in its dtype."""
    return (M * M).sum(axis=1)


def _sample_rows(n: int) -> np.ndarray:
    """A fixed subset of row positions for the median distance (all rows when few)."""
    if n <= _MEDIAN_SAMPLE_ROWS:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, _MEDIAN_SAMPLE_ROWS, replace=False))
