"""How the page as sent loads Dash's scripts: after the browser has painted the static first
screen (first_screen.py), and without Babel's polyfill.

Why: Dash puts plain script tags at the end of the body, so a phone may run several seconds of
script (React, the component bundles, the renderer) before it paints anything, the static first
screen included. Here the tags are made inert, preloaded, and run in order by a small loader
once a frame has been painted; the renderer starts when the last has run.
"""

from __future__ import annotations

import re

POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@7[^"]*"></script>')
REGENERATOR = '<script src="/assets/vendor/regenerator-runtime-0.14.1.js"></script>'
"""Dash's renderer loads Babel's polyfill (core-js 2, 100 KB, 0.4-0.6 s of script time on a
phone) for browsers older than any Dash supports today; its bundles only need the regenerator
runtime from it (they call `regeneratorRuntime`), so that one file (MIT, npm
regenerator-runtime 0.14.1) takes its place."""

SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
RENDERER = "var renderer = new DashRenderer();"
STARTER = "window.miStartDash = function () { window.renderer = new DashRenderer(); };"
AFTER_PAINT = "text/x-after-paint"
"""The type of Dash's script tags as sent: a browser neither fetches nor runs a script of a type
it does not know, and Dash's own check of the page still finds its renderer's tag."""
LOADER = """<script>(function () {
  var started = false;
  function load() {
    if (started) { return; }
    started = true;
    var tags = document.querySelectorAll('script[type="@TYPE@"]');
    tags.forEach(function (tag, i) {
      var script = document.createElement('script');
      script.src = tag.getAttribute('src');
      script.async = false;
      if (i === tags.length - 1) { script.onload = function () { window.miStartDash(); }; }
      document.body.appendChild(script);
    });
  }
  requestAnimationFrame(function () { setTimeout(load, 0); });
  setTimeout(load, 250);
})();</script>""".replace("@TYPE@", AFTER_PAINT)
"""Runs Dash's scripts in their order once the browser has painted the first screen (a frame
after this runs; at the latest after 250 ms, as a hidden tab draws no frames), then starts the
renderer. With plain or deferred script tags a phone may run seconds of script before its first
paint; the preload links start the downloads at once all the same."""


def lighter_scripts(scripts: str) -> str:
    """Dash's script tags as preload links, inert tags and the loader that runs them after the
    first paint, with Babel's polyfill replaced by the regenerator runtime; inline scripts stay.

    Raises ValueError when the polyfill's tag is not there: a Dash upgrade that changed it must
    be looked at, not pass unnoticed."""
    lighter, count = POLYFILL.subn(REGENERATOR, scripts)
    if count != 1:
        raise ValueError(f"expected one Babel polyfill script in Dash's scripts, found {count}")
    inert = SCRIPT.sub(
        lambda tag: (
            f'<link rel="preload" as="script" href="{tag[1]}">'
            f'<script type="{AFTER_PAINT}" src="{tag[1]}"></script>'
        ),
        lighter,
    )
    return inert + LOADER


def deferred_renderer(renderer: str) -> str:
    """Dash's renderer script made into the function the loader calls once every script has run.

    Raises ValueError when Dash's renderer script is not the expected one."""
    if RENDERER not in renderer:
        raise ValueError(f"unexpected Dash renderer script: {renderer[:200]}")
    return renderer.replace(RENDERER, STARTER)
