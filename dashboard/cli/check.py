"""`python -m dashboard check FILE [--json] [--sheet NAME]`: would this file make a dataset?

Exit 0 for a usable file (with its roles and any warnings), 1 for one that is not (with its
problems). The file goes through exactly the parser the Data page uses, with the limits of the
MI_UPLOAD_* settings.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dashboard.engine.data.upload import UploadLimits, parse_upload
from dashboard.engine.data.upload.limits import too_big
from dashboard.engine.data.upload.problems import Problem
from dashboard.engine.data.upload.result import UploadResult
from dashboard.settings import Settings


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `check` command."""
    parser = commands.add_parser("check", help="check that a data file can be uploaded")
    parser.add_argument("file", help="a CSV, TSV, TXT, XLSX or Parquet file")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.add_argument("--sheet", help="the Excel sheet to read (default: the first)")
    add_role_arguments(parser)
    parser.set_defaults(func=run)


def add_role_arguments(parser: argparse.ArgumentParser) -> None:
    """Options that give columns their roles instead of the detected ones (comma-separated)."""
    group = parser.add_argument_group(
        "roles", "name columns to override what was detected; a named column leaves other roles"
    )
    group.add_argument("--structures", metavar="COLS", help="formula or SMILES columns")
    group.add_argument("--kind", choices=["composition", "smiles"], help="of the structures")
    group.add_argument("--categorical", metavar="COLS", help="text-label inputs, e.g. base,ligand")
    group.add_argument("--numeric", metavar="COLS", help="numeric inputs, e.g. temperature")
    group.add_argument("--targets", metavar="COLS", help="properties to predict")
    group.add_argument("--id", metavar="COL", help="a name or number for each row")


def roles_from_args(args: argparse.Namespace) -> dict:
    """The roles the options give, for `parse_upload(roles=...)` ({} when none is given)."""
    lists = {
        "structure_columns": args.structures,
        "categorical_columns": args.categorical,
        "feature_columns": args.numeric,
        "target_columns": args.targets,
    }
    roles = {name: _columns(text) for name, text in lists.items() if text is not None}
    if args.kind:
        roles["structure_kind"] = args.kind
    if args.id:
        roles["id_column"] = args.id
    return roles


def _columns(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def run(args: argparse.Namespace) -> int:
    """Check the file and print the answer; 0 when usable, 1 when not."""
    limits = UploadLimits.from_settings(Settings.from_env())
    result = check_file(Path(args.file), limits, args.sheet, roles_from_args(args))
    print(json.dumps(result.to_dict(), indent=1) if args.json else in_words(args.file, result))
    return 0 if result.ok else 1


def check_file(
    path: Path, limits: UploadLimits, sheet: str | None = None, roles: dict | None = None
) -> UploadResult:
    """Read at most the size limit (plus one byte) of `path` and parse it (the dataset is named
    after the file); `roles` as in `parse_upload`."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            return _refused(f"'{path}' is a folder, not a file.")
        if size > limits.max_bytes:
            return UploadResult(problems=too_big(size, limits).problems)
        with path.open("rb") as stream:
            content = stream.read(limits.max_bytes + 1)
    except FileNotFoundError:
        return _refused(f"There is no file '{path}'.")
    except PermissionError:
        return _refused(f"The file '{path}' cannot be read (permission denied).")
    except OSError as err:
        return _refused(f"The file '{path}' cannot be read ({err.strerror or err}).")
    return parse_upload(content, path.name, limits, sheet=sheet, dataset_id=path.name, roles=roles)


def _refused(message: str) -> UploadResult:
    return UploadResult(problems=[Problem(None, None, message)])


def in_words(name: str, result: UploadResult) -> str:
    """The answer as lines of text for a terminal."""
    if not result.ok:
        return "\n".join(
            [f"{name}: cannot be used.", *(f"  - {p.message}" for p in result.problems)]
        )
    answer = result.to_dict()
    units = answer["units"]
    lines = [
        f"{name}: usable, {answer['rows']:,} rows and {answer['columns']} columns.",
        f"  structure: {_structure(answer)}",
        "  categorical inputs: " + (", ".join(answer["categorical"]) or "none"),
        "  numeric inputs: " + (", ".join(answer["features"]) or "none"),
        "  targets: "
        + ", ".join(f"{t} [{units[t]}]" if t in units else t for t in answer["targets"]),
        f"  id column: {answer['id_column'] or 'none'}",
    ]
    if answer["other_columns"]:
        lines.append("  not used: " + ", ".join(answer["other_columns"]))
    if result.warnings:
        lines.append(f"  {len(result.warnings)} warning(s):")
        lines += [f"  - {w.message}" for w in result.warnings]
    return "\n".join(lines)


def _structure(answer: dict) -> str:
    if answer["structure_column"] is None:
        return "none"
    return f"{', '.join(answer['structure_columns'])} ({answer['structure_kind']})"
