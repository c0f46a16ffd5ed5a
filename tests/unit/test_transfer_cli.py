"""`python -m dashboard transfer`: the JSON answer and the messages for bad input."""

import json

import numpy as np
import pytest

from dashboard.cli import main
from dashboard.engine.data.builtin import load
from dashboard.engine.transfer import TARGET_MODELS


@pytest.fixture
def files(tmp_path):
    """A source (computed) and a target (noisy 'measured') band-gap table from expt-gap rows."""
    frame = load("expt-gap").frame.sample(260, random_state=0).reset_index(drop=True)
    rng = np.random.default_rng(0)
    source = frame.iloc[:200].rename(columns={"gap": "dft_gap"})
    target = frame.iloc[200:].assign(gap=lambda f: f["gap"] + rng.normal(0, 0.1, len(f)).clip(0))
    source_path, target_path = tmp_path / "source.csv", tmp_path / "target.csv"
    source.to_csv(source_path, index=False)
    target.to_csv(target_path, index=False)
    return source_path, target_path


def transfer(source, source_column, target, target_column, cache, *options) -> int:
    """Run `python -m dashboard transfer` with these data and options; its exit code."""
    data = ["--source", str(source), "--source-column", source_column]
    data += ["--target", str(target), "--target-column", target_column]
    return main(["transfer", *data, "--cache-dir", str(cache), *options])


def test_json_answer_has_exactly_the_documented_keys(files, tmp_path, capsys):
    source, target = files
    options = ["--approach", "lv", "--model", "et", "--json", "--n-jobs", "1"]
    code = transfer(source, "dft_gap", target, "gap", tmp_path / "cache", *options)
    answer = json.loads(capsys.readouterr().out)
    assert code == 0
    assert answer.keys() == {
        "approach",
        "baseline",
        "transfer",
        "n_source",
        "n_train",
        "n_test",
        "seconds",
    }
    assert answer["approach"] == "lv"
    assert answer["baseline"].keys() == answer["transfer"].keys() == {"r2", "mae", "rmse"}
    assert (answer["n_source"], answer["n_train"], answer["n_test"]) == (200, 48, 12)


def test_bad_input_prints_the_message_and_exits_with_2(files, tmp_path, capsys):
    source, target = files
    code = transfer(source, "dft_gap", "freesolv", "expt", tmp_path / "cache")
    assert code == 2
    assert "holds chemical formulas but the target" in capsys.readouterr().err


def test_an_unknown_dataset_is_named(tmp_path, capsys):
    code = transfer("no-such-thing", "x", "freesolv", "expt", tmp_path / "cache")
    assert code == 2
    assert "'no-such-thing' is neither a built-in dataset" in capsys.readouterr().err


def test_matbench_json_is_exactly_the_protocols_object(files, tmp_path, capsys):
    source, target = files
    data = ["--source", str(source), "--source-column", "dft_gap"]
    data += ["--target", str(target), "--target-column", "gap"]
    options = ["--matbench", "--json", "--n-jobs", "1", "--cache-dir", str(tmp_path / "cache")]
    code = main(["bench", "transfer", *data, *options])
    answer = json.loads(capsys.readouterr().out)
    assert code == 0
    assert list(answer) == ["protocol", "baseline", "lv", "ft", "ft_scratch", "seconds"]
    assert answer["protocol"] == "matbench_expt_gap"
    for method in ("baseline", "lv", "ft", "ft_scratch"):
        scores = answer[method]
        assert scores.keys() == {"mae", "mae_mean", "r2_mean"}
        assert len(scores["mae"]) == 5
        assert scores["mae_mean"] == pytest.approx(np.mean(scores["mae"]))


def test_matbench_text_times_a_switch_to_each_target_model(files, tmp_path, capsys):
    """The switch line: every target model retrained on one split with the source cached; the
    run's result cache is left alone, so the next benchmark times the same work."""
    source, target = files
    data = ["--source", str(source), "--source-column", "dft_gap"]
    data += ["--target", str(target), "--target-column", "gap"]
    cache = tmp_path / "cache"
    code = main(
        ["bench", "transfer", *data, "--matbench", "--n-jobs", "1", "--cache-dir", str(cache)]
    )
    line = capsys.readouterr().out.splitlines()[-1]
    assert code == 0
    assert line.startswith("  switching the target model with the source cached")
    for model in TARGET_MODELS:
        assert f" {model} " in line
    assert not list(cache.glob("result-*")) and not list(cache.glob("baseline-*"))
