"""The app factory: `create_app(settings) -> dash.Dash`, wiring pages, shell and background jobs."""

from __future__ import annotations

import logging
from pathlib import Path

import dash
import plotly.io as pio
from dash import Dash
from flask import request

from dashboard import runtime, sessions, toast
from dashboard.figures.theme import register_template
from dashboard.first_screen import first_screen
from dashboard.jobs import make_manager
from dashboard.pages import PAGE_MODULES
from dashboard.script_loading import deferred_renderer, lighter_scripts
from dashboard.settings import Settings
from dashboard.shell import register_shell_callbacks, shell_layout

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, manager=None) -> Dash:
    """A new dashboard app for `settings` (read from the environment when None).

    `manager` is the background-callback manager to use (the Celery worker passes its own);
    by default one is made from the settings.
    """
    settings = settings or Settings.from_env()
    runtime.configure(settings)
    register_template()
    pio.templates.default = "mi"
    app = DashboardApp(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        assets_path_ignore=["vendor"],  # assets_ignore would match file names only
        external_stylesheets=["/assets/vendor/bootstrap-5.3.6.min.css"],
        background_callback_manager=manager or make_manager(settings),
        suppress_callback_exceptions=True,
        title="MI Dashboard",
        update_title=None,
        compress=True,  # gzip through flask-compress: JS, CSS and callback answers shrink ~4x
        on_error=_log_callback_error,
    )
    # base64 makes an upload about 4/3 of the file; the parser gives the friendly size message,
    # this cap only stops requests far beyond any allowed file.
    app.server.config["MAX_CONTENT_LENGTH"] = int(settings.upload_max_bytes * 1.5) + 2**20
    sessions.install(app, settings)
    for module in PAGE_MODULES:
        module.register(app)
    app.layout = shell_layout
    register_shell_callbacks(app)
    return app


class DashboardApp(Dash):
    """Dash whose page, as sent, already shows the navbar and the page's heading and
    introduction (first_screen.py) and runs its scripts after that first paint
    (script_loading.py)."""

    def interpolate_index(self, **kwargs: str) -> str:
        frame = first_screen(
            request.path, dash.page_registry.values(), self.title, request.args.to_dict()
        )
        kwargs["app_entry"] = frame + kwargs["app_entry"]
        kwargs["scripts"] = lighter_scripts(kwargs["scripts"])
        kwargs["renderer"] = deferred_renderer(kwargs["renderer"])
        return super().interpolate_index(**kwargs)


def _log_callback_error(err: Exception) -> None:
    """Log an unexpected callback error; the page keeps its last good state."""
    log.exception("callback failed", exc_info=err)
    dash.set_props(
        toast.TOAST, toast.shown(f"Something went wrong on the server ({type(err).__name__}).")
    )
