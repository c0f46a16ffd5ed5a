"""Hand-written axes draw what plotly's make_subplots and add_hline would (at a tenth of the
cost): the same axis domains, anchors and reference lines."""

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from dashboard.figures.axes import SPACING, hline, one_row_with_right_axis, two_rows


def axes_of(layout) -> dict:
    as_json = layout.to_plotly_json() if hasattr(layout, "to_plotly_json") else layout
    return {k: v for k, v in as_json.items() if k.startswith(("xaxis", "yaxis"))}


def assert_same_axes(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for name, axis in theirs.items():
        assert ours[name].keys() == axis.keys(), name
        for key, value in axis.items():
            assert ours[name][key] == pytest.approx(value), (name, key)


@pytest.mark.parametrize("secondary", [False, True])
def test_two_rows_match_make_subplots(secondary):
    specs = [[{"secondary_y": secondary}], [{}]]
    theirs = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=SPACING,
        row_heights=[0.55, 0.45],
        specs=specs,
    )
    layout, places = two_rows(top_share=0.55, secondary=secondary)
    if secondary:
        theirs.layout.yaxis2.showgrid = False  # the figures hide the secondary grid
    assert_same_axes(layout, axes_of(theirs.layout))
    assert places["bottom"] == (("x2", "y3") if secondary else ("x2", "y2"))


def test_one_row_with_a_right_axis_matches_make_subplots():
    theirs = make_subplots(specs=[[{"secondary_y": True}]])
    theirs.layout.yaxis2.showgrid = False
    layout, places = one_row_with_right_axis()
    assert_same_axes(layout, axes_of(theirs.layout))
    assert places == {"left": ("x", "y"), "right": ("x", "y2")}


def test_hline_matches_add_hline_with_its_label_at_the_bottom_right():
    theirs = make_subplots(rows=2, cols=1, shared_xaxes=True)
    theirs.add_scatter(x=[0, 1], y=[0, 1], row=2, col=1)  # add_hline skips empty plots
    theirs.add_hline(
        y=0.7,
        row=2,
        col=1,
        line={"color": "red", "dash": "dot"},
        annotation_text="70 %",
        annotation_position="bottom right",
    )
    shape, label = hline(0.7, ("x2", "y2"), "red", "dot", "70 %")
    assert go.layout.Shape(shape).to_plotly_json() == theirs.layout.shapes[0].to_plotly_json()
    assert go.layout.Annotation(label).to_plotly_json() == (
        theirs.layout.annotations[0].to_plotly_json()
    )
