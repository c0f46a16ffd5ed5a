"""The frame around every page: navbar, theme switch, the session id and the global error toast."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update

from dashboard import __version__, runtime
from dashboard.store import StorageError


def shell_layout() -> html.Div:
    """Navbar with one link per registered page, the page container and the shared stores."""
    return html.Div(
        [
            dcc.Store(id="session-id", storage_type="local"),
            dcc.Store(id="theme", storage_type="local"),
            dcc.Location(id="url"),
            navbar(),
            dbc.Container(dash.page_container, fluid="xl", className="py-4", id="page-body"),
            dbc.Toast(
                id="global-error",
                header="Error",
                icon="danger",
                is_open=False,
                dismissable=True,
                duration=12000,
                className="mi-toast",
            ),
            html.Footer(
                f"MI Dashboard {__version__}",
                className="text-body-secondary small text-center py-3",
            ),
        ]
    )


def navbar() -> dbc.Navbar:
    """Brand, a link per page in registry order, and the light/dark switch."""
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["path"], active="exact", id=nav_id(page)))
        for page in dash.page_registry.values()
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [
                        html.Img(src="/assets/logo.svg", height="28px", className="me-2"),
                        "MI Dashboard",
                    ],
                    href="/",
                ),
                dbc.Nav(links, navbar=True, className="me-auto", id="nav-links"),
                dbc.Switch(id="theme-switch", label="Dark", value=False, className="mb-0 ms-3"),
            ],
            fluid="xl",
        ),
        className="border-bottom mb-0",
    )


def nav_id(page: dict) -> str:
    """The navbar link's id for a registered page: nav-<module's last name>."""
    return "nav-" + page["module"].rsplit(".", 1)[-1]


def register_shell_callbacks(app: Dash) -> None:
    """Session id on every load, and the remembered theme."""

    @app.callback(
        Output("session-id", "data"), Input("url", "pathname"), State("session-id", "data")
    )
    def ensure_session(_pathname: str | None, sid: str | None) -> str:
        """Keep a live session id; make a new one on the server for a missing, unknown or forged id."""
        try:
            fresh = runtime.current().store.ensure(sid)
        except StorageError as err:
            dash.set_props("global-error", {"children": str(err), "is_open": True})
            return no_update
        return fresh if fresh != sid else no_update

    app.clientside_callback(
        """
        function(dark, stored) {
            const ctx = window.dash_clientside.callback_context;
            const userToggled = ctx.triggered.some(t => t.prop_id === 'theme-switch.value');
            const isDark = userToggled ? Boolean(dark) : stored === 'dark';
            document.documentElement.setAttribute('data-bs-theme', isDark ? 'dark' : 'light');
            return [isDark ? 'dark' : 'light', isDark];
        }
        """,
        Output("theme", "data"),
        Output("theme-switch", "value"),
        Input("theme-switch", "value"),
        State("theme", "data"),
    )
