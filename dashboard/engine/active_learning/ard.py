"""A Gaussian process with automatic relevance determination (ARD): one length scale per input.

Each input's length scale is fitted by the marginal likelihood, so an input that does not matter
gets a long one and stops counting (Rasmussen & Williams 2006, ch. 5); Liang et al. (npj Comput.
Mater. 2021) found GP-ARD and random forests well ahead of isotropic GPs on five experimental
materials sets. Kernel: amplitude × Matern ν=5/2 (a length scale per column) + white noise, on
targets standardised inside and inputs min-max scaled to [0, 1] over the pool, so that the bounds
below mean the same on every dataset and keep fits on 2-5 rows from collapsing.

Why scikit-learn's GaussianProcessRegressor here and the hand-written GP (gaussian_process.py)
elsewhere: with one length scale per column the kernel no longer splits into a
hyperparameter-free base matrix worth caching per pool row, and ARD pools are small (hundreds of
candidates, tens of measurements), where the library's ARD gradient and optimizer restarts are
all that is needed. The hand-written GP stays for Tanimoto kernels and large pools (qm9: 10,000
candidates, 1,000 measured), where its caches make a step fast.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Kernel, Matern, WhiteKernel

from dashboard.engine.util import one_blas_thread

LENGTHSCALE_BOUNDS = (0.01, 100.0)
"""In units of each input's range over the pool."""
AMPLITUDE_BOUNDS = (0.05, 20.0)
NOISE_BOUNDS = (1e-6, 0.5)
"""Kernel variances in units of the measured targets' variance: the signal explains at least a
little of it and the noise at most half, so that 3 measured rows are not all called noise."""
START = {"lengthscale": 0.5, "amplitude": 1.0, "noise": 0.01}
RESTARTS = 4
MAX_OPTIMIZED_ROWS = 300
"""Hyperparameters are fitted on at most this many measured rows (a fixed random subset; a fit
on 300 rows of 5 inputs takes 2-3 s); the final fit uses every row with those values."""


class ArdGaussianProcess:
    """GP regressor with ARD on [0, 1]-scaled inputs; `predict` gives the σ of a new measurement.

    `hyperparameters` are `lengthscale_<i>` (per input column), `amplitude` and `noise` (in
    units of the target variance); set them to warm-start the next fit, or to fix them with
    `fit(..., optimize=False)`.
    """

    def __init__(self, restarts: int = RESTARTS, random_state: int = 0) -> None:
        self.restarts = restarts
        self.random_state = random_state
        self._values: dict[str, float] = {}
        self._lower: np.ndarray | None = None
        self._model: GaussianProcessRegressor | None = None

    @property
    def hyperparameters(self) -> dict[str, float]:
        """The fitted (or set) values by name, floats; {} before anything was fitted or set."""
        return dict(self._values)

    @hyperparameters.setter
    def hyperparameters(self, values: dict[str, float] | None) -> None:
        self._values = _checked_values(values or {})

    @one_blas_thread
    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        optimize: bool = True,
        pool: np.ndarray | None = None,
    ) -> ArdGaussianProcess:
        """Fit on X, y with inputs min-max scaled over the rows of `pool` (default: X); with
        `optimize` False and hyperparameters set, keep them as they are."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        span_of = X if pool is None else np.asarray(pool, dtype=float)
        self._lower = span_of.min(axis=0)
        span = span_of.max(axis=0) - self._lower
        self._span = np.where(span > 0, span, 1.0)
        Z = self._scaled(X)
        kernel = self._kernel(X.shape[1])
        if optimize or not self._values:
            kernel = self._optimized_kernel(kernel, Z, y)
        self._model = _regressor(kernel, None, self.random_state).fit(Z, y)
        self._values = _values_of(self._model.kernel_)
        return self

    @one_blas_thread
    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and σ (noise included) in target units at the rows of X."""
        if self._model is None:
            raise RuntimeError("gp-ard: call fit before predicting")
        mean, std = self._model.predict(self._scaled(np.asarray(X, dtype=float)), return_std=True)
        return mean, std

    def _scaled(self, X: np.ndarray) -> np.ndarray:
        return (X - self._lower) / self._span

    def _kernel(self, columns: int) -> Kernel:
        """The kernel at the set values (clipped into the bounds), else at the start values."""
        if self._values and len(self._values) != columns + 2:
            raise ValueError(
                f"gp-ard hyperparameters name {len(self._values) - 2} length scales but the "
                f"features have {columns} columns"
            )
        values = self._values or {
            **{f"lengthscale_{i}": START["lengthscale"] for i in range(columns)},
            "amplitude": START["amplitude"],
            "noise": START["noise"],
        }
        scales = [values[f"lengthscale_{i}"] for i in range(columns)]
        amplitude = ConstantKernel(
            np.clip(values["amplitude"], *AMPLITUDE_BOUNDS), AMPLITUDE_BOUNDS
        )
        matern = Matern(np.clip(scales, *LENGTHSCALE_BOUNDS), LENGTHSCALE_BOUNDS, nu=2.5)
        return amplitude * matern + WhiteKernel(
            np.clip(values["noise"], *NOISE_BOUNDS), NOISE_BOUNDS
        )

    def _optimized_kernel(self, kernel: Kernel, Z: np.ndarray, y: np.ndarray) -> Kernel:
        """The kernel maximising the marginal likelihood on (a fixed subset of) the rows,
        starting from `kernel` and from `restarts` random points within the bounds."""
        keep = np.arange(y.size)
        if y.size > MAX_OPTIMIZED_ROWS:
            keep = np.random.default_rng(self.random_state).permutation(y.size)
            keep = np.sort(keep[:MAX_OPTIMIZED_ROWS])
        regressor = _regressor(kernel, "fmin_l_bfgs_b", self.random_state, self.restarts)
        with warnings.catch_warnings():
            # a length scale at its upper bound is what ARD does to an input that does not matter
            warnings.simplefilter("ignore", ConvergenceWarning)
            return regressor.fit(Z[keep], y[keep]).kernel_


def _regressor(
    kernel: Kernel, optimizer: str | None, random_state: int, restarts: int = 0
) -> GaussianProcessRegressor:
    return GaussianProcessRegressor(
        kernel,
        alpha=1e-10,
        optimizer=optimizer,
        n_restarts_optimizer=restarts,
        normalize_y=True,
        random_state=random_state,
    )


def _values_of(kernel: Kernel) -> dict[str, float]:
    """Named hyperparameters of a fitted amplitude × Matern + white kernel."""
    params = kernel.get_params()
    scales = np.atleast_1d(params["k1__k2__length_scale"])
    return {
        **{f"lengthscale_{i}": float(s) for i, s in enumerate(scales)},
        "amplitude": float(params["k1__k1__constant_value"]),
        "noise": float(params["k2__noise_level"]),
    }


def _checked_values(values: dict[str, float]) -> dict[str, float]:
    """`values` as floats if they are amplitude, noise and lengthscale_0 ... lengthscale_{d-1},
    all positive and finite; ValueError otherwise."""
    if not values:
        return {}
    columns = len(values) - 2
    expected = {"amplitude", "noise", *(f"lengthscale_{i}" for i in range(columns))}
    if columns < 1 or set(values) != expected:
        raise ValueError(
            "gp-ard hyperparameters must be amplitude, noise and lengthscale_0 ... "
            f"lengthscale_<d-1>, got {sorted(values)}"
        )
    checked = {name: float(value) for name, value in values.items()}
    if not all(np.isfinite(v) and v > 0 for v in checked.values()):
        raise ValueError(f"gp-ard hyperparameters must be positive numbers, got {values}")
    return checked
