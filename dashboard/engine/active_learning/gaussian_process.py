"""A Gaussian process written for active learning on a fixed pool of candidates.

Why not scikit-learn's GaussianProcessRegressor: it has no Tanimoto kernel, and each fit and
predict recomputes every kernel matrix and the triangular solve against all candidates: the seed
study's model took 3.1 s a step at 1,000 measured and 10,000 candidates (issue 4), and here, on
one BLAS thread of a busy 2-core machine, 30 s to fit 1,000 ECFP rows and 16 s to predict 9,000
with σ, against a 0.3 s target for the whole step. Here
- the hyperparameter-free part of the kernel (Tanimoto similarity, squared distance) between
  each measured row and the whole pool is computed once, when the row is first measured;
- the Cholesky factor L and V = L⁻¹ K(measured, pool) grow by the new rows only (a block update)
  while the hyperparameters stay the same, and shrink by truncation when rows are taken back;
- hyperparameters maximise the log marginal likelihood (analytic gradient, L-BFGS), warm-started
  from the previous fit and computed on at most `max_optimized_rows` measured rows; a new optimum
  replaces the old hyperparameters only when it is better by more than `LAZY_NATS`, so most steps
  keep the factorisation and cost one block update;
- on fewer than `PRIOR_ROWS` rows, log-normal priors on each lengthscale and against a large
  noise join the likelihood (MAP): on a handful of rows its optimum is degenerate (all noise, or the least
  lengthscale: a flat mean that misses the points; issue 14, and a third of the fits on 2-4 rows
  of the Liang et al. sets). From `PRIOR_ROWS` on the data decide alone; qm9 (50 rows at the
  start) is unchanged, where priors throughout cost top-100 recall (0.86 -> 0.84 at 50 steps).
Targets are standardised inside; `predict` returns the σ of a new measurement (noise included),
in target units. Linear algebra runs on one BLAS thread (see `dashboard.engine.util`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.linalg import LinAlgError, cho_solve, cholesky, solve_triangular
from scipy.linalg.lapack import dpotri
from scipy.optimize import minimize

from dashboard.engine.active_learning import pool_features
from dashboard.engine.active_learning.kernels import Part, parameter_names
from dashboard.engine.util import one_blas_thread

AMPLITUDE_BOUNDS = (1e-3, 1e2)
LENGTHSCALE_BOUNDS = (0.05, 20.0)
NOISE_BOUNDS = (1e-5, 2.0)
LAZY_NATS = 2.0
LENGTHSCALE_PRIOR = (0.0, 1.0)  # mean, sd of log(lengthscale): about one median distance
NOISE_PRIOR = (float(np.log(0.01)), 1.5)  # of log(noise): 1 % of the standardised variance
PRIOR_ROWS = 30
_COLD_STARTS = ((1.0, 0.1), (0.5, 0.01), (2.0, 0.5))  # (lengthscale, noise) of the first fit
_OPTIMIZER = {"maxiter": 100, "ftol": 1e-5, "gtol": 1e-3}
_WARM_ITERATIONS = 15
_FAILED = 1e25


class GaussianProcess:
    """A GP regressor whose kernel is a sum of parts (amplitude x part) plus white noise."""

    def __init__(
        self,
        parts: Sequence[Part],
        name: str = "gp",
        max_optimized_rows: int = 400,
        random_state: int = 0,
    ) -> None:
        if not parts:
            raise ValueError("a Gaussian process needs at least one kernel part")
        self.parts = list(parts)
        self.name = name
        self.max_optimized_rows = max_optimized_rows
        self.random_state = random_state
        self._names = parameter_names(self.parts)
        self._theta: np.ndarray | None = None
        self._pool: np.ndarray | None = None

    # hyperparameters ---------------------------------------------------------------------------

    @property
    def hyperparameters(self) -> dict[str, float]:
        """Current hyperparameters by name, natural units ({} before the first fit)."""
        if self._theta is None:
            return {}
        return {name: float(np.exp(t)) for name, t in zip(self._names, self._theta, strict=True)}

    @hyperparameters.setter
    def hyperparameters(self, values: dict[str, float] | None) -> None:
        """Set the starting point of the next fit (or the fixed values with optimize=False)."""
        if not values:
            self._theta = None
            return
        if sorted(values) != sorted(self._names):
            raise ValueError(f"hyperparameters must be {self._names}, got {sorted(values)}")
        theta = np.log([float(values[name]) for name in self._names])
        if not np.all(np.isfinite(theta)):
            raise ValueError(f"hyperparameters must be positive numbers, got {values}")
        self._theta = np.clip(theta, *np.array(self._bounds()).T)

    # the sklearn-like interface ----------------------------------------------------------------

    def fit(self, X: np.ndarray, y: np.ndarray) -> GaussianProcess:
        """Fit on the rows of X (which become the pool)."""
        X = np.asarray(X, dtype=float)
        return self.fit_pool(X, np.arange(X.shape[0]), y)

    @one_blas_thread
    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and σ (target units) at the rows of X."""
        X = np.asarray(X, dtype=float)
        amplitudes, lengthscales, noise = self._unpack(self._theta_fitted())
        rows = self._rows
        cross = np.zeros((rows.size, X.shape[0]))
        for part, features, a, scale in zip(
            self.parts, self._features, amplitudes, lengthscales, strict=True
        ):
            base = part.base(features[rows], part.transform(X))
            cross += part.scaled(base, scale, a)
        V = solve_triangular(self._L[: rows.size, : rows.size], cross, lower=True)
        return self._moments(V.T @ self._weights, (V * V).sum(axis=0), sum(amplitudes), noise)

    # the pool interface used by campaigns ------------------------------------------------------

    @one_blas_thread
    def fit_pool(
        self, X_pool: np.ndarray, rows: np.ndarray, y: np.ndarray, optimize: bool = True
    ) -> GaussianProcess:
        """Fit on the pool rows `rows` with values y; later calls with the same X_pool object
        reuse the kernel bases and the factorisation (X_pool must not change in between).
        """
        rows, y = _checked(rows, y, X_pool.shape[0])
        self.bind_pool(X_pool)
        self._cache_bases(rows)
        self._y_mean = float(y.mean())
        spread = float(y.std())
        self._y_scale = spread if spread > 0 else 1.0
        standard = (y - self._y_mean) / self._y_scale
        theta = self._optimized(rows, standard) if optimize or self._theta is None else self._theta
        self._factorize(rows, theta)
        self._theta = theta
        n = rows.size
        self._weights = solve_triangular(self._L[:n, :n], standard, lower=True)
        return self

    @one_blas_thread
    def predict_pool(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and σ (target units) at every pool row, from the kept factorisation."""
        amplitudes, _, noise = self._unpack(self._theta_fitted())
        mean = self._V[: self._rows.size].T @ self._weights
        return self._moments(mean, self._explained, sum(amplitudes), noise)

    def believer(self, candidates: np.ndarray) -> Callable[[int], np.ndarray]:
        """A `condition(j)` for the kriging believer: σ over `candidates` (pool rows) after
        pretending that candidates[j] (and every earlier j) was measured. Exact rank-one updates.
        """
        amplitudes, lengthscales, noise = self._unpack(self._theta_fitted())
        candidates = np.asarray(candidates, dtype=int)
        V = self._V[: self._rows.size]
        latent = np.maximum(sum(amplitudes) - self._explained[candidates], 0.0)
        fantasies: list[np.ndarray] = []

        @one_blas_thread
        def condition(j: int) -> np.ndarray:
            # over the whole pool, then the candidates: cheaper than copying their columns
            row = candidates[j]
            prior = np.zeros(self._pool.shape[0])
            for part, features, a, scale in zip(
                self.parts, self._features, amplitudes, lengthscales, strict=True
            ):
                prior += part.scaled(part.base(features[[row]], features)[0], scale, a)
            covariance = (prior - V[:, row] @ V)[candidates]
            for fantasy in fantasies:
                covariance -= fantasy[j] * fantasy
            fantasy = covariance / np.sqrt(latent[j] + noise)
            fantasies.append(fantasy)
            np.maximum(latent - fantasy * fantasy, 0.0, out=latent)
            return np.sqrt(latent + noise) * self._y_scale

        return condition

    # internals ---------------------------------------------------------------------------------

    def bind_pool(self, X_pool: np.ndarray, rows: np.ndarray | None = None) -> None:
        """Features and empty caches for a new pool (nothing to do for the same one); with `rows`,
        their kernel bases and factor under the current hyperparameters: what the next `fit_pool`
        on them needs, done ahead by a process readying a campaign (see model.py)."""
        if X_pool is not self._pool:
            self.parts, self._features = pool_features.fitted(self.parts, X_pool)
            self._pool = X_pool
            n_pool = X_pool.shape[0]
            self._slot = np.full(n_pool, -1)
            self._bases = [np.empty((0, n_pool), dtype=np.float32) for _ in self.parts]
            self._cached = 0
            self._priority = np.random.default_rng(self.random_state).random(n_pool)
            self._rows = np.empty(0, dtype=int)
            self._subset: tuple[np.ndarray, list[np.ndarray]] = (np.empty(0, dtype=int), [])
            self._factor_theta: np.ndarray | None = None
            self._L = np.empty((0, 0))
            self._V = np.empty((0, n_pool))
            self._explained = np.zeros(n_pool)
        if rows is not None and self._theta is not None:
            self._cache_bases(rows)
            self._factorize(rows, self._theta)

    def _cache_bases(self, rows: np.ndarray) -> None:
        """Compute the kernel bases between not-yet-cached rows and the whole pool."""
        new = rows[self._slot[rows] < 0]
        if new.size == 0:
            return
        needed = self._cached + new.size
        for i, (part, features) in enumerate(zip(self.parts, self._features, strict=True)):
            if needed > self._bases[i].shape[0]:
                grown = np.empty((_capacity(needed), features.shape[0]), dtype=np.float32)
                grown[: self._cached] = self._bases[i][: self._cached]
                self._bases[i] = grown
            self._bases[i][self._cached : needed] = part.base(features[new], features)
        self._slot[new] = np.arange(self._cached, needed)
        self._cached = needed

    def _kernel_rows(self, rows: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """Noise-free kernel between `rows` and the whole pool, (len rows, pool size)."""
        amplitudes, lengthscales, _ = self._unpack(theta)
        slots = self._slot[rows]
        contiguous = (
            slots.size > 0 and slots[0] == 0 and np.array_equal(slots, np.arange(slots.size))
        )
        terms = (  # one new (rows x pool) array per part, the first one summing them
            part.scaled(bases[: slots.size] if contiguous else bases[slots], scale, a)
            for part, bases, a, scale in zip(
                self.parts, self._bases, amplitudes, lengthscales, strict=True
            )
        )
        total = next(terms)
        for term in terms:
            total += term
        return total

    def _factorize(self, rows: np.ndarray, theta: np.ndarray) -> None:
        """Cholesky factor and V for `rows`: grow or shrink the kept ones if theta is unchanged."""
        same_theta = self._factor_theta is not None and np.array_equal(theta, self._factor_theta)
        kept = _common_prefix(self._rows, rows) if same_theta else 0
        if kept == 0:
            self._factor_full(rows, theta)
            return
        if kept < self._rows.size:
            self._rows = self._rows[:kept]
            self._explained = (self._V[:kept] ** 2).sum(axis=0)
        if kept < rows.size:
            self._extend(rows[kept:], theta)

    def _factor_full(self, rows: np.ndarray, theta: np.ndarray) -> None:
        """Cholesky factor and V from scratch (new hyperparameters or rows)."""
        noise = self._unpack(theta)[2]
        n = rows.size
        K = self._kernel_rows(rows, theta)
        self._L = np.zeros((_capacity(n), _capacity(n)))
        self._L[:n, :n] = _cholesky(K[:, rows] + noise * np.eye(n))
        self._V = np.empty((_capacity(n), K.shape[1]))
        self._V[:n] = solve_triangular(self._L[:n, :n], K, lower=True, check_finite=False)
        self._explained = (self._V[:n] ** 2).sum(axis=0)
        self._rows, self._factor_theta = rows.copy(), theta.copy()

    def _extend(self, new: np.ndarray, theta: np.ndarray) -> None:
        """Block Cholesky update: append the rows `new` to L and V."""
        noise = self._unpack(theta)[2]
        n, b = self._rows.size, new.size
        K_new = self._kernel_rows(new, theta)
        V = self._V[:n]
        L21 = V[:, new].T
        L22 = _cholesky(K_new[:, new] + noise * np.eye(b) - L21 @ L21.T)
        V_new = solve_triangular(L22, K_new - L21 @ V, lower=True, check_finite=False)
        if n + b > self._L.shape[0]:
            size = _capacity(n + b)
            L, V_all = np.zeros((size, size)), np.empty((size, self._V.shape[1]))
            L[:n, :n], V_all[:n] = self._L[:n, :n], V
            self._L, self._V = L, V_all
        self._L[n : n + b, :n], self._L[n : n + b, n : n + b] = L21, L22
        self._L[:n, n : n + b] = 0.0
        self._V[n : n + b] = V_new
        self._explained = self._explained + (V_new**2).sum(axis=0)
        self._rows = np.concatenate([self._rows, new])

    def _optimized(self, rows: np.ndarray, standard: np.ndarray) -> np.ndarray:
        """Hyperparameters maximising the marginal likelihood on (a stable subset of) the rows."""
        keep = np.arange(rows.size)
        if rows.size > self.max_optimized_rows:
            chosen = np.argsort(self._priority[rows], kind="stable")[: self.max_optimized_rows]
            keep = np.sort(chosen)
        bases = self._subset_bases(rows[keep])

        def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
            value, gradient = self._negative_log_likelihood(theta, bases, standard[keep])
            if keep.size >= PRIOR_ROWS:
                return value, gradient
            penalty, slope = self._negative_log_prior(theta)
            return value + penalty, gradient + slope

        warm = self._theta is not None
        options = {**_OPTIMIZER, "maxiter": _WARM_ITERATIONS} if warm else _OPTIMIZER
        results = [
            minimize(
                objective, x0, jac=True, method="L-BFGS-B", bounds=self._bounds(), options=options
            )
            for x0 in ([self._theta] if warm else self._cold_starts())
        ]
        best = min(results, key=lambda result: result.fun)
        if self._theta is not None and objective(self._theta)[0] - best.fun < LAZY_NATS:
            return self._theta
        return np.asarray(best.x, dtype=float)

    def _subset_bases(self, sub: np.ndarray) -> list[np.ndarray]:
        """Kernel bases among the rows `sub`, float64; rows shared with the previous call are
        copied from it (gathering from the pool-wide cache is the slow part)."""
        previous, blocks = self._subset
        index = {row: i for i, row in enumerate(previous)}
        old = np.array([index.get(row, -1) for row in sub.tolist()], dtype=int)
        kept, new = np.flatnonzero(old >= 0), np.flatnonzero(old < 0)
        result = []
        for block, bases in zip(blocks or [None] * len(self.parts), self._bases, strict=True):
            gram = np.empty((sub.size, sub.size))
            if kept.size:
                gram[np.ix_(kept, kept)] = block[np.ix_(old[kept], old[kept])]
            if new.size:
                fresh = bases[self._slot[sub[new]]][:, sub].astype(float)
                gram[new, :], gram[:, new] = fresh, fresh.T
            result.append(gram)
        self._subset = (sub.copy(), result)
        return result

    def _negative_log_likelihood(
        self, theta: np.ndarray, bases: list[np.ndarray], y: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """-log p(y | theta) and its gradient with respect to the log-hyperparameters."""
        amplitudes, lengthscales, noise = self._unpack(theta)
        n = y.size
        K = noise * np.eye(n)
        derivatives = []
        for part, base, a, scale in zip(self.parts, bases, amplitudes, lengthscales, strict=True):
            value, grad = part.kernel(base, scale, with_grad=part.has_lengthscale)
            K += a * value
            derivatives.append(a * value)
            if grad is not None:
                derivatives.append(a * grad)
        try:
            L = cholesky(K, lower=True, check_finite=False)
        except LinAlgError:
            return _FAILED, np.zeros_like(theta)
        alpha = cho_solve((L, True), y, check_finite=False)
        value = 0.5 * y @ alpha + np.log(np.diag(L)).sum() + 0.5 * n * np.log(2.0 * np.pi)
        inverse = _inverse_lower(L)
        diagonal = np.diag(inverse).copy()
        # d log p / d theta_j = (alpha' D_j alpha - tr(K⁻¹ D_j)) / 2, using one triangle of K⁻¹
        gradient = [
            0.5 * (alpha @ d @ alpha - 2.0 * np.vdot(inverse, d) + diagonal @ np.diag(d))
            for d in derivatives
        ]
        gradient.append(0.5 * noise * (alpha @ alpha - diagonal.sum()))
        return float(value), -np.asarray(gradient)

    def _negative_log_prior(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """-log of the priors (constants dropped) and its gradient in theta: log-normal for each
        lengthscale, the upper half of a log-normal for the noise (clean data may go lower)."""
        center, spread = np.zeros_like(theta), np.full_like(theta, np.inf)
        center[-1], spread[-1] = NOISE_PRIOR
        lengthscales = [name.endswith(".lengthscale") for name in self._names]
        center[lengthscales], spread[lengthscales] = LENGTHSCALE_PRIOR
        z = (theta - center) / spread
        z[-1] = max(z[-1], 0.0)
        return 0.5 * float(z @ z), z / spread

    def _cold_starts(self) -> list[np.ndarray]:
        """A few starting points for the first fit, amplitudes shared equally between parts."""
        starts = []
        for lengthscale, noise in _COLD_STARTS:
            theta = []
            for part in self.parts:
                theta.append(np.log(1.0 / len(self.parts)))
                if part.has_lengthscale:
                    theta.append(np.log(lengthscale))
            starts.append(np.array([*theta, np.log(noise)]))
        return starts

    def _bounds(self) -> list[tuple[float, float]]:
        bounds = []
        for part in self.parts:
            bounds.append(tuple(np.log(AMPLITUDE_BOUNDS)))
            if part.has_lengthscale:
                bounds.append(tuple(np.log(LENGTHSCALE_BOUNDS)))
        return [*bounds, tuple(np.log(NOISE_BOUNDS))]

    def _unpack(self, theta: np.ndarray) -> tuple[list[float], list[float | None], float]:
        """Amplitudes and lengthscales (None for Tanimoto) per part, and the noise variance."""
        values = iter(np.exp(theta))
        amplitudes, lengthscales = [], []
        for part in self.parts:
            amplitudes.append(float(next(values)))
            lengthscales.append(float(next(values)) if part.has_lengthscale else None)
        return amplitudes, lengthscales, float(next(values))

    def _theta_fitted(self) -> np.ndarray:
        if self._factor_theta is None:
            raise RuntimeError(f"{self.name}: call fit or fit_pool before predicting")
        return self._factor_theta

    def _moments(
        self, standard_mean: np.ndarray, explained: np.ndarray, prior: float, noise: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Standardised posterior mean and explained variance -> mean and σ in target units."""
        variance = np.maximum(prior - explained, 0.0) + noise
        return standard_mean * self._y_scale + self._y_mean, np.sqrt(variance) * self._y_scale


def _checked(rows: np.ndarray, y: np.ndarray, n_pool: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows as distinct in-range integers and y as finite floats of the same length."""
    rows = np.asarray(rows)
    y = np.asarray(y, dtype=float)
    if rows.ndim != 1 or rows.size == 0 or not np.issubdtype(rows.dtype, np.integer):
        raise ValueError("rows must be a non-empty 1-D array of row indices")
    if rows.min() < 0 or rows.max() >= n_pool or np.unique(rows).size != rows.size:
        raise ValueError(f"rows must be distinct indices between 0 and {n_pool - 1}")
    if y.shape != rows.shape or not np.all(np.isfinite(y)):
        raise ValueError("y must hold one finite value per row")
    return rows.astype(int), y


def _cholesky(matrix: np.ndarray) -> np.ndarray:
    try:
        return cholesky(matrix, lower=True, check_finite=False)
    except LinAlgError as err:
        raise ValueError("the kernel matrix is not positive definite; try another model") from err


def _inverse_lower(L: np.ndarray) -> np.ndarray:
    """The lower triangle of K⁻¹ (zeros above) from K's lower Cholesky factor L (zeros above)."""
    lower, info = dpotri(L, lower=1)
    if info != 0:
        raise LinAlgError(f"potri failed with info={info}")
    return lower


def _common_prefix(a: np.ndarray, b: np.ndarray) -> int:
    n = min(a.size, b.size)
    differ = np.flatnonzero(a[:n] != b[:n])
    return int(differ[0]) if differ.size else n


def _capacity(n: int) -> int:
    """Buffer rows for n measured rows, with room to grow by a few steps without copying."""
    return n + n // 4 + 64
