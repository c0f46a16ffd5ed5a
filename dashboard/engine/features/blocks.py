"""BlockMatrix: a feature matrix kept as its blocks, each in the dtype that holds it exactly, read
as one float64 matrix.

Why: on 100,000 molecules the ECFP bits as float64 take 1.6 GB, as uint8 0.2 GB. Campaigns read
their pool a block or a chunk of rows at a time (`X[:, block]`, `X[a:b, :]`), so they never need
the whole float64 matrix; code that does (a forest's predictions) converts it with np.asarray.
NumPy has no array type with one dtype per column range, hence this small class.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import numpy as np

CHUNK_ROWS = 10_000
"""Rows that code over a whole pool reads, writes or converts at a time."""


def row_slices(n: int) -> Iterator[slice]:
    """Slices of up to CHUNK_ROWS rows that cover n rows in order (one empty slice when n is 0,
    so that a result built from the pieces still has its columns)."""
    for first in range(0, max(n, 1), CHUNK_ROWS):
        yield slice(first, first + CHUNK_ROWS)


class BlockMatrix:
    """Columns side by side in `parts` (2-D arrays of equal row counts, kept read-only); rows
    where `missing` is True read as NaN.

    Indexing follows NumPy's for the forms campaigns use: `X[rows]` (a slice, integer or boolean
    index array) gives the BlockMatrix of those rows; `X[rows, columns]` gives float64 values.
    """

    ndim = 2
    dtype = np.dtype(np.float64)

    def __init__(self, parts: list[np.ndarray], missing: np.ndarray) -> None:
        self._parts = [_read_only(part) for part in parts]
        self._missing = _read_only(np.asarray(missing, dtype=bool))
        self._starts = np.cumsum([0] + [part.shape[1] for part in self._parts]).tolist()
        if any(part.shape[0] != self._missing.size for part in self._parts):
            raise ValueError("every part needs one row per entry of `missing`")
        self.shape = (self._missing.size, self._starts[-1])

    @property
    def parts(self) -> tuple[np.ndarray, ...]:
        """The stored blocks (read-only arrays)."""
        return tuple(self._parts)

    @property
    def missing(self) -> np.ndarray:
        """Whether each row is missing (a read-only array)."""
        return self._missing

    @property
    def nbytes(self) -> int:
        return sum(part.nbytes for part in self._parts) + self._missing.nbytes

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: object) -> BlockMatrix | np.ndarray:
        if not isinstance(key, tuple):
            if isinstance(key, int | np.integer):
                return self[key, :]
            return BlockMatrix([part[key] for part in self._parts], self._missing[key])
        rows, columns = key
        single_row = isinstance(rows, int | np.integer)
        single_column = isinstance(columns, int | np.integer)
        positions = np.atleast_1d(np.arange(self.shape[1])[columns])
        values = self._values([rows] if single_row else rows, positions)
        return values[0 if single_row else slice(None), 0 if single_column else slice(None)]

    def __array__(self, dtype: object = None, copy: bool | None = None) -> np.ndarray:
        """The whole matrix as one new array (NumPy's protocol: never a view, so copy=False
        is refused)."""
        if copy is False:
            raise ValueError("a BlockMatrix becomes one array only as a copy")
        return self._values(slice(None), np.arange(self.shape[1]), dtype or np.float64)

    def stored_values(self, rows: object, columns: slice | np.ndarray) -> np.ndarray:
        """`columns` of `rows` in the dtype they are kept in: uint8 when every column lies in a
        uint8 block and no row is missing, else float64 (NaN in missing rows). Bits read so
        need no float copy (on 10,000 x 2,048 ECFP, a sparse copy from uint8 is 6 times faster)."""
        positions = np.atleast_1d(np.arange(self.shape[1])[columns])
        in_bytes = all(
            part.dtype == np.uint8
            for part, (start, stop) in zip(self._parts, pairwise(self._starts), strict=True)
            if ((positions >= start) & (positions < stop)).any()
        )
        exact = in_bytes and not self._missing[rows].any()
        return self._values(rows, positions, np.uint8 if exact else np.float64)

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        """self @ weights as float64, a block and CHUNK_ROWS rows at a time (NumPy multiplies a
        uint8 block by floats without BLAS, ten times slower than converting it first)."""
        weights = np.asarray(weights, dtype=np.float64)
        out = np.zeros((self.shape[0], *weights.shape[1:]))
        for rows in row_slices(self.shape[0]):
            for part, (start, stop) in zip(self._parts, pairwise(self._starts), strict=True):
                out[rows] += np.asarray(part[rows], dtype=np.float64) @ weights[start:stop]
        out[self._missing] = np.nan
        return out

    def _values(self, rows: object, columns: np.ndarray, dtype: object = np.float64) -> np.ndarray:
        """The `columns` (positions, in order) of `rows` as one array of `dtype`."""
        count = self._missing[rows].size
        out = np.empty((count, columns.size), dtype=dtype)
        for part, (start, stop) in zip(self._parts, pairwise(self._starts), strict=True):
            inside = np.flatnonzero((columns >= start) & (columns < stop))
            if inside.size == 0:
                continue
            local = columns[inside] - start
            if np.array_equal(local, np.arange(local[0], local[0] + local.size)):
                picked = part[rows, local[0] : local[0] + local.size]  # a view for a row slice
            else:
                picked = part[rows][:, local]
            if inside.size == columns.size:
                out[:] = picked
            else:
                out[:, inside] = picked
        missing = self._missing[rows]
        if missing.any():
            out[missing] = np.nan
        return out


def center_and_spread(
    X: np.ndarray | BlockMatrix, columns: slice | np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each of X's `columns` (default: all; deviations from the
    mean squared and averaged, as X.std computes them), without a float64 copy of X: all of a
    BlockMatrix's columns a block at a time, else in row chunks. On a 100,000 x 221 block,
    np.std of a whole copy took 0.54 s, mostly first touches of its 177 MB temporaries."""
    if columns is None and isinstance(X, BlockMatrix) and not X.missing.any():
        stats = [_block_center_and_spread(part) for part in X.parts]
        return np.concatenate([c for c, _ in stats]), np.concatenate([s for _, s in stats])
    return _chunked_center_and_spread(X, slice(None) if columns is None else columns)


def _block_center_and_spread(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and deviations of one block: of a uint8 block from integer sums of values
    and squares, exact and without a float copy (n² var = n Σx² - (Σx)², within int64 for any
    upload: 200,000 rows of 255 give 2.6e15); of another in row chunks."""
    if block.dtype != np.uint8:
        return _chunked_center_and_spread(block, slice(None))
    n = max(block.shape[0], 1)
    sums = block.sum(axis=0, dtype=np.int64)
    squares = np.einsum("ij,ij->j", block, block, dtype=np.int64)
    return sums / n, np.sqrt((n * squares - sums**2) / n**2)


def _chunked_center_and_spread(
    X: np.ndarray | BlockMatrix, columns: slice | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Column means and deviations from float64 row chunks (two passes: mean, then squared
    deviations)."""
    n = max(X.shape[0], 1)
    width = np.arange(X.shape[1])[columns].size
    center = np.zeros(width)
    for chunk in _row_chunks(X, columns):
        center += chunk.sum(axis=0)
    center /= n
    squares = np.zeros(width)
    for chunk in _row_chunks(X, columns):
        deviations = chunk - center
        squares += np.einsum("ij,ij->j", deviations, deviations)
    return center, np.sqrt(squares / n)


def _row_chunks(X: np.ndarray | BlockMatrix, columns: slice | np.ndarray) -> Iterator[np.ndarray]:
    """X's `columns` as float64 arrays of up to CHUNK_ROWS rows (views of a float64 array's)."""
    for rows in row_slices(X.shape[0]):
        yield np.asarray(X[rows, columns], dtype=float)


def compact_part(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """`values` as uint8 when its rows other than `missing` hold small non-negative integers
    (bits, counts, one-hot labels; missing rows become 0), else as float64."""
    values = np.asarray(values)
    if values.dtype == np.uint8:
        return values
    if not all(_small_integers(values[rows][~missing[rows]]) for rows in row_slices(len(values))):
        return np.asarray(values, dtype=np.float64)  # the check stops at the first chunk that fails
    small = np.zeros(values.shape, dtype=np.uint8)
    np.copyto(small, values, casting="unsafe", where=~missing[:, None])
    return small


def _small_integers(values: np.ndarray) -> bool:
    """Whether every value is an integer from 0 to 255."""
    return bool(((values >= 0) & (values <= 255) & (values == np.floor(values))).all())


def _read_only(array: np.ndarray) -> np.ndarray:
    """A read-only view of `array` (the caller's own array stays as it was)."""
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view
