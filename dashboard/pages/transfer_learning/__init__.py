"""Transfer Learning: a model of a large, cheaper dataset helps a model of a small, accurate one.

The page's layout, callbacks and result pieces (metric cards, facts, group table) are its modules."""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.pages.transfer_learning.callbacks import register_callbacks
from dashboard.pages.transfer_learning.first_run import register_first_run
from dashboard.pages.transfer_learning.layout import layout
from dashboard.pages.transfer_learning.prefetch import register_prefetch
from dashboard.pages.transfer_learning.restore import register_restore


def register(app: Dash) -> None:
    dash.register_page(
        __name__,
        path="/transfer-learning",
        name="Transfer Learning",
        title="Transfer Learning · MI Dashboard",
        order=2,
        layout=layout,
    )
    register_callbacks(app)
    register_first_run(app)
    register_prefetch(app)
    register_restore(app)
