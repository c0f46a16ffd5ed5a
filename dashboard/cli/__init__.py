"""The command line: one module per group of commands, each adding its sub-commands to the parser.

A command module exposes `register(commands, bench)`: `commands` is the top-level sub-parser
collection, `bench` the one under `python -m dashboard bench`. Each sub-parser sets `func`, called
with the parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import importlib

from dashboard import __version__

COMMAND_MODULES = (
    "serve",
    "datasets",
    "featurize",
    "check",
    "campaign",
    "transfer",
    "load",
    "browser",
    "suggest",
    "bench_external",
)


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="MI Dashboard: transfer learning and active learning for materials.",
    )
    parser.add_argument("--version", action="version", version=f"MI Dashboard {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    bench_parser = commands.add_parser("bench", help="speed and quality benchmarks")
    bench = bench_parser.add_subparsers(title="benchmarks", metavar="BENCHMARK", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"dashboard.cli.{name}").register(commands, bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse `argv` and run the chosen command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
