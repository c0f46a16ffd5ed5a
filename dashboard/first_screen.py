"""The page as the server sends it, before any script runs: the navbar's links and the page's
text in its boxes as plain HTML (its scripts wait for it: script_loading.py).

Why: Dash draws everything in the browser, so until its scripts (React, plotly.js, the grids)
have run and the page's layout has come back, a visitor sees "Loading…" — on a mid-range phone
about 6 s (Lighthouse's mobile preset, issue 14). The static first screen shows the same headings
and text at once and its links work without scripts; `assets/first-screen.js` removes it when
Dash has drawn the page. Dash has no server-side rendering of its components: plain `html`
components, text and Bootstrap's boxes are written here, and the controls, graphs and grids wait
for Dash (an empty box of their size holds their place).
"""

from __future__ import annotations

import html as markup
import re
from collections.abc import Iterable, Mapping

from dash.development.base_component import Component

_ATTRIBUTES = ("href", "src", "alt", "title")
"""The props written as attributes besides class and style; ids are left out, so that no id
occurs twice while both copies of the page exist."""
_VOID = {"br", "hr", "img"}
_INVISIBLE = {"Store", "Download", "Location", "Interval", "Tooltip", "Toast", "Modal"}
"""Components that take no room on the page as first drawn."""
_BOOTSTRAP_BOXES = {
    "Container": ("div", "container"),
    "Row": ("div", "row"),
    "Col": ("div", ""),
    "Card": ("div", "card"),
    "CardHeader": ("div", "card-header"),
    "CardBody": ("div", "card-body"),
    "CardFooter": ("div", "card-footer"),
    "Label": ("label", "form-label"),
    "FormText": ("div", "form-text"),
}
"""dash-bootstrap-components that are a Bootstrap class on an element: (tag, class); a column's
class comes from its widths."""
_WRAPPERS = {"Upload"}
"""Components drawn as a box around their children."""
_PLACEHOLDERS = {"Dropdown": "mi-placeholder-input", "Input": "mi-placeholder-input"}
"""Classes that give a control's empty box its height (app.css)."""


def first_screen(
    path: str, pages: Iterable[dict], brand: str, query: Mapping[str, str] | None = None
) -> str:
    """The static frame of the page at `path`: a navbar of `pages` (Dash's page registry
    entries) and that page's layout for the URL's `query` as `static_html` writes it; only the
    navbar for an unknown path."""
    pages = list(pages)
    page = next((p for p in pages if p["path"] == path), None)
    body = static_html(_layout(page["layout"], query or {})) if page is not None else ""
    return (
        '<div class="mi-first-screen">'
        f"{_navbar(pages, path, brand)}"
        f'<main><div class="container-xl py-4">{body}</div></main>'
        "</div>"
    )


def _layout(layout: object, query: Mapping[str, str]) -> object:
    """A page's layout as Dash draws it for the URL's query: pages with a layout function take
    its parameters as keyword arguments."""
    return layout(**query) if callable(layout) else layout


def static_html(node: object) -> str:
    """`node` (text, a number, a list or a component tree) as HTML: dash `html` components and
    Bootstrap's layout boxes as themselves, components that draw nothing left out, and every
    other component (a control, a graph, a grid) as an empty box with its class and style, so
    that the text around it stands about where Dash will draw it. Links, and buttons that are
    links, work before any script has run."""
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return markup.escape(str(node))
    if isinstance(node, list | tuple):
        return "".join(static_html(child) for child in node)
    if not isinstance(node, Component):
        return ""
    props = node.to_plotly_json()["props"]
    if node._type in _INVISIBLE:
        return ""
    if node._namespace == "dash_html_components":
        return _element(node._type.lower(), props.get("className"), props)
    if node._namespace == "dash_bootstrap_components" and node._type in _BOOTSTRAP_BOXES:
        tag, base = _BOOTSTRAP_BOXES[node._type]
        classes = " ".join(filter(None, [base or _column_classes(props), props.get("className")]))
        return _element(tag, classes, props)
    if node._type == "Tabs":
        return _tabs(props)
    if node._type in _WRAPPERS:
        return _element("div", props.get("className"), props)
    if node._type == "Link":
        return _element("a", props.get("className"), props)
    if node._type == "Button":
        return _element("a" if props.get("href") else "span", _button_classes(props), props)
    classes = " ".join(filter(None, [_PLACEHOLDERS.get(node._type), props.get("className")]))
    return _element("div", classes, {"style": props.get("style")})


def _tabs(props: dict) -> str:
    """dbc.Tabs as Bootstrap's tab bar with the active tab's content (the first tab's when none
    is chosen)."""
    tabs = [tab.to_plotly_json()["props"] for tab in props.get("children") or []]
    ids = [tab.get("tab_id") or f"tab-{i}" for i, tab in enumerate(tabs)]
    active = props.get("active_tab") or (ids[0] if ids else None)
    bar = "".join(
        f'<li class="nav-item"><span class="nav-link{" active" * (tab_id == active)}">'
        f"{static_html(tab.get('label'))}</span></li>"
        for tab, tab_id in zip(tabs, ids, strict=True)
    )
    content = next(
        (static_html(tab.get("children")) for tab, i in zip(tabs, ids, strict=True) if i == active),
        "",
    )
    return (
        f'<ul class="nav nav-tabs">{bar}</ul>'
        f'<div class="tab-content"><div class="tab-pane active">{content}</div></div>'
    )


def _button_classes(props: dict) -> str:
    """dbc.Button's classes: its colour, outline, size and whether it is disabled."""
    colour = props.get("color", "primary")
    variant = f"btn-outline-{colour}" if props.get("outline") else f"btn-{colour}"
    size = f"btn-{props['size']}" if props.get("size") else ""
    disabled = "disabled" if props.get("disabled") else ""
    return " ".join(filter(None, ["btn", variant, size, disabled, props.get("className")]))


def _element(tag: str, classes: str | None, props: dict) -> str:
    """`<tag>` with `classes`, the written attributes of `props` and its children."""
    attributes = f' class="{markup.escape(classes)}"' if classes else ""
    attributes += "".join(
        f' {name}="{markup.escape(str(props[name]))}"'
        for name in _ATTRIBUTES
        if props.get(name) is not None
    )
    if props.get("style"):
        attributes += f' style="{markup.escape(_css(props["style"]))}"'
    if tag in _VOID:
        return f"<{tag}{attributes}>"
    return f"<{tag}{attributes}>{static_html(props.get('children'))}</{tag}>"


def _css(style: dict) -> str:
    """A React style dict (camelCase names) as a CSS declaration list."""
    return ";".join(f"{_kebab(name)}:{_css_value(value)}" for name, value in style.items())


def _kebab(name: str) -> str:
    return re.sub(r"[A-Z]", lambda upper: "-" + upper.group(0).lower(), name)


def _css_value(value: object) -> str:
    """React reads a bare number as pixels."""
    return f"{value}px" if isinstance(value, int | float) else str(value)


def _column_classes(props: dict) -> str:
    """dbc.Col's classes for its integer widths (`width`, `sm`…`xxl`); `col` without any."""
    classes = [
        f"col-{size}" if breakpoint == "width" else f"col-{breakpoint}-{size}"
        for breakpoint in ("width", "xs", "sm", "md", "lg", "xl", "xxl")
        if isinstance(size := props.get(breakpoint), int)
    ]
    return " ".join(classes) or "col"


def _navbar(pages: list[dict], path: str, brand: str) -> str:
    """Bootstrap's navbar as `shell.navbar` draws it: brand, the links (folded below 768 px,
    where the menu button shows), with the current page marked."""
    links = "".join(
        f'<li class="nav-item"><a class="nav-link{" active" * (p["path"] == path)}" '
        f'href="{markup.escape(p["path"])}">{markup.escape(p["name"])}</a></li>'
        for p in pages
    )
    return (
        '<nav class="navbar navbar-expand-md bg-body-tertiary border-bottom mb-0 mi-navbar">'
        '<div class="container-xl">'
        '<a class="navbar-brand d-flex align-items-center" href="/">'
        '<img src="/assets/logo.svg" height="28" width="28" alt="">'
        f'<span class="ms-2">{markup.escape(brand)}</span></a>'
        '<span class="navbar-toggler" aria-hidden="true"><span class="navbar-toggler-icon">'
        "</span></span>"
        f'<div class="collapse navbar-collapse"><ul class="navbar-nav me-auto">{links}</ul></div>'
        "</div></nav>"
    )
