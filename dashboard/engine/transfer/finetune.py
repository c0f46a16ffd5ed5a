"""Fine-tuning transfer with scikit-learn's MLPRegressor: pre-train on the source, train on.

Why scikit-learn: it is installed already, and MLPRegressor's `warm_start` continues training
from the weights it holds, which is all fine-tuning needs; torch would add a multi-gigabyte
install (its default Linux build brings CUDA) for networks this small.
Freezing the first k hidden layers: those layers become a fixed feature map (computed once
with the pre-trained weights) and a network made of the remaining layers, starting from their
pre-trained weights, is trained on its output. That is exact freezing, and cheaper than
training the whole network (restoring frozen weights after each partial_fit epoch would not be:
the later layers would spend the epoch adapting to early layers that drift and are reset).
Every network trains a fixed number of epochs: with warm_start, scikit-learn's early stopping
would compare the target's validation score with the best one kept from pre-training.
The target network starts from the source network's input and output scaling, so that the
pre-trained weights see inputs on the scale they were trained on; the network trained on the
target alone scales by the target's training rows instead.
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

# More epochs without improvement than any training runs: every network trains max_iter epochs
# (a fine-tuned network also inherits the source's count of epochs without improvement).
_NO_EARLY_STOP = 1_000_000
INPUT_CLIP = 5.0
"""Scaled inputs are clipped to ±5 standard deviations: a feature almost constant among the
training rows would otherwise reach huge values on a test row and wreck the prediction."""


@dataclass(frozen=True)
class NetworkSpec:
    """The network and how it is trained; one spec serves pre-training, fine-tuning and the
    network trained on the target alone, so the comparison differs only in the start."""

    hidden: tuple[int, ...] = (256, 128, 64)
    alpha: float = 1e-4
    batch_size: int = 64
    learning_rate: float = 1e-3
    finetune_learning_rate: float = 3e-4
    source_batch_size: int = 256
    source_epochs: int = 20
    target_epochs: int = 100
    frozen_layers: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Network:
    """An MLP with the affine scaling of its inputs and output; `body` holds frozen layers."""

    mlp: MLPRegressor
    x_mean: np.ndarray
    x_scale: np.ndarray
    y_mean: float
    y_scale: float
    body: tuple[tuple[np.ndarray, np.ndarray], ...] = ()

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions in the units of the target values."""
        scaled = self.mlp.predict(self._inputs(X))
        return scaled * self.y_scale + self.y_mean

    def _inputs(self, X: np.ndarray) -> np.ndarray:
        hidden = np.clip((X - self.x_mean) / self.x_scale, -INPUT_CLIP, INPUT_CLIP)
        for weights, bias in self.body:
            hidden = np.maximum(hidden @ weights + bias, 0.0)
        return hidden

    def _outputs(self, y: np.ndarray) -> np.ndarray:
        return (y - self.y_mean) / self.y_scale


def pretrain(X: np.ndarray, y: np.ndarray, spec: NetworkSpec, seed: int) -> Network:
    """A network trained on the source rows, scaled by them."""
    return _train_new(X, y, spec, seed, spec.source_epochs, spec.source_batch_size)


def train_scratch(X: np.ndarray, y: np.ndarray, spec: NetworkSpec, seed: int) -> Network:
    """The same network trained on the target rows alone: the fine-tuning baseline."""
    return _train_new(X, y, spec, seed, spec.target_epochs, spec.batch_size)


def finetune(
    pretrained: Network, X: np.ndarray, y: np.ndarray, spec: NetworkSpec, seed: int
) -> Network:
    """A copy of `pretrained` trained further on the target rows, its first
    `spec.frozen_layers` hidden layers kept fixed."""
    frozen = spec.frozen_layers
    if not 0 <= frozen < len(spec.hidden):
        raise ValueError(
            f"frozen_layers must be between 0 and {len(spec.hidden) - 1}, not {frozen}"
        )
    source = pretrained.mlp
    mlp = copy.deepcopy(source)
    body = tuple(zip(source.coefs_[:frozen], source.intercepts_[:frozen], strict=True))
    if frozen:
        mlp.coefs_ = [w.copy() for w in source.coefs_[frozen:]]
        mlp.intercepts_ = [b.copy() for b in source.intercepts_[frozen:]]
        mlp.n_layers_ = source.n_layers_ - frozen
        mlp.n_features_in_ = source.coefs_[frozen].shape[0]
        mlp.set_params(hidden_layer_sizes=tuple(spec.hidden[frozen:]))
    mlp.set_params(
        warm_start=True,
        max_iter=spec.target_epochs,
        learning_rate_init=spec.finetune_learning_rate,
        batch_size=min(spec.batch_size, len(y)),
        n_iter_no_change=_NO_EARLY_STOP,
        random_state=seed,
    )
    network = Network(
        mlp, pretrained.x_mean, pretrained.x_scale, pretrained.y_mean, pretrained.y_scale, body
    )
    _fit(mlp, network._inputs(X), network._outputs(y))
    return network


def _train_new(
    X: np.ndarray, y: np.ndarray, spec: NetworkSpec, seed: int, epochs: int, batch_size: int
) -> Network:
    x_mean = X.mean(axis=0)
    x_scale = X.std(axis=0)
    x_scale[x_scale == 0] = 1.0
    y_scale = float(y.std()) or 1.0
    mlp = MLPRegressor(
        hidden_layer_sizes=spec.hidden,
        alpha=spec.alpha,
        batch_size=min(batch_size, len(y)),
        learning_rate_init=spec.learning_rate,
        max_iter=epochs,
        n_iter_no_change=_NO_EARLY_STOP,
        random_state=seed,
    )
    network = Network(mlp, x_mean, x_scale, float(y.mean()), y_scale)
    _fit(mlp, network._inputs(X), network._outputs(y))
    return network


def _fit(mlp: MLPRegressor, X: np.ndarray, y: np.ndarray) -> None:
    """Fit for exactly max_iter epochs (no early stop), so every network trains as long."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
