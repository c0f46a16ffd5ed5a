"""Models with uncertainty behind one interface: fit(X, y); predict(X) -> (mean, std).

Campaigns use the pool form of the same interface (`fit_pool`, `predict_pool`, `believer`) so
that a model may keep work between steps on the same candidates; `PlainSurrogate` gives that form
to any model that only has fit/predict. `make_surrogate` builds a model by name for a feature
matrix's blocks ("ecfp", "descriptors", "magpie", "numeric", "onehot:<column>", ...); "auto" is
the benchmarks' winner for molecules and compositions, the additive GP (additive.py) for design
spaces of choices, and for numeric inputs an `AutoSurrogate` (auto.py): a mixture of the ARD GP
(ard.py), the forest and the isotropic GP weighted by cross-validation on the measured rows
(selection.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np
from sklearn.ensemble import RandomForestRegressor

from dashboard.engine.active_learning.additive import NAME as NAME_ADDITIVE
from dashboard.engine.active_learning.additive import additive_gp, is_mixed
from dashboard.engine.active_learning.ard import ArdGaussianProcess
from dashboard.engine.active_learning.auto import AutoSurrogate
from dashboard.engine.active_learning.gaussian_process import GaussianProcess
from dashboard.engine.active_learning.kernels import Stationary, Tanimoto
from dashboard.engine.active_learning.model import Surrogate

MODELS: dict[str, str] = {
    "gp-tanimoto-rbf": "GP, Tanimoto on ECFP bits + RBF on RDKit descriptors and ring counts",
    "gp-tanimoto": "GP, Tanimoto kernel on ECFP bits (molecules)",
    "gp-matern12": "GP, Matern ν=½ kernel + noise (the seed study's model)",
    "gp-matern32": "GP, Matern ν=3/2 kernel + noise",
    "gp-matern52": "GP, Matern ν=5/2 kernel + noise",
    "gp-ard": "GP, Matern ν=5/2 with a length scale per input (ARD) + noise (numeric inputs)",
    "gp-additive": "GP, a part per input (each choice, molecule, setting) + one for interactions",
    "rf": "random forest; σ is the spread of its trees",
}
"""Model names with a one-line description; "auto" picks the benchmark's winner per structure,
or for numeric features a mixture of SELECTED weighted on the measured rows."""
SELECTED = ("gp-ard", "rf", "gp-matern52")
"""What "auto" mixes for numeric features, the prior default first (see AutoSurrogate);
gp-ard only where it applies (see `ard_applies`)."""
ARD_MAX_COLUMNS = 60
"""gp-ard fits one length scale per column: for inputs of a design space (settings, one-hot
choices), not fingerprint bits or hundreds of descriptors."""

ALIASES = {"gp": "gp-matern52"}
FINGERPRINT_BLOCK = "ecfp"
DESCRIPTOR_BLOCK = "descriptors"
NUMERIC_BLOCK = "numeric"
COMPOSITION_BLOCK = "magpie"
DESCRIPTOR_CLIP = 5.0
_MATERN_NU = {"gp-matern12": 0.5, "gp-matern32": 1.5, "gp-matern52": 2.5}


class PlainSurrogate(ABC):
    """The pool interface for a model that only has fit/predict: it refits from scratch.

    Subclasses set `name` and `hyperparameters` (a dict; {} when nothing is tuned).
    """

    name: str
    hyperparameters: dict[str, float]

    @abstractmethod
    def fit(self, X: np.ndarray, y: np.ndarray) -> PlainSurrogate:
        """Fit on features X and targets y."""

    @abstractmethod
    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and σ in target units."""

    def fit_pool(
        self, X_pool: np.ndarray, rows: np.ndarray, y: np.ndarray, optimize: bool = True
    ) -> PlainSurrogate:
        """Fit on X_pool[rows]; with `optimize` False, keep the hyperparameters as set."""
        self._pool, self._rows, self._y = X_pool, np.asarray(rows), np.asarray(y, dtype=float)
        return self._fit_rows(self._rows, self._y, optimize)

    def _fit_rows(self, rows: np.ndarray, y: np.ndarray, optimize: bool) -> PlainSurrogate:
        """Fit on the pool rows `rows`: plain `fit` for models with nothing to tune."""
        return self.fit(self._pool[rows], y)

    def bind_pool(self, X_pool: np.ndarray, rows: np.ndarray | None = None) -> None:
        """Nothing to do ahead: such a model depends on the pool only through its fit."""
        return None

    def predict_pool(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and σ at every pool row."""
        return self.predict(self._pool)

    def believer(self, candidates: np.ndarray) -> Callable[[int], np.ndarray]:
        """Kriging believer by refitting with each pick measured at its predicted mean (slow:
        one fit per pick); the model is restored to the real data afterwards by the next fit.
        """
        candidates = np.asarray(candidates, dtype=int)
        mean = self.predict(self._pool[candidates])[0]
        rows, values = list(self._rows), list(self._y)

        def condition(j: int) -> np.ndarray:
            rows.append(int(candidates[j]))
            values.append(float(mean[j]))
            self._fit_rows(np.asarray(rows), np.asarray(values), optimize=False)
            return self.predict(self._pool[candidates])[1]

        return condition


class RandomForest(PlainSurrogate):
    """scikit-learn's random forest; σ is the standard deviation of the trees' predictions.

    A rougher uncertainty than a GP's (it is zero wherever all trees agree, e.g. on training
    rows), but cheap and robust to irrelevant features.
    """

    def __init__(
        self,
        n_estimators: int = 100,
        max_features: float | str = "sqrt",
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.name = "rf"
        self.hyperparameters = {}
        self.forest = RandomForestRegressor(
            n_estimators=n_estimators,
            max_features=max_features,
            random_state=random_state,
            n_jobs=n_jobs,
        )

    def fit(self, X: np.ndarray, y: np.ndarray) -> RandomForest:
        """Fit the forest on standardised targets."""
        y = np.asarray(y, dtype=float)
        self._y_mean = float(y.mean())
        self._y_scale = float(y.std()) or 1.0
        self.forest.fit(X, (y - self._y_mean) / self._y_scale)
        return self

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and spread of the trees, in target units. X is converted to float32 once (the
        trees' own type) instead of once per tree, which dominated the time on 10,000 rows."""
        X = np.ascontiguousarray(X, dtype=np.float32)
        per_tree = np.stack(
            [tree.predict(X, check_input=False) for tree in self.forest.estimators_]
        )
        mean = per_tree.mean(axis=0) * self._y_scale + self._y_mean
        return mean, per_tree.std(axis=0) * self._y_scale


class ArdGP(PlainSurrogate):
    """The ARD Gaussian process of ard.py in the pool interface: inputs are scaled over the
    pool, and refits with `optimize` False (past steps, the kriging believer) keep the
    hyperparameters."""

    def __init__(self, random_state: int = 0) -> None:
        self.name = "gp-ard"
        self.model = ArdGaussianProcess(random_state=random_state)

    @property
    def hyperparameters(self) -> dict[str, float]:
        """`lengthscale_<i>` per input column, `amplitude`, `noise` (see ard.py)."""
        return self.model.hyperparameters

    @hyperparameters.setter
    def hyperparameters(self, values: dict[str, float] | None) -> None:
        self.model.hyperparameters = values

    def fit(self, X: np.ndarray, y: np.ndarray) -> ArdGP:
        """Fit with hyperparameters optimised, inputs scaled over X."""
        self.model.fit(X, y)
        return self

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and σ in target units."""
        return self.model.predict(X)

    def _fit_rows(self, rows: np.ndarray, y: np.ndarray, optimize: bool) -> ArdGP:
        self.model.fit(self._pool[rows], y, optimize, pool=self._pool)
        return self


def uses_descriptors(name: str) -> bool:
    """Whether the model (by name, "auto" included) uses RDKit descriptors of molecules."""
    return ALIASES.get(name, name) in ("auto", "gp-tanimoto-rbf", "rf")


def default_model(blocks: dict[str, slice]) -> str | None:
    """The default model for these features: for choices (categorical columns, several structure
    columns) the additive GP, whose likelihood weighs main effects and interactions (`bench
    external`, EDBO tables); for molecules (qm9 LUMO) the Tanimoto + RBF GP (the Tanimoto GP
    without descriptors), for compositions (expt-gap, 1.4 eV) the random forest on Magpie
    features (`bench al`); None for numeric features, where "auto" mixes SELECTED weighted on the
    measured rows (`bench external`: no one model wins on all five Liang et al. sets).
    """
    if is_mixed(blocks):
        return NAME_ADDITIVE
    if FINGERPRINT_BLOCK in blocks:
        return "gp-tanimoto-rbf" if DESCRIPTOR_BLOCK in blocks else "gp-tanimoto"
    if COMPOSITION_BLOCK in blocks:
        return "rf"
    return None


def make_surrogate(name: str, blocks: dict[str, slice], random_state: int = 0) -> Surrogate:
    """A fresh model by name ("auto", an alias or a key of MODELS) for features with `blocks`.

    Matern GPs use the ECFP bits when there are some (as the seed study did), else every
    column, standardised. Tanimoto GPs add an RBF part for a dataset's own numeric feature
    columns, if any. ValueError for an unknown name or features the model cannot use.
    """
    name = ALIASES.get(name, name)
    if name == "auto":
        name = default_model(blocks)
    if name is None:
        usable = [m for m in SELECTED if m != "gp-ard" or ard_applies(blocks)]
        candidates = {model: make_surrogate(model, blocks, random_state) for model in usable}
        return AutoSurrogate(candidates, random_state)
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose 'auto' or one of {sorted(MODELS)}")
    if name == "rf":
        return RandomForest(random_state=random_state)
    if name == "gp-ard":
        if not ard_applies(blocks):
            raise ValueError(
                f"model 'gp-ard' fits a length scale per input, for at most {ARD_MAX_COLUMNS} "
                "numeric or one-hot columns without fingerprint bits; choose rf or a Tanimoto GP"
            )
        return ArdGP(random_state=random_state)
    if name == NAME_ADDITIVE:
        return additive_gp(blocks, random_state)
    if name in _MATERN_NU:
        part = _matern_part(blocks, _MATERN_NU[name])
        return GaussianProcess([part], name=name, random_state=random_state)
    if FINGERPRINT_BLOCK not in blocks:
        raise ValueError(f"model {name!r} needs ECFP fingerprints, i.e. a SMILES structure column")
    parts = [Tanimoto(blocks[FINGERPRINT_BLOCK])]
    if name == "gp-tanimoto-rbf":
        if DESCRIPTOR_BLOCK not in blocks:
            raise ValueError(f"model {name!r} needs RDKit descriptors; featurise with descriptors")
        parts.append(Stationary(blocks[DESCRIPTOR_BLOCK], np.inf, clip=DESCRIPTOR_CLIP))
    if NUMERIC_BLOCK in blocks:
        parts.append(Stationary(blocks[NUMERIC_BLOCK], np.inf, clip=DESCRIPTOR_CLIP))
    return GaussianProcess(parts, name=name, random_state=random_state)


def ard_applies(blocks: dict[str, slice]) -> bool:
    """Whether gp-ard suits the features: no fingerprint block, at most ARD_MAX_COLUMNS."""
    fingerprints = any(name.split(":")[0] == FINGERPRINT_BLOCK for name in blocks)
    return not fingerprints and max(block.stop for block in blocks.values()) <= ARD_MAX_COLUMNS


def _matern_part(blocks: dict[str, slice], nu: float) -> Stationary:
    if FINGERPRINT_BLOCK in blocks:
        return Stationary(blocks[FINGERPRINT_BLOCK], nu, standardize=False)
    stop = max(block.stop for block in blocks.values())
    return Stationary(slice(0, stop), nu, clip=DESCRIPTOR_CLIP)
