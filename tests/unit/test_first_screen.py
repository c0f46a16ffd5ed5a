"""The static first screen: a page's layout written as plain HTML before any script runs, the
navbar replica, and the scripts that wait for its first paint."""

from __future__ import annotations

import re

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.first_screen import first_screen, static_html
from dashboard.script_loading import (
    AFTER_PAINT,
    LOADER,
    REGENERATOR,
    STARTER,
    deferred_renderer,
    lighter_scripts,
)

REGENERATOR_SRC = "/assets/vendor/regenerator-runtime-0.14.1.js"
PAGES = [
    {"path": "/", "name": "Home", "layout": html.H1("Welcome")},
    {"path": "/data", "name": "Data", "layout": lambda **query: html.P(f"query {query}")},
]


def test_html_components_are_written_as_themselves_without_their_ids():
    node = html.Div(
        [html.H1("Title", id="t", className="h2"), html.A("link", href="/about", title="About")],
        id="page",
        style={"marginTop": 4, "color": "red"},
    )
    assert static_html(node) == (
        '<div style="margin-top:4px;color:red"><h1 class="h2">Title</h1>'
        '<a href="/about" title="About">link</a></div>'
    )


def test_text_is_escaped():
    assert static_html(html.P("<script>alert(1)</script> & co")) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"
    )
    assert static_html(html.Img(src='x" onerror="y')) == '<img src="x&quot; onerror=&quot;y">'


def test_bootstrap_boxes_become_their_classes():
    node = dbc.Row([dbc.Col("a", lg=9, className="order-1"), dbc.Col("b")], className="g-4")
    assert static_html(node) == (
        '<div class="row g-4"><div class="col-lg-9 order-1">a</div><div class="col">b</div></div>'
    )
    card = dbc.Card([dbc.CardHeader("H"), dbc.CardBody(dbc.Label("L"))])
    assert static_html(card) == (
        '<div class="card"><div class="card-header">H</div>'
        '<div class="card-body"><label class="form-label">L</label></div></div>'
    )


def test_buttons_are_inert_spans_with_the_buttons_classes():
    assert static_html(dbc.Button("Go", color="secondary", outline=True, size="sm")) == (
        '<span class="btn btn-outline-secondary btn-sm">Go</span>'
    )
    assert static_html(dbc.Button("Go", id="go")) == '<span class="btn btn-primary">Go</span>'
    assert static_html(dbc.Button("Step", disabled=True)) == (
        '<span class="btn btn-primary disabled">Step</span>'
    )


def test_links_and_link_buttons_work_before_any_script():
    assert static_html(dcc.Link(html.H2("Data"), href="/data", className="card-link")) == (
        '<a class="card-link" href="/data"><h2>Data</h2></a>'
    )
    assert static_html(dbc.Button("Watch", href="/active-learning?guided=1", size="lg")) == (
        '<a class="btn btn-primary btn-lg" href="/active-learning?guided=1">Watch</a>'
    )


def test_invisible_components_take_no_room_and_controls_hold_their_place():
    node = html.Div(
        [
            dcc.Store(id="s", data={"secret": "x"}),
            dcc.Interval(id="i"),
            dcc.Dropdown(id="d", options=["a"]),
            dcc.Graph(id="g", className="mi-graph", style={"height": 460}),
        ]
    )
    assert static_html(node) == (
        '<div><div class="mi-placeholder-input"></div>'
        '<div class="mi-graph" style="height:460px"></div></div>'
    )


def test_the_first_screen_has_the_navbar_with_the_current_page_marked_and_its_layout():
    frame = first_screen("/", PAGES, "MI <Dashboard>")
    assert frame.startswith('<div class="mi-first-screen">')
    assert '<a class="nav-link active" href="/">Home</a>' in frame
    assert '<a class="nav-link" href="/data">Data</a>' in frame
    assert "MI &lt;Dashboard&gt;" in frame
    assert "<h1>Welcome</h1>" in frame
    assert ' id="' not in frame


def test_a_layout_function_gets_the_urls_query():
    assert "<p>query {&#x27;guided&#x27;: &#x27;1&#x27;}</p>" in first_screen(
        "/data", PAGES, "MI", {"guided": "1"}
    )


def test_an_unknown_path_gets_the_navbar_only():
    frame = first_screen("/nowhere", PAGES, "MI")
    assert "nav-link active" not in frame
    assert '<div class="container-xl py-4"></div>' in frame


def test_the_polyfill_is_replaced_by_the_regenerator_runtime():
    scripts = (
        '<script src="/_dash-component-suites/dash/react@18.v3_0_4m1.min.js"></script>'
        '<script src="/_dash-component-suites/dash/deps/polyfill@7.v3_0_4m1.12.1.min.js"></script>'
    )
    lighter = lighter_scripts(scripts)
    assert "polyfill" not in lighter
    assert "regenerator-runtime-0.14.1.js" in lighter


def test_scripts_are_preloaded_and_run_in_order_by_the_loader_after_the_first_paint():
    scripts = '<script src="/a.js"></script><script>inline()</script><script src="/b.js"></script>'
    lighter = lighter_scripts(scripts + REGENERATOR.replace("regenerator", "deps/polyfill@7"))
    inert = re.findall(r'<script type="([^"]+)" src="([^"]+)"></script>', lighter)
    assert inert == [(AFTER_PAINT, "/a.js"), (AFTER_PAINT, "/b.js"), (AFTER_PAINT, REGENERATOR_SRC)]
    assert re.findall(r'<link rel="preload" as="script" href="([^"]+)">', lighter) == [
        "/a.js",
        "/b.js",
        REGENERATOR_SRC,
    ]
    assert "<script>inline()</script>" in lighter
    assert lighter.endswith(LOADER)
    assert not re.search(r'<script src="', lighter), "no script runs before the first paint"


def test_the_renderer_waits_for_the_loader():
    renderer = '<script id="_dash-renderer">var renderer = new DashRenderer();</script>'
    assert deferred_renderer(renderer) == f'<script id="_dash-renderer">{STARTER}</script>'
    with pytest.raises(ValueError, match="unexpected Dash renderer"):
        deferred_renderer("<script>new DashRenderer({hooks})</script>")


def test_a_changed_polyfill_tag_is_an_error_not_a_silent_pass():
    with pytest.raises(ValueError, match="found 0"):
        lighter_scripts('<script src="/_dash-component-suites/dash/react@18.js"></script>')


def test_tabs_show_their_bar_and_the_active_tabs_content_only():
    tabs = dbc.Tabs(
        [dbc.Tab(html.P("a"), label="A", tab_id="a"), dbc.Tab(html.P("b"), label="B", tab_id="b")],
        active_tab="b",
    )
    assert static_html(tabs) == (
        '<ul class="nav nav-tabs"><li class="nav-item"><span class="nav-link">A</span></li>'
        '<li class="nav-item"><span class="nav-link active">B</span></li></ul>'
        '<div class="tab-content"><div class="tab-pane active"><p>b</p></div></div>'
    )
    assert "<p>a</p>" in static_html(dbc.Tabs([dbc.Tab(html.P("a")), dbc.Tab(html.P("b"))]))


def test_an_upload_box_shows_its_invitation():
    upload = dcc.Upload(html.Div(["Drop a file or ", html.A("choose one")]), className="mi-upload")
    assert (
        static_html(upload)
        == '<div class="mi-upload"><div>Drop a file or <a>choose one</a></div></div>'
    )
