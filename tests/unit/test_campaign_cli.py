"""`python -m dashboard campaign` and `bench al`: JSON output, files, bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.engine.data.builtin import DATA_DIR
from tests.unit.test_upload import xlsx_bytes


@pytest.fixture
def storage(tmp_path, monkeypatch):
    monkeypatch.setenv("MI_STORAGE_DIR", str(tmp_path / "storage"))
    return tmp_path


@pytest.fixture
def gap_file(storage):
    path = storage / "gaps.csv"
    pd.read_csv(DATA_DIR / "expt-gap.csv").head(120).to_csv(path, index=False)
    return path


def test_campaign_json_has_the_promised_keys_and_lengths(gap_file, capsys):
    argv = ["campaign", "--dataset", str(gap_file), "--target", "gap", "--goal", "value:1.4"]
    argv += ["--init", "10", "--batch", "5", "--steps", "3", "--top-k", "10", "--json"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == [
        "dataset",
        "target",
        "goal",
        "model",
        "model_weights",
        "acquisition",
        "acquisition_params",
        "batch_method",
        "pool",
        "steps",
        "best_so_far",
        "top_k",
        "top_k_recall",
        "found_best_at",
        "step_seconds",
        "notes",
    ]
    assert result["notes"] == []
    assert result["goal"] == "value:1.4" and result["pool"] == 120 and result["steps"] == 3
    assert result["model"] == "rf" and result["batch_method"] == "top-q"
    assert result["model_weights"] is None  # one model, not a mixture
    assert len(result["best_so_far"]) == len(result["top_k_recall"]) == 4
    assert len(result["step_seconds"]) == 3


def test_campaign_on_a_built_in_dataset_prints_a_summary(storage, capsys):
    argv = ["campaign", "--dataset", "expt-gap", "--target", "gap", "--steps", "2"]
    assert main([*argv, "--model", "gp-matern32", "--acquisition", "ei", "--param", "xi=0.01"]) == 0
    assert "top-100 recall" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (["--dataset", "no-such-data"], "neither a built-in dataset"),
        (["--target", "colour"], "no column 'colour'"),
        (["--goal", "biggest"], "goal"),
        (["--param", "kappa=two"], "NAME=NUMBER"),
        (["--init", "200"], "fewer than the initial design plus one batch"),
    ],
)
def test_campaign_explains_bad_input_and_exits_with_2(gap_file, capsys, changes, message):
    argv = ["campaign", "--dataset", str(gap_file), "--target", "gap", "--steps", "1", *changes]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_bench_al_prints_one_line_per_method(gap_file, capsys):
    argv = ["bench", "al", "--dataset", str(gap_file), "--target", "gap", "--init", "10"]
    argv += ["--batch", "5", "--steps", "2", "--top-k", "10", "--seeds", "0,1"]
    assert main([*argv, "--methods", "default,random", "--speed-measured", "20"]) == 0
    out = capsys.readouterr().out
    assert "default" in out and "random" in out and "speed of the default model" in out


def test_suggest_cli_marks_the_next_batch_and_takes_measured_values(tmp_path, capsys):
    rows = [
        (s, t, "PENDING" if t > 40 else t + 5 * i)
        for i, s in enumerate("ABC")
        for t in (20, 40, 60, 80)
    ]
    text = "solvent,temp,yield\n" + "".join(f"{s},{t},{y}\n" for s, t, y in rows)
    campaign_file = tmp_path / "round1.csv"
    campaign_file.write_text(text)
    out = tmp_path / "round2.csv"
    args = ["suggest", str(campaign_file), "--target", "yield", "--batch", "2", "--seed", "3"]
    assert main([*args, "--model", "rf", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "\n6 measured; the next 2 experiments:" in printed
    picked = printed.split("experiments:\n", 1)[1].splitlines()[2:4]
    assert all(line.split()[2] in {"60", "80"} for line in picked)  # 60, as the page shows it
    written = pd.read_csv(out)
    chosen = written[written["priority"] == 1]
    assert len(chosen) == 2 and set(chosen["yield"]) == {"PENDING"}
    measured = tmp_path / "results.csv"
    chosen.assign(yield_=[55.0, 65.0]).drop(columns=["yield", "priority"]).rename(
        columns={"yield_": "yield"}
    ).to_csv(measured, index=False)
    assert main([*args, "--model", "rf", "--measured", str(measured)]) == 0
    assert "\n8 measured; the next 2 experiments:" in capsys.readouterr().out


def test_campaign_passes_on_what_the_check_said_and_warns_of_a_top_k_near_the_pool(
    tmp_path, capsys
):
    rows = [
        (f"{t} °C" if i == 3 else t, i % 4, 10 + (7 * i) % 23)
        for i, t in enumerate(range(20, 80, 2))
    ]
    path = tmp_path / "runs.csv"
    path.write_text("temperature,time,yield\n" + "".join(f"{t},{m},{y}\n" for t, m, y in rows))
    argv = ["campaign", "--dataset", str(path), "--target", "yield", "--model", "rf"]
    assert main([*argv, "--init", "5", "--batch", "2", "--steps", "2", "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("row 4, column 'temperature'" in note for note in notes)  # as `check` says
    assert any("top-29 recall on a pool of 29 candidates" in note for note in notes)
    assert main([*argv, "--init", "5", "--batch", "2", "--steps", "2", "--top-k", "10%"]) == 0
    assert "recall on a pool" not in capsys.readouterr().out


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text("temperature,yield\n" + "".join(f"{t},{t % 7}\n" for t in range(20, 40)))
    read, write = os.pipe()
    os.close(read)  # as `| head` does once it has its lines
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dashboard", "check", str(path), "--json"],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],
            timeout=120,
        )
    finally:
        os.close(write)
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr


def test_sizes_that_do_not_fit_the_pool_are_refused_in_the_options_words(tmp_path, capsys):
    path = tmp_path / "runs.csv"
    path.write_text("temperature,yield\n" + "".join(f"{t},{t % 7}\n" for t in range(20, 80)))
    argv = ["campaign", "--dataset", str(path), "--target", "yield", "--model", "rf"]
    assert main([*argv, "--batch", "0"]) == 2
    assert "--batch must be a whole number of at least 1" in capsys.readouterr().err
    assert main([*argv, "--init", "10", "--batch", "5"]) == 2  # 50 steps by default
    error = capsys.readouterr().err
    assert "at most 10 steps of 5 after --init 10; give --steps 10, --steps all" in error


def test_a_workbook_that_opens_with_notes_is_read_from_its_table_sheet(tmp_path, capsys):
    data = [("temperature", "yield")] + [(t, t % 7 + 0.5 * t) for t in range(20, 40)]
    path = tmp_path / "two.xlsx"
    path.write_bytes(xlsx_bytes({"info": [("info",), ("made by lab A",)], "data": data}))
    assert main(["check", str(path)]) == 0
    assert "Read the sheet 'data': the first, 'info', holds no usable table" in (
        capsys.readouterr().out
    )
    argv = ["campaign", "--dataset", str(path), "--target", "yield", "--init", "5", "--batch", "2"]
    assert main([*argv, "--steps", "2"]) == 0
    assert "pool 20" in capsys.readouterr().out
    assert main([*argv, "--steps", "2", "--sheet", "info"]) == 2  # a sheet named is that sheet
    assert "No numeric column to predict" in capsys.readouterr().err
    path.write_bytes(xlsx_bytes({"info": [("info",), ("lab A",)], "more": [("x",), ("y",)]}))
    assert main(["check", str(path)]) == 1
    assert "No sheet of the workbook ('info', 'more') holds a usable table" in (
        capsys.readouterr().out
    )


def test_a_budget_the_pool_or_the_batches_cannot_meet_is_noted(tmp_path, capsys):
    path = tmp_path / "runs.csv"
    path.write_text("temperature,yield\n" + "".join(f"{t},{t % 7}\n" for t in range(20, 50)))
    argv = ["campaign", "--dataset", str(path), "--target", "yield", "--model", "rf", "--json"]
    assert main([*argv, "--init", "10", "--batch", "5", "--budget", "500"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert "--budget 500: 30 experiments were run, all the pool allows." in notes
    assert main([*argv, "--init", "10", "--batch", "5", "--budget", "12"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert "--budget 12: 15 experiments were run, in whole batches." in notes


@pytest.mark.parametrize(("target", "goal"), [("loss", "min"), ("cost", "min"), ("gap", "max")])
def test_the_goal_follows_the_targets_name_unless_given(gap_file, capsys, target, goal):
    table = pd.read_csv(gap_file)
    table[target] = table["gap"]
    path = gap_file.with_name(f"{target}.csv")
    table.drop(columns=[c for c in ("gap",) if c != target]).to_csv(path, index=False)
    argv = ["campaign", "--dataset", str(path), "--target", target, "--init", "10"]
    assert main([*argv, "--steps", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["goal"] == goal
    assert main([*argv, "--steps", "1", "--json", "--goal", "max"]) == 0  # a given goal wins
    assert json.loads(capsys.readouterr().out)["goal"] == "max"
