"""Fine-tuning: the target network starts from the pre-trained weights; freezing keeps layers."""

import numpy as np
import pytest

from dashboard.engine.transfer import NetworkSpec
from dashboard.engine.transfer import finetune as ft

SPEC = NetworkSpec(
    hidden=(16, 8), source_epochs=40, source_batch_size=32, target_epochs=5, batch_size=16
)


def make_data(rows, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 6))
    return X, X @ np.arange(1.0, 7.0) + 0.1 * rng.normal(size=rows)


@pytest.fixture
def starts(monkeypatch):
    """Records each network's weights just before it is trained."""
    recorded = []
    real_fit = ft._fit

    def spy(mlp, X, y):
        recorded.append([w.copy() for w in mlp.coefs_] if hasattr(mlp, "coefs_") else None)
        real_fit(mlp, X, y)

    monkeypatch.setattr(ft, "_fit", spy)
    return recorded


def test_fine_tuning_starts_from_the_pretrained_weights(starts):
    X_source, y_source = make_data(300, 0)
    X, y = make_data(40, 1)
    pretrained = ft.pretrain(X_source, y_source, SPEC, seed=0)
    tuned = ft.finetune(pretrained, X, y, SPEC, seed=0)
    assert starts[0] is None  # pre-training starts from a fresh random network
    start = starts[1]
    assert all(np.array_equal(a, b) for a, b in zip(start, pretrained.mlp.coefs_, strict=True))
    assert not np.array_equal(tuned.mlp.coefs_[0], pretrained.mlp.coefs_[0])


def test_pretraining_changes_the_start_compared_with_the_target_alone():
    X_source, y_source = make_data(300, 0)
    X, y = make_data(40, 1)
    pretrained = ft.pretrain(X_source, y_source, SPEC, seed=0)
    tuned = ft.finetune(pretrained, X, y, SPEC, seed=0)
    scratch = ft.train_scratch(X, y, SPEC, seed=0)
    assert not np.allclose(tuned.mlp.coefs_[0], scratch.mlp.coefs_[0])
    # the pre-trained network already knows the shared relation; the scratch one has 5 epochs
    X_test, y_test = make_data(100, 2)
    tuned_error = np.abs(tuned.predict(X_test) - y_test).mean()
    scratch_error = np.abs(scratch.predict(X_test) - y_test).mean()
    assert tuned_error < scratch_error


def test_frozen_layers_keep_their_pretrained_weights():
    X_source, y_source = make_data(300, 0)
    X, y = make_data(40, 1)
    pretrained = ft.pretrain(X_source, y_source, SPEC, seed=0)
    tuned = ft.finetune(pretrained, X, y, NetworkSpec(**{**SPEC.to_dict(), "frozen_layers": 1}), 0)
    ((weights, bias),) = tuned.body
    assert np.array_equal(weights, pretrained.mlp.coefs_[0])
    assert np.array_equal(bias, pretrained.mlp.intercepts_[0])
    assert tuned.mlp.coefs_[0].shape == pretrained.mlp.coefs_[1].shape
    assert not np.array_equal(tuned.mlp.coefs_[0], pretrained.mlp.coefs_[1])
    assert tuned.predict(X).shape == (40,)


def test_freezing_every_hidden_layer_is_refused():
    X_source, y_source = make_data(100, 0)
    pretrained = ft.pretrain(X_source, y_source, SPEC, seed=0)
    with pytest.raises(ValueError, match="frozen_layers"):
        ft.finetune(pretrained, X_source, y_source, NetworkSpec(hidden=(16, 8), frozen_layers=2), 0)
