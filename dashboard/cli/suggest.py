"""`python -m dashboard suggest FILE --target COL`: the next experiments of a real campaign file.

The file is an EDBO+-style campaign: every candidate a row, the target's measured values filled
in and PENDING (or empty) elsewhere. With nothing measured yet the first batch comes from the
initial design. `--measured TABLE` enters new results (rows matched to candidates by their
inputs); `--out FILE` writes the campaign file back as it came, with those results and the
`priority` column marking the next batch (1; measured rows -1, the others 0), ready to fill in
and pass again (see campaign_file.py). Rows are named by their data row in the file, as `check`
names them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.cli.campaign_options import GOAL_HELP, config_from_args, load_upload
from dashboard.cli.check import add_role_arguments, roles_from_args
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.campaign_file import CampaignFile
from dashboard.engine.active_learning.config import REAL
from dashboard.engine.active_learning.descriptors import not_shown, pick_inputs
from dashboard.engine.active_learning.measurements import measurements_from
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.data.export import whole_numbers
from dashboard.engine.data.upload import UploadLimits, read_raw
from dashboard.engine.data.upload.problems import Problem, Rejected
from dashboard.engine.data.upload.table import build_table
from dashboard.settings import Settings

PREDICTED, SIGMA = "predicted", "sigma"
"""The model's columns beside the picks, named as on the page and in its download."""
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".tab", ""})
"""What --out can be: the campaign is written as delimited text."""


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `suggest` command."""
    parser = commands.add_parser("suggest", help="the next experiments of a campaign file")
    parser.add_argument("dataset", metavar="FILE", help="campaign file (PENDING where unmeasured)")
    parser.add_argument("--target", required=True, help="the column to optimise")
    parser.add_argument(
        "--goal",
        help=GOAL_HELP,
    )
    parser.add_argument("--model", default="auto")
    parser.add_argument(
        "--batch",
        type=int,
        default=5,
        help="experiments to suggest (default 5); with nothing measured yet, that many from a "
        "random design",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measured", type=Path, help="a table of new results: inputs and target")
    parser.add_argument("--out", type=Path, help="write the campaign file with the next batch")
    parser.add_argument("--sheet", help="the Excel sheet to read (default: the first)")
    add_role_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Suggest and print the next batch (and write --out); 2 with a sentence for bad input."""
    try:
        path = Path(args.dataset)
        if not path.is_file():
            raise ValueError(f"there is no campaign file '{path}'")
        if args.out and args.out.suffix.lower() not in TEXT_SUFFIXES:
            raise ValueError(f"--out {args.out}: the campaign is written as CSV; name a .csv file")
        upload = load_upload(path, roles_from_args(args), args.sheet)
        dataset = upload.dataset
        data = CampaignData.from_dataset(
            dataset, args.target, args.model, Settings.from_env().cache_dir
        )
        campaign = Campaign(config_from_args(args, dataset.id, mode=REAL), data)
        entered = {}
        if args.measured:
            inputs = dataset.without_target_inputs(args.target).input_columns
            results = _results_table(args.measured)
            known = _measured_values(campaign)
            left_out = upload.table.frame.drop(index=upload.row_numbers)
            entered = measurements_from(
                dataset.frame,
                results,
                inputs,
                args.target,
                known,
                dataset.id_column,
                left_out=left_out,
                reasons=_left_out_reasons(upload.warnings),
                smiles=dataset.structure_columns if dataset.structure_kind == "smiles" else (),
            )
            campaign.add_measurements(entered)
            campaign.step()
            _unused_results(results, [dataset.id_column, *inputs, args.target])
        if args.out:
            limits = UploadLimits.from_settings(Settings.from_env())
            content, rows = path.read_bytes(), upload.row_numbers
            written = CampaignFile.read(content, path.name, limits, rows, upload.sheet)
            text = written.text(args.target, entered, campaign.measured_rows, campaign.pending)
            encoded = written.encoded(text)
    except (ValueError, OSError) as err:
        print(f"suggest: {err}", file=sys.stderr)
        return 2
    shown, more, described = pick_inputs(dataset)
    picks = _picks(campaign, dataset.frame, [c for c in (dataset.id_column, *shown) if c])
    picks.index = pd.Index([upload.row_numbers[row] for row in campaign.pending], name="row")
    for warning in upload.warnings:  # what `check` says: rows left out, columns unused
        print(f"note: {warning.message}")
    if picks.empty:  # the results entered were the last ones (they are written all the same)
        print(
            f"{len(campaign.measured_rows)} measured: every candidate has a value of "
            f"'{args.target}', so there is nothing left to suggest; add candidates as rows "
            "whose target is empty or PENDING to go on."
        )
    else:
        what = "experiment" if len(picks) == 1 else f"{len(picks)} experiments"
        how = "" if PREDICTED in picks else " (the initial design: no model before a measurement)"
        print(f"{len(campaign.measured_rows)} measured; the next {what}{how}:")
        print(picks.to_string(na_rep=""))
        if more or described:
            print(f"not listed: {not_shown(more, described)} (the campaign file has them).")
    if args.out:
        try:
            args.out.write_bytes(encoded)
        except OSError as err:
            print(f"suggest: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
            return 2
        print(f"campaign file with the next batch marked (priority 1): {args.out}")
    return 0


def _picks(campaign: Campaign, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The pending rows' `columns` of `frame` (what to run: as the page lists them, see
    `pick_inputs`), whole numbers as integers, then the model's predicted mean and σ of each
    when a model exists, to four decimals as the page shows them. A missing cell is printed
    empty, as the files write it (pandas printed <NA>, None or NaN)."""
    picks = whole_numbers(frame.iloc[campaign.pending][columns])
    snapshot = campaign.snapshot()
    position = {row: i for i, row in enumerate(campaign.pool_rows)}
    chosen = [position[row] for row in campaign.pending]
    if not np.isnan(snapshot.mean[chosen]).all():
        picks[PREDICTED] = np.round(snapshot.mean[chosen], 4)
        picks[SIGMA] = np.round(snapshot.std[chosen], 4)
    for column in picks.columns:
        missing = picks[column].isna()
        if missing.any() and not pd.api.types.is_float_dtype(picks[column]):
            picks[column] = picks[column].astype(object).where(~missing, np.nan)  # na_rep's
    return picks


def _unused_results(results: pd.DataFrame, used: list[str | None]) -> None:
    """Say which columns of the table of results were not entered (another objective's values,
    comments): only the target's values are."""
    unused = [str(c) for c in results.columns if c not in used]
    if unused:
        print(f"note: not entered from the table of results: {', '.join(unused)}")


def _results_table(path: Path) -> pd.DataFrame:
    """A table of results read like an upload (any delimiter, encoding, decimal commas), its
    rows indexed by their 1-based data row; a numeric column's cells that are not numbers keep
    their text ('33,0' among points, 'n.d.'), so that an error can show what was written."""
    if not path.is_file():
        raise ValueError(f"there is no table of measurements '{path}'")
    limits = UploadLimits.from_settings(Settings.from_env())
    try:
        table, _warnings = build_table(
            read_raw(path.read_bytes(), path.name, limits, None), path.name
        )
    except Rejected as rejected:
        reasons = " ".join(p.message for p in rejected.problems)
        raise ValueError(f"the table of measurements {path} cannot be read: {reasons}") from None
    frame = table.frame
    for column, texts in table.unusable.items():
        frame[column] = frame[column].astype(object)
        for row, text in texts.items():
            frame.loc[row, column] = text
    return frame


def _left_out_reasons(warnings: list[Problem]) -> dict[int, str]:
    """{file row: why the check left it out} from its warnings, without the row's own number
    ("column 'yield': 'n.d.' is not a number")."""
    reasons: dict[int, str] = {}
    for warning in warnings:
        if warning.row is not None:
            reason = warning.message.removeprefix(f"row {warning.row}, ")
            reasons.setdefault(warning.row, reason.removesuffix("; the row is left out"))
    return reasons


def _measured_values(campaign: Campaign) -> dict[int, float]:
    """{campaign row: value} of every measurement the campaign holds."""
    return {
        row: value
        for record in campaign.history
        for row, value in zip(record["added"], record["values"], strict=True)
    }
