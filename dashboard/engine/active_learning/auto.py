""" "auto" for numeric inputs: a mixture of candidate models weighted by the measured rows.

Each candidate (the ARD GP, the forest, the isotropic GP) predicts every measured row from the
others (selection.py: the same folds and hyperparameters for all), and the weights are those
whose mixture of the candidates' Gaussian predictions gives those held-out rows the highest log
density: stacking of predictive distributions (Yao, Vehtari, Simpson & Gelman, Bayesian
Analysis 2018). The mixture's mean is the weighted mean, its σ includes the candidates'
disagreement. Why a mixture and not the single best candidate: on the Liang et al. sets the
best one by held-out likelihood was not the fastest to the top where two were close (P3HT: the
ARD GP chosen in 6 of 10 runs, a median of 62 experiments against 47.5 for the mixture; the
mixture was ahead or level on the other four too, see README).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dashboard.engine.active_learning import selection
from dashboard.engine.active_learning.model import Surrogate

LEGACY_AUTO = "gp-matern52"
"""What "auto" was for numeric features before it chose from the data: saved campaigns whose
hyperparameters do not name the choice used it."""
MIN_WEIGHT = 0.01
"""Candidates weighted less are left out of the mixture (and not fitted), the rest renormalised."""


class AutoSurrogate:
    """The stacked mixture of `candidates`; the first one alone until there are enough rows to
    weigh them (selection.MIN_ROWS), re-weighed as rows grow.

    `name` is the candidate with the best held-out log-likelihood (the mixture's main part);
    `weights` the stacking weights by name (members below MIN_WEIGHT are left out).
    `hyperparameters` hold the choice ("auto.model", an index into the candidates), the row
    count of its check ("auto.checked_at"), the weights ("auto.weight_<i>") and each member's
    own values (the chosen one's unprefixed, the others'
    as "auto.<i>.<name>"), so that a refit with `optimize` False reproduces a step.
    """

    def __init__(self, candidates: dict[str, Surrogate], random_state: int = 0) -> None:
        self.candidates = candidates
        self.random_state = random_state
        self.scores: dict[str, float] = {}
        self.weights: dict[str, float] = {}
        self._chosen, self._checked_at = next(iter(candidates)), 0

    @property
    def name(self) -> str:
        """The chosen model's name."""
        return self._chosen

    @property
    def chosen(self) -> Surrogate:
        return self.candidates[self._chosen]

    @property
    def hyperparameters(self) -> dict[str, float]:
        """The choice, the weights and the members' hyperparameters; {} before the first fit."""
        inner = self.chosen.hyperparameters
        if not inner and self._checked_at == 0:
            return {}
        names = list(self.candidates)
        values = {
            "auto.model": float(names.index(self._chosen)),
            "auto.checked_at": float(self._checked_at),
            **inner,
        }
        for name, weight in self.weights.items():
            values[f"auto.weight_{names.index(name)}"] = weight
        for name in self._members():
            if name != self._chosen:
                own = self.candidates[name].hyperparameters
                values.update({f"auto.{names.index(name)}.{key}": v for key, v in own.items()})
        return values

    @hyperparameters.setter
    def hyperparameters(self, values: dict[str, float] | None) -> None:
        values = dict(values or {})
        names = list(self.candidates)
        legacy = values and "auto.model" not in values and LEGACY_AUTO in names
        index = values.pop("auto.model", names.index(LEGACY_AUTO) if legacy else 0)
        checked_at = values.pop("auto.checked_at", 0)
        if not (_is_count(index) and index < len(names) and _is_count(checked_at)):
            raise ValueError(f"auto.model must index {names} and auto.checked_at count rows")
        weights, own = {}, {name: {} for name in names}
        for key in [key for key in values if key.startswith("auto.")]:
            value = values.pop(key)
            head, _, rest = key[len("auto.") :].partition(".")
            position = head.removeprefix("weight_")
            if not (position.isdigit() and int(position) < len(names)):
                raise ValueError(f"{key}: auto's hyperparameters must index {names}")
            if rest:
                own[names[int(position)]][rest] = value
            elif head.startswith("weight_") and np.isfinite(value) and value >= 0:
                weights[names[int(position)]] = float(value)
            else:
                raise ValueError(f"{key} must be a weight, at least 0")
        self._chosen, self._checked_at = names[int(index)], int(checked_at)
        self.weights = weights
        own[self._chosen] = values
        for name in {self._chosen, *self._members()}:
            self.candidates[name].hyperparameters = own[name]

    def fit(self, X: np.ndarray, y: np.ndarray) -> AutoSurrogate:
        """Weigh and fit on the rows of X (which become the pool)."""
        return self.fit_pool(X, np.arange(X.shape[0]), y)

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._mixed({n: self.candidates[n].predict(X) for n in self._members()})

    def fit_pool(
        self, X_pool: np.ndarray, rows: np.ndarray, y: np.ndarray, optimize: bool = True
    ) -> AutoSurrogate:
        """Re-weigh if it is due (never with `optimize` False), then fit each member on
        X_pool[rows]."""
        rows, y = np.asarray(rows), np.asarray(y, dtype=float)
        if optimize and selection.is_due(rows.size, self._checked_at):
            self._weigh(X_pool, rows, y)
            optimize = False  # the check has just optimised every candidate on these rows
        for name in self._members():
            self.candidates[name].fit_pool(X_pool, rows, y, optimize)
        return self

    def bind_pool(self, X_pool: np.ndarray, rows: np.ndarray | None = None) -> None:
        """Every candidate model's, since the weights may change at the next fit."""
        for model in self.candidates.values():
            model.bind_pool(X_pool, rows)

    def predict_pool(self) -> tuple[np.ndarray, np.ndarray]:
        return self._mixed({n: self.candidates[n].predict_pool() for n in self._members()})

    def believer(self, candidates: np.ndarray) -> Callable[[int], np.ndarray]:
        """The members' kriging believers combined: σ of the mixture over `candidates` after
        each member conditions on the picks (the means stay, as in each member's believer)."""
        members = self._members()
        if len(members) == 1:
            return self.candidates[next(iter(members))].believer(candidates)
        means = {n: self.candidates[n].predict_pool()[0][candidates] for n in members}
        conditions = {n: self.candidates[n].believer(candidates) for n in members}

        def condition(j: int) -> np.ndarray:
            moments = {n: (means[n], conditions[n](j)) for n in members}
            return self._mixed(moments)[1]

        return condition

    def _members(self) -> dict[str, float]:
        """The mixture's members and weights (renormalised), or the chosen model alone."""
        kept = {n: w for n, w in self.weights.items() if w >= MIN_WEIGHT}
        if not kept:
            return {self._chosen: 1.0}
        total = sum(kept.values())
        return {n: w / total for n, w in kept.items()}

    def _mixed(
        self, moments: dict[str, tuple[np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean and σ of the mixture of the members' Gaussians (weights of `_members`)."""
        weights = self._members()
        if len(weights) == 1:
            return next(iter(moments.values()))
        mean = sum(weights[n] * m for n, (m, _) in moments.items())
        second = sum(weights[n] * (s * s + m * m) for n, (m, s) in moments.items())
        return mean, np.sqrt(np.maximum(second - mean * mean, 0.0))

    def _weigh(self, X_pool: np.ndarray, rows: np.ndarray, y: np.ndarray) -> None:
        """Fit every candidate on all rows, predict each fold from the others with those
        hyperparameters, then score and weigh the candidates on those predictions."""
        folds = selection.fold_labels(rows.size, self.random_state)
        predictions = {}
        for name, model in self.candidates.items():
            model.fit_pool(X_pool, rows, y)

            def fit_predict(
                train: np.ndarray, test: np.ndarray, model: Surrogate = model
            ) -> tuple[np.ndarray, np.ndarray]:
                model.fit_pool(X_pool, rows[train], y[train], optimize=False)
                return model.predict(X_pool[rows[test]])

            predictions[name] = selection.cross_validated_moments(fit_predict, y, folds)
        self.scores = {name: selection.nlpd(y, *moments) for name, moments in predictions.items()}
        stacked = selection.stacking_weights(y, list(predictions.values()))
        self.weights = dict(zip(predictions, map(float, stacked), strict=True))
        self._chosen, self._checked_at = selection.choose(self.scores), int(rows.size)


def _is_count(value: object) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and float(value).is_integer() and value >= 0
