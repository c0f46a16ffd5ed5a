"""The frame around every page: navbar, theme switch, the session id and the global error toast."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update

from dashboard import __version__, runtime, sessions, toast
from dashboard.store import StorageError

THEME_BEFORE_PAINT = """
(function () {
  var theme = null;
  try { theme = JSON.parse(window.localStorage.getItem('theme')); } catch (e) { theme = null; }
  if (theme !== 'dark' && theme !== 'light') {
    theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.setAttribute('data-bs-theme', theme);
})();
"""
INDEX = f"""<!DOCTYPE html>
<html lang="en">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        <script>{THEME_BEFORE_PAINT}</script>
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        {{%config%}}
        {{%scripts%}}
        {{%renderer%}}
    </body>
</html>"""
"""Dash's page frame with a language and the theme set before the first paint (the stored one,
else the system's), so that a dark page never flashes white; the scripts sit in no <footer>,
which would be a second "contentinfo" landmark beside the page's own footer."""


def shell_layout() -> html.Div:
    """Skip link, navbar with one link per registered page, the page and the shared stores."""
    return html.Div(
        [
            html.A("Skip to the page", href="#page-body", className="mi-skip"),
            dcc.Store(id="session-id", storage_type="local"),
            dcc.Store(id="theme", storage_type="local"),
            dcc.Location(id="url"),
            navbar(),
            html.Main(
                dbc.Container(dash.page_container, fluid="xl", className="py-4"),
                id="page-body",
                tabIndex="-1",
            ),
            dbc.Toast(
                id=toast.TOAST,
                header="Error",
                icon="danger",
                is_open=False,
                dismissable=True,
                duration=toast.DURATION_MS,
                className="mi-toast",
            ),
            html.Footer(
                f"MI Dashboard {__version__}",
                className="text-body-secondary small text-center py-3",
            ),
        ]
    )


def navbar() -> dbc.Navbar:
    """Brand, a link per page in registry order and the light/dark switch; below 768 px the
    links and the switch fold behind a menu button."""
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["path"], active="exact", id=nav_id(page)))
        for page in dash.page_registry.values()
    ]
    toggler = html.Button(
        [
            html.Span(className="navbar-toggler-icon"),
            html.Span("Menu", className="visually-hidden"),
        ],
        id="nav-toggle",
        className="navbar-toggler",
        type="button",
        **{"aria-controls": "nav-collapse", "aria-expanded": "false"},
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [
                        html.Img(src="/assets/logo.svg", height="28", width="28", alt=""),
                        html.Span("MI Dashboard", className="ms-2"),
                    ],
                    href="/",
                    className="d-flex align-items-center",
                ),
                toggler,
                dbc.Collapse(
                    [
                        dbc.Nav(links, navbar=True, className="me-auto", id="nav-links"),
                        dbc.Switch(id="theme-switch", label="Dark", value=False, className="mb-0"),
                    ],
                    id="nav-collapse",
                    navbar=True,
                    is_open=False,
                ),
            ],
            fluid="xl",
        ),
        expand="md",
        color="body-tertiary",
        dark=False,
        className="border-bottom mb-0 mi-navbar",
    )


def nav_id(page: dict) -> str:
    """The navbar link's id for a registered page: nav-<module's last name>."""
    return "nav-" + page["module"].rsplit(".", 1)[-1]


def register_shell_callbacks(app: Dash) -> None:
    """The page frame (INDEX), a session id on every load, the remembered theme, the menu."""
    app.index_string = INDEX

    @app.callback(
        Output("session-id", "data"), Input("url", "pathname"), State("session-id", "data")
    )
    def ensure_session(_pathname: str | None, sid: str | None) -> str:
        """Keep a live session id whose cookie this browser holds; for a missing, unknown, forged
        or someone else's id make a new session on the server. Either way the cookie that binds
        the id to this browser is (re)set, so that it lasts as long as the session is used."""
        try:
            fresh = runtime.current().store.ensure(sid if sessions.owns(sid) else None)
        except StorageError as err:
            dash.set_props(toast.TOAST, toast.shown(str(err)))
            return no_update
        sessions.bind(fresh)
        return fresh if fresh != sid else no_update

    app.clientside_callback(
        """
        function(dark, stored) {
            const ctx = window.dash_clientside.callback_context;
            const userToggled = ctx.triggered.some(t => t.prop_id === 'theme-switch.value');
            const system = window.matchMedia('(prefers-color-scheme: dark)').matches;
            const remembered = stored === 'dark' || stored === 'light' ? stored === 'dark' : system;
            const isDark = userToggled ? Boolean(dark) : remembered;
            document.documentElement.setAttribute('data-bs-theme', isDark ? 'dark' : 'light');
            const store = userToggled ? (isDark ? 'dark' : 'light') : window.dash_clientside.no_update;
            return [store, isDark];
        }
        """,
        Output("theme", "data"),
        Output("theme-switch", "value"),
        Input("theme-switch", "value"),
        State("theme", "data"),
    )
    app.clientside_callback(
        """
        function(clicks, pathname, open) {
            const ctx = window.dash_clientside.callback_context;
            const toggled = ctx.triggered.some(t => t.prop_id === 'nav-toggle.n_clicks');
            const next = toggled ? !open : false;
            document.getElementById('nav-toggle')?.setAttribute('aria-expanded', String(next));
            return next;
        }
        """,
        Output("nav-collapse", "is_open"),
        Input("nav-toggle", "n_clicks"),
        Input("url", "pathname"),
        State("nav-collapse", "is_open"),
    )
