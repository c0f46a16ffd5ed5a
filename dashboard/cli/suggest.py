"""`python -m dashboard suggest FILE --target COL`: the next experiments of a real campaign file.

The file is an EDBO+-style campaign: every candidate a row, the target's measured values filled
in and PENDING (or empty) elsewhere. With nothing measured yet the first batch comes from the
initial design. `--measured TABLE` enters new results (rows matched to candidates by their
inputs); `--out FILE` writes the campaign back in the same format with the next batch marked
`priority` 1, ready to fill in and pass again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from dashboard.cli.campaign_options import config_from_args, dataset_from_args
from dashboard.cli.check import add_role_arguments
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import REAL
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.active_learning.table import measurements_from
from dashboard.engine.data.export import to_safe_csv
from dashboard.settings import Settings


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `suggest` command."""
    parser = commands.add_parser("suggest", help="the next experiments of a campaign file")
    parser.add_argument("dataset", metavar="FILE", help="campaign file (PENDING where unmeasured)")
    parser.add_argument("--target", required=True, help="the column to optimise")
    parser.add_argument("--goal", default="max", help="max, min or value:V (default: max)")
    parser.add_argument("--model", default="auto")
    parser.add_argument("--batch", type=int, default=5, help="experiments to suggest (default 5)")
    parser.add_argument("--init", type=int, default=5, help="first batch when nothing is measured")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measured", type=Path, help="a CSV of new results: inputs and target")
    parser.add_argument("--out", type=Path, help="write the campaign file with the next batch")
    add_role_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Suggest and print the next batch (and write --out); 2 with a sentence for bad input."""
    try:
        dataset = dataset_from_args(args)
        cache = Settings.from_env().cache_dir
        data = CampaignData.from_dataset(dataset, args.target, args.model, cache)
        config = config_from_args(args, dataset.id, mode=REAL)
        campaign = Campaign(config, data)
        if args.measured:
            measured = pd.read_csv(args.measured)
            inputs = dataset.without_target_inputs(args.target).input_columns
            campaign.add_measurements(
                measurements_from(dataset.frame, measured, inputs, args.target)
            )
            campaign.step()
    except (ValueError, OSError) as err:
        print(f"suggest: {err}", file=sys.stderr)
        return 2
    table = campaign.to_pending_table(dataset.frame)
    picks = table.iloc[campaign.pending]
    print(f"{len(campaign.measured_rows)} measured; the next {len(picks)} experiments:")
    print(picks.drop(columns=["priority"]).to_string())
    if args.out:
        args.out.write_text(to_safe_csv(table))
        print(f"campaign file with the next batch marked (priority 1): {args.out}")
    return 0
