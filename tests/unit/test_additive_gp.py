"""The additive GP for design spaces of choices: its parts, that its likelihood tells main effects
from interactions, and that "auto" offers it first where choices exist."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.engine.active_learning.additive import PAIRS, additive_parts, is_mixed
from dashboard.engine.active_learning.gaussian_process import AMPLITUDE_BOUNDS
from dashboard.engine.active_learning.surrogates import AutoSurrogate, make_surrogate

BLOCKS = {"onehot:base": slice(0, 4), "onehot:ligand": slice(4, 10), "numeric": slice(10, 11)}


def choices_table(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Every base x ligand x temperature combination (4 x 6 x 3), one-hot, and a yield that is
    the sum of one effect per base, per ligand and of temperature."""
    rng = np.random.default_rng(seed)
    base, ligand = rng.normal(size=4), rng.normal(size=6)
    rows, y = [], []
    for b, lig, t in np.ndindex(4, 6, 3):
        rows.append([*np.eye(4)[b], *np.eye(6)[lig], t / 2])
        y.append(base[b] + ligand[lig] + 0.3 * t)
    return np.array(rows), np.array(y)


def test_a_part_per_choice_one_for_settings_and_one_for_interactions():
    labels = [part.label for part in additive_parts(BLOCKS)]
    assert labels == ["tanimoto", "tanimoto", "matern52", "tanimoto"]
    joint = additive_parts(BLOCKS)[-1]
    assert list(joint.block) == list(range(10))  # every one-hot column, the setting left out
    assert len(additive_parts({"onehot:base": slice(0, 4)})) == 1  # one choice: no interaction
    assert is_mixed(BLOCKS) and not is_mixed({"numeric": slice(0, 3)})


def test_the_likelihood_weighs_main_effects_against_interactions():
    X, main_effects = choices_table()
    rng = np.random.default_rng(5)
    pairs = rng.normal(size=(4, 6))  # one yield per base and ligand pair: interactions only
    interactions = np.array([pairs[b, lig] for b, lig, _ in np.ndindex(4, 6, 3)])
    measured = rng.choice(len(X), size=40, replace=False)

    def amplitudes(y: np.ndarray) -> dict[str, float]:
        model = make_surrogate("gp-additive", BLOCKS).fit(X[measured], y[measured])
        values = model.hyperparameters
        return {"main": values["tanimoto1.amplitude"], "joint": values["tanimoto3.amplitude"]}

    additive, paired = amplitudes(main_effects), amplitudes(interactions)
    assert additive["joint"] < 0.05 * additive["main"]
    assert paired["main"] < 0.05 * paired["joint"]


def test_auto_is_the_additive_gp_where_the_inputs_hold_choices():
    assert make_surrogate("auto", BLOCKS).name == "gp-additive"
    reactants = {"ecfp:halide": slice(0, 8), "ecfp:amine": slice(8, 16)}
    assert make_surrogate("auto", reactants).name == "gp-additive"
    solvent_and_material = {"magpie": slice(0, 5), "onehot:solvent": slice(5, 8)}
    labels = [part.label for part in make_surrogate("auto", solvent_and_material).parts]
    assert labels == ["tanimoto", "rbf"]  # the composition is kept, not dropped
    assert isinstance(make_surrogate("auto", {"numeric": slice(0, 3)}), AutoSurrogate)
    assert make_surrogate("auto", {"ecfp": slice(0, 8)}).name == "gp-tanimoto"


def test_the_additive_gp_needs_inputs_it_can_read():
    with pytest.raises(
        ValueError, match="one-hot, fingerprint, descriptor, composition or numeric"
    ):
        make_surrogate("gp-additive", {"pixels": slice(0, 5)})


THREE = {"onehot:base": slice(0, 2), "onehot:ligand": slice(2, 5), "onehot:solvent": slice(5, 7)}


def test_more_than_two_choices_add_the_share_of_pairs_they_have_in_common():
    labels = [part.label for part in additive_parts(THREE)]
    assert labels == ["tanimoto"] * 4 + ["pairs"]
    pairs = additive_parts(THREE)[-1]
    rows = np.array(
        [
            [1, 0, 1, 0, 0, 1, 0],  # base 0, ligand 0, solvent 0
            [1, 0, 1, 0, 0, 0, 1],  # shares base and ligand: 1 of 3 pairs
            [1, 0, 0, 1, 0, 0, 1],  # shares the base only: no pair
            [1, 0, 1, 0, 0, 1, 0],  # the same: every pair
        ],
        dtype=float,
    )
    pairs.fit(rows)
    features = pairs.transform(rows)
    np.testing.assert_allclose(pairs.base(features[:1], features)[0], [1, 1 / 3, 0, 1])


def test_hyperparameters_saved_before_the_pairs_part_still_load():
    model = make_surrogate("gp-additive", THREE)
    saved = {name: 0.5 for name in model._names if name != PAIRS}
    model.hyperparameters = saved
    assert model.hyperparameters[PAIRS] == pytest.approx(AMPLITUDE_BOUNDS[0])
    assert model.hyperparameters["noise"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="hyperparameters must be"):
        model.hyperparameters = {"noise": 0.5}
