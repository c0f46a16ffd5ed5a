"""How long a pair's first run takes, said before Train: the tables whose features are not in the
cache yet, and the source models trained on a large source's features, at rates measured on a
2-core machine. qm9 as source and target took 5.8 min there, of which its features took 20 s and
its six source models most of the rest (1.7 min later, once the boosters left out the columns
they cannot split); nothing said so before Train.

A source on which a run trained source models is taken to have them cached (the cache notes
it, `lv.trained_key`); a new column of that source retrains them unannounced. Features are
counted apart: a campaign or the server's warm-up may have cached them without any model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import is_cached
from dashboard.engine.transfer.cache import TransferCache
from dashboard.engine.transfer.curve import MIN_TRAIN_ROWS, WORK_EXPONENT
from dashboard.engine.transfer.data import same_table
from dashboard.engine.transfer.lv import OUT_OF_FOLD_SPLITS, trained_key
from dashboard.engine.transfer.models import LARGE_SOURCE_ROWS
from dashboard.engine.transfer.run import TransferConfig, feature_folder

FEATURE_SECONDS = {"smiles": 0.002, "composition": 0.00015, "none": 0.0}
"""Seconds per distinct structure to featurise a table, by structure kind: qm9's 10,000 molecules
(ECFP bits and RDKit descriptors) took 19.6 s in one process and 12.1 s in two, expt-gap's 4,895
formulas 0.7 s (2 cores, with another job running); numbers are taken as they are."""
SOURCE_SECONDS = {"smiles": 0.003, "composition": 0.00013, "none": 0.0}
"""Seconds per row to fit a large source's model (gradient boosting, from LARGE_SOURCE_ROWS on;
the extra trees of a smaller source take seconds): qm9 as source and target, six models (one on
8,000 rows, five on 6,400) on the 1,829 of its 2,269 features their leaves can split, 102 s on a
quiet 2-core machine: 2.6 ms a row, counted as `first_run` counts them (five fits of all 8,000
rows; 8.6-13.7 ms on every feature, in an earlier session on a busier machine); on 145
composition features 0.13 ms (Matbench's 106,113 band gaps, 14 s). On a few numeric columns it
takes seconds."""
FIT_SECONDS = {"smiles": 7e-5, "composition": 1.2e-5, "none": 1.2e-5}
"""Seconds of one fit of the default target model, per training row to the power WORK_EXPONENT
and over FIT_OVERHEAD (a run fits two, a learning curve two a share and repeat): qm9's gap
(2,269 features and its LUMO) 2.5, 6.5, 17.3 and 46.5 s on 1,000, 2,000, 4,000 and 8,000 rows
(7.4e-5 to 6.5e-5 s a row to the power 1.5 over the fixed part); one repeat of the page's curve
less its fits at all rows 72 s in a slow hour, estimated 54; on Matbench's 145 composition
features 2.7 s on 3,683 rows. Numbers alone are taken as compositions. Other target models
scale it by MODEL_COST."""
FIT_OVERHEAD = 0.25
"""Seconds of a fit of the default target model however few its rows (its choice of columns and
of features per split, 300 trees built and put together), scaled by MODEL_COST as the rest:
FreeSolv's demo curve, 30 fits of 26 to 513 rows, took 14.5-16.9 s against 7.4 s estimated
from the rows alone, 15 s with this."""
MODEL_COST = {
    "et-median": {"smiles": 1.0, "composition": 1.0},
    "et": {"smiles": 0.8, "composition": 0.38},
    "rf": {"smiles": 0.22, "composition": 0.38},
    "gbr": {"smiles": 0.27, "composition": 0.27},
}
"""A fit's time with each target model against the default's, by structure kind (numbers alone
as compositions): qm9's gap with its LUMO as one more column, 1,000, 2,000 and 4,000 rows, in
one run, et-median 2.8, 8.7 and 24.4 s, et 2.1, 7.2 and 21.4, rf 0.6, 2.1 and 5.1, gbr 0.9, 2.0
and 6.2 s; Matbench's split (3,683 rows), both fits, 4.3-4.8, 1.7-1.8, 1.7-1.8 and 1.2-1.3 s."""
BUSY = 2.0
"""The high end of an estimate against its low: a busy server, or one OpenMP thread per job."""


@dataclass(frozen=True)
class FirstRun:
    """What a run would compute because the cache lacks it: the `featurised` tables and their
    distinct `structures` (each is featurised once), `models` source models of a large source,
    and the seconds that takes on a quiet machine (times BUSY on a busy one)."""

    featurised: tuple[Dataset, ...]
    structures: int
    models: int
    seconds: float
    curve_seconds: float = 0.0
    """The learning curve's, when `config` asks for one (`curve_seconds`)."""
    target_seconds: float = 0.0
    """The run's two target models' on the rows it uses (`target_seconds`), not in `seconds`:
    they are trained whether or not the cache holds the pair."""


def first_run(
    source: Dataset, target: Dataset, cache_dir: Path, config: TransferConfig
) -> FirstRun:
    """The features and source models a run of `config` on this pair would compute, and how
    long that takes; nothing when the two tables hold different kinds of structure (the run
    refuses them at once)."""
    if source.structure_kind != target.structure_kind:
        return FirstRun((), 0, 0, 0.0)
    folder = feature_folder(cache_dir)
    shared = same_table(source, target)
    source_new = not is_cached(source, folder, config.descriptors)
    target_new = not shared and not is_cached(target, folder, config.descriptors)
    featurised = (source,) * source_new + (target,) * target_new
    kind = target.structure_kind
    structures = sum(_distinct_structures(t) for t in featurised)
    seconds = structures * FEATURE_SECONDS[kind]
    models = 0
    trained = TransferCache(cache_dir).load_arrays("trained", trained_key(source)) is not None
    if not trained and source.rows >= LARGE_SOURCE_ROWS:
        # a table that is its own target: its test rows withheld, a whole model and K more that
        # each leave out one fold (lv.py), together the cost of about K whole ones
        rows = source.rows * (1 - config.test_size) if shared else source.rows
        models, fits = (1 + OUT_OF_FOLD_SPLITS, OUT_OF_FOLD_SPLITS) if shared else (1, 1)
        seconds += fits * rows * SOURCE_SECONDS[kind]
    curve, fits = curve_seconds(target, config), target_seconds(target, config)
    return FirstRun(featurised, structures, models, seconds, curve, fits)


def target_seconds(target: Dataset, config: TransferConfig) -> float:
    """Seconds of the run's two target models (baseline and transfer) on `config.train_share`
    of the target's training rows, with `config.model`."""
    rows = config.train_share * _train_rows(target, config)
    return 2 * _fit_seconds(target, rows, config.model)


def curve_seconds(target: Dataset, config: TransferConfig) -> float:
    """Seconds of the learning curve of `config` on `target`, every repeat of both methods, with
    `config.model`, less the run's own fits (its first repeat at the run's share); 0 when it
    asks for none."""
    if not config.learning_curve:
        return 0.0
    rows = _train_rows(target, config)
    shares = config.curve_shares
    fits = config.curve_repeats * sum(_fit_seconds(target, s * rows, config.model) for s in shares)
    if config.train_share in shares:
        fits -= _fit_seconds(target, config.train_share * rows, config.model)
    return 2 * fits


def _train_rows(target: Dataset, config: TransferConfig) -> float:
    return target.rows * (1.0 - config.test_size)


def _fit_seconds(target: Dataset, rows: float, model: str) -> float:
    kind = target.structure_kind
    cost = MODEL_COST[model]["smiles" if kind == "smiles" else "composition"]
    return (FIT_OVERHEAD + max(MIN_TRAIN_ROWS, rows) ** WORK_EXPONENT * FIT_SECONDS[kind]) * cost


def _distinct_structures(dataset: Dataset) -> int:
    """The formulas or SMILES of `dataset` featurised: each distinct one of each column once."""
    return sum(dataset.frame[column].nunique() for column in dataset.structure_columns)
