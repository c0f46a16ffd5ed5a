"""The EDBO protocol for `bench external`: reaction tables as shipped, read like an upload.

Shields et al. (Nature 590, 89, 2021) ran Bayesian optimisation on each reaction table from 5
random experiments, then batches of 5, for 100 experiments, and counted the runs that reached
99 % of the table's best yield and after how many experiments. The files are read exactly as a
user's upload is (design space detected from the file: SMILES or name columns of the reaction
components, numeric conditions), so the figure measures the product, not a hand-made encoding.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dashboard.cli.campaign_options import load_dataset
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.pool import CampaignData

PROTOCOL = "EDBO (Shields et al. 2021)"
INITIAL, BATCH, EXPERIMENTS = 5, 5, 100
REACHED = 0.99
"""A run succeeds when it has measured a yield of at least this share of the table's best."""
TOP_SHARE = 0.01


@dataclass(frozen=True)
class ReactionEntry:
    """A reaction table (relative to DIR), its target and the published figures."""

    file: str
    target: str = "yield"
    published: dict[str, str] = field(default_factory=dict)


REACTIONS = (
    ReactionEntry(
        "edbo/direct_arylation_names.csv",
        published={"EDBO GP-EI (50 runs)": "50/50, median 20"},
    ),
    ReactionEntry(
        "edbo/direct_arylation_smiles.csv",
        published={"EDBO GP-EI (50 runs, names file)": "50/50, median 20"},
    ),
    ReactionEntry("edbo/suzuki_smiles.csv"),
    ReactionEntry("edbo/buchwald_hartwig_smiles.csv"),
)


def reaction_pool(folder: Path, entry: ReactionEntry, model: str = "auto") -> CampaignData:
    """The table read as an upload is, featurised for `model`."""
    path = folder / entry.file
    if not path.is_file():
        raise ValueError(f"{path} is missing; give the folder of the external data as DIR")
    return CampaignData.from_dataset(load_dataset(str(path)), entry.target, model)


def run_reaction(
    entry: ReactionEntry, data: CampaignData, method: str, settings: dict, seeds: list[int]
) -> dict:
    """Figures of one method on one table: runs reaching 99 % of the best, the median
    experiments to get there (EXPERIMENTS + 1 for a run that never did), top-1 % recall after
    EXPERIMENTS (mean over seeds), seconds per step, the models used."""
    known = np.isfinite(data.y) & data.valid
    best = float(np.max(data.y[known]))
    top_k = math.ceil(TOP_SHARE * int(known.sum()))
    reached, recalls, seconds, models = [], [], [], {}
    for seed in seeds:
        config = CampaignConfig(
            dataset_id=Path(entry.file).stem,
            target=entry.target,
            initial_size=INITIAL,
            batch_size=BATCH,
            seed=seed,
            top_k=top_k,
            **settings,
        )
        campaign = Campaign(config, data)
        campaign.run((EXPERIMENTS - INITIAL) // BATCH)
        history = campaign.history
        reached.append(_experiments_to(history, REACHED * best))
        recalls.append(history[-1]["top_k_recall"])
        seconds += [record["seconds"] for record in history[1:]]
        models[campaign.model_name] = models.get(campaign.model_name, 0) + 1
    return {
        "file": Path(entry.file).name,
        "protocol": PROTOCOL,
        "method": method,
        "models": models,
        "pool": int(known.sum()),
        "top_k": top_k,
        "experiments": reached,
        "reached": sum(r is not None for r in reached),
        "runs": len(seeds),
        "median": statistics.median(EXPERIMENTS + 1 if r is None else r for r in reached),
        "top_1pct_recall": statistics.mean(recalls),
        "seconds_per_step": statistics.mean(seconds) if seconds else 0.0,
        "published": entry.published,
    }


def _experiments_to(history: list[dict], level: float) -> int | None:
    """Experiments when the best so far first reached `level` (None: never)."""
    return next(
        (INITIAL + BATCH * record["step"] for record in history if record["best_so_far"] >= level),
        None,
    )


def reaction_header(seeds: str) -> str:
    """The title of the reaction table printed by `bench external`."""
    return (
        f"\n{PROTOCOL}: {INITIAL} random, then batches of {BATCH}, {EXPERIMENTS} experiments; "
        f"runs that reached {REACHED:.0%} of the best yield and the median experiments to it "
        f"(a run that never did counts {EXPERIMENTS + 1}), top-1 % recall at the end; seeds {seeds}"
    )


def reaction_line(figure: dict) -> str:
    """One row of the reaction table."""
    published = "; ".join(f"{k}: {v}" for k, v in figure["published"].items())
    models = ", ".join(f"{name} {count}" for name, count in sorted(figure["models"].items()))
    return (
        f"{figure['file'].removesuffix('.csv'):28s} {figure['method']:8s} {models:24s} "
        f"{figure['reached']:>2d}/{figure['runs']:<2d} reached, median {figure['median']:g}, "
        f"recall {figure['top_1pct_recall']:.2f}, {figure['seconds_per_step']:.2f} s/step"
        + (f"  [{published}]" if published else "")
    )
