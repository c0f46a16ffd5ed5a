"""The Transfer Learning page's controls say when a change of them shows."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest

from dashboard.pages.transfer_learning.layout import layout


def _hint(control_id: str) -> str:
    """The explanation under the control with this id."""

    def fields(component):
        children = getattr(component, "children", None)
        children = children if isinstance(children, list) else [children]
        if "mi-field" in (getattr(component, "className", "") or ""):
            yield component
        for child in children:
            if child is not None and not isinstance(child, str):
                yield from fields(child)

    field = next(f for f in fields(layout()) if control_id in str(f.children[1]))
    return next(c.children for c in field.children if isinstance(c, dbc.FormText))


@pytest.mark.parametrize("control_id", ["tl-share", "tl-source", "tl-target"])
def test_settings_that_need_a_new_run_say_that_a_change_waits_for_train(control_id):
    assert "Waits for Train." in _hint(control_id)


@pytest.mark.parametrize("control_id", ["tl-approach", "tl-model"])
def test_settings_read_from_the_cache_say_that_a_change_applies_at_once(control_id):
    assert "Applies at once after a run." in _hint(control_id)
