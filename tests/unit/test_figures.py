"""Figure builders: pure functions whose traces carry the numbers they were given, small enough
to send, with legends and titles out of the axes' and the tool bar's way."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import plotly
import plotly.io as pio

from dashboard.figures import active_learning as al
from dashboard.figures import campaign_history, theme, transfer
from dashboard.figures import data as data_figures
from dashboard.figures.theme import register_template


def test_thinning_keeps_at_most_the_limit_and_both_ends():
    kept = al.thinned(np.arange(10_000), 100)
    assert kept.size == 100 and kept[0] == 0 and kept[-1] == 9_999


def test_parity_draws_measured_candidates_and_picks_apart():
    truth = np.array([1.0, 2.0, 3.0, 4.0])
    measured = np.array([True, True, False, False])
    picks = np.array([False, False, True, False])
    fig = al.parity(truth + 0.1, np.full(4, 0.2), truth, measured, picks, "gap")
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name["measured"].x) == [1.0, 2.0]
    assert list(by_name["next picks"].x) == [3.0]
    assert list(by_name["not measured yet"].x) == [4.0]
    assert list(by_name["measured"].error_y.array) == [0.2, 0.2]
    cloud = by_name["not measured yet"]
    assert cloud.error_y.array is None and np.allclose(cloud.customdata, [0.2])  # σ on hover


def test_parity_of_a_real_campaign_calls_the_known_values_measured():
    truth = np.array([1.0, 2.0, np.nan])
    measured = np.array([True, True, False])
    fig = al.parity(truth + 0.1, np.full(3, 0.2), truth, measured, ~measured, "yield", "measured")
    assert fig.layout.title.text.startswith("Predicted vs measured")
    assert fig.layout.xaxis.title.text == "measured yield"
    assert fig.data[1].hovertemplate.startswith("measured ")
    default = al.parity(truth + 0.1, np.full(3, 0.2), truth, measured, ~measured, "yield")
    assert default.layout.xaxis.title.text == "true yield"


def test_ranked_candidates_put_the_best_predicted_first():
    mean = np.array([0.5, 3.0, 1.0, np.nan])
    score = np.array([0.1, 0.2, 0.9, np.nan])  # the last row is measured: no score
    picks = np.array([False, False, True, False])
    fig = al.ranked_candidates(mean, np.full(4, 0.1), score, mean, picks, "y")
    line = next(t for t in fig.data if t.name == "predicted mean")
    assert list(line.y) == [3.0, 1.0, 0.5]
    star = next(t for t in fig.data if t.name == "next picks")
    assert list(star.x) == [2]


def test_model_quality_marks_the_gaussian_expectations():
    history = [
        {"step": 0, "r2": 0.1, "mae": 1.0, "within_1sigma": 0.5, "within_2sigma": 0.9},
        {"step": 1, "r2": None, "mae": 0.8, "within_1sigma": 0.7, "within_2sigma": 0.96},
    ]
    fig = campaign_history.model_quality(history)
    r2 = next(t for t in fig.data if t.name == "R² on the pool")
    assert np.isnan(r2.y[1]) and r2.y[0] == 0.1
    assert {round(shape.y0, 3) for shape in fig.layout.shapes} == {0.683, 0.954}


def test_transfer_parity_hides_the_transfer_model_when_switched_off():
    result = {"y_test": [1.0, 2.0], "baseline_pred": [1.1, 2.2], "transfer_pred": [1.0, 2.1]}
    assert [t.name for t in transfer.parity(result, True, "y").data][:2] == [
        "without transfer",
        "with transfer",
    ]
    assert "with transfer" not in [t.name for t in transfer.parity(result, False, "y").data]


def test_importances_highlight_the_source_feature_with_its_rank():
    result = {
        "importances": [0.1, 0.6, 0.3],
        "feature_names": ["a", "source model: calc", "b"],
        "lv_ranks": {"source model: calc": 1},
    }
    bar = transfer.importances(result).data[0]
    assert bar.y[-1] == "source model: calc (#1)"


def test_missing_values_counts_per_column():
    frame = pd.DataFrame({"a": [1, None, None], "b": [1, 2, None], "c": [1, 2, 3]})
    bar = data_figures.missing_values(frame).data[0]
    assert list(bar.x) == ["a", "b"] and list(bar.y) == [2, 1]


def _kilobytes(value) -> float:
    return len(json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder)) / 1024


def _pool(n: int = 10_000, measured: int = 550, seed: int = 0):
    rng = np.random.default_rng(seed)
    truth = rng.normal(size=n)
    mean, std = truth + rng.normal(0, 0.3, n), rng.uniform(0.1, 0.5, n)
    is_measured = np.zeros(n, dtype=bool)
    is_measured[rng.choice(n, measured, replace=False)] = True
    picks = np.zeros(n, dtype=bool)
    picks[np.flatnonzero(~is_measured)[:10]] = True
    return truth, mean, std, is_measured, picks, rng.normal(size=(n, 2))


def test_a_qm9_sized_step_sends_plots_under_100_kb_with_the_map_as_a_patch(monkeypatch):
    register_template()
    monkeypatch.setattr(pio.templates, "default", "mi")  # as the app has it
    truth, mean, std, measured, picks, coords = _pool()
    score = np.where(measured, np.nan, mean + 2 * std)
    sizes = {
        "parity": _kilobytes(al.parity(mean, std, truth, measured, picks, "lumo")),
        "ranked": _kilobytes(al.ranked_candidates(mean, std, score, mean, picks, "lumo")),
        "map patch": _kilobytes(al.pool_map_changes(coords, mean, measured, picks)),
    }
    assert sum(sizes.values()) < 70, sizes  # leaves room for the history plots and badges (~15 KB)
    # the patch carries the measured rows' places and the shown candidates' colours: ~9 KB of
    # the whole map's ~17 KB with 600 shown candidates
    assert sizes["map patch"] < 0.6 * _kilobytes(al.pool_map(coords, mean, "m", measured, picks))


def test_the_map_patch_carries_the_new_colours_of_the_fixed_subset():
    truth, mean, std, measured, picks, coords = _pool(n=100, measured=10)
    changes = dict(al.pool_map_changes(coords, std, measured, picks))
    colours = changes[("data", 0, "marker", "color")]
    decoded = np.frombuffer(base64.b64decode(colours["bdata"]), dtype=np.float32)
    assert np.allclose(decoded, std)  # 100 rows: no thinning
    shown = al.pool_map(coords, std, "σ", measured, picks).data[0]
    assert np.allclose(np.asarray(shown.marker.color), decoded)


def test_legends_sit_under_the_axis_titles_and_titles_under_the_tool_bar():
    truth, mean, std, measured, picks, coords = _pool(n=200, measured=20)
    figures = [
        al.parity(mean, std, truth, measured, picks, "lumo"),
        al.pool_map(coords, mean, "m", measured, picks),
        campaign_history.best_so_far([1.0, 2.0], [0.1, 0.2], None, None, 3.0, 10, "y"),
    ]
    for fig in figures:
        assert (fig.layout.legend.yref, fig.layout.legend.yanchor, fig.layout.legend.y) == (
            "container",
            "bottom",
            0,
        )
    register_template()
    title = pio.templates["mi"].layout.title
    assert title.yref == "container" and title.pad.t >= 30 and title.automargin


def test_a_pool_map_before_any_model_has_no_colour_bar_of_nan_and_says_why():
    coords = np.arange(20.0).reshape(10, 2)
    picks = np.zeros(10, dtype=bool)
    picks[:3] = True
    fig = al.pool_map(coords, np.full(10, np.nan), "predicted mean", np.zeros(10, bool), picks)
    pool = fig.data[0]
    assert pool.marker.colorbar.title.text is None and isinstance(pool.marker.color, str)
    assert fig.layout.title.text == "Pool map (PCA)" and not fig.layout.annotations
    assert fig.layout.title.subtitle.text == (
        "No model yet, so no predicted mean:<br>measure a few candidates first."
    )


def test_best_so_far_with_nothing_measured_yet_says_why_it_is_empty():
    fig = campaign_history.best_so_far([None], [None], None, None, None, 10, "yield")
    assert fig.layout.title.text == "Best so far and top-k recall" and not fig.data
    assert fig.layout.annotations[0].text == (
        "Nothing measured yet: measure a few<br>candidates first."
    )


def test_a_long_note_is_wrapped_to_fit_a_phone_width_plot():
    fig = transfer.learning_curve(None, {}, "expt")
    assert (
        fig.layout.annotations[0].text == "Drawn after the run when 'learning<br>curve' is ticked."
    )
    lines = theme.wrapped("a few words " * 20).split("<br>")
    assert len(lines) > 1 and max(len(line) for line in lines) <= theme.NOTE_WIDTH


def test_model_quality_counts_whole_steps_and_rounds_its_error_ticks():
    history = [{"step": s, "r2": 0.1 * s, "mae": 14.635 - s / 7} for s in range(3)]
    fig = campaign_history.model_quality(history)
    assert fig.layout.xaxis2.dtick == 1 and fig.layout.xaxis2.tick0 == 0
    assert fig.layout.yaxis2.tickformat == ".3~g"


def test_best_so_far_of_a_real_campaign_leaves_out_the_recall_it_cannot_know():
    fig = campaign_history.best_so_far([1.0, 2.0], [None, None], None, None, None, 10, "yield")
    assert fig.layout.title.text == "Best so far" and fig.layout.height == 420
    assert [list(trace.y) for trace in fig.data] == [[1.0, 2.0]]
    assert "yaxis2" not in fig.layout and fig.layout.xaxis.title.text == "step"


def test_model_quality_of_a_real_campaign_says_why_it_is_not_drawn():
    history = [{"step": s, "r2": None, "mae": None} for s in range(3)]
    fig = campaign_history.model_quality(history, real=True)
    assert fig.layout.title.text == "Model quality and calibration" and not fig.data
    assert fig.layout.height == campaign_history.model_quality(history).layout.height
    note = fig.layout.annotations[0].text.replace("<br>", " ")
    assert "true values of unmeasured candidates are unknown" in note


def _curve_result() -> tuple[dict, dict]:
    """A learning curve over FreeSolv's shares and the run it rings, as the page stores them."""
    sizes = [26, 51, 128, 256, 513]
    curve = {
        "n_train": sizes,
        "mae": {
            m: {"mean": [1.5, 1.2, 1.0, 0.8, 0.6], "sd": [0.1] * 5} for m in ("baseline", "lv")
        },
    }
    result = {"approach": "lv", "n_train": 51, "baseline": {"mae": 1.2}, "transfer": {"mae": 1.1}}
    return curve, result


def test_the_learning_curve_labels_its_log_axis_with_the_sizes_tried():
    """Plotly's own log ticks read '3 4 5 … 100 2 3' (30, 40, 50 … 200, 300 rows): a student
    took them for 3 rows."""
    curve, result = _curve_result()
    axis = transfer.learning_curve(curve, result, "expt").layout.xaxis
    assert list(axis.tickvals) == [26, 51, 128, 256, 513]
    assert list(axis.ticktext) == ["26", "51", "128", "256", "513"]


def test_a_fine_tuned_curve_is_purple_like_the_with_transfer_dots_of_its_other_plots():
    """The captions say purple is the transfer; fine-tuning's curve and ring were orange, the
    colour that means 'measured' on the Home page."""
    curve, result = _curve_result()
    curve["mae"]["ft"] = curve["mae"].pop("lv")
    fig = transfer.learning_curve(curve, {**result, "approach": "ft"}, "expt")
    line = next(trace for trace in fig.data if trace.name == "fine-tuned")
    ring = next(trace for trace in fig.data if trace.name == "this run")
    assert line.line.color == theme.COLORS["transfer"]
    assert list(ring.marker.color) == [theme.COLORS["baseline"], theme.COLORS["transfer"]]


def test_the_learning_curve_bands_draw_no_markers_at_their_corners():
    """Plotly gives a scatter of under 20 points markers by default: the ± sd bands showed stray
    dots in the colourway's green and red at their corners."""
    curve, result = _curve_result()
    bands = [t for t in transfer.learning_curve(curve, result, "expt").data if t.fill == "toself"]
    assert len(bands) == 2 and all(band.mode == "lines" for band in bands)
