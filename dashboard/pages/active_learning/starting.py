"""Starting a campaign from the page (Start, or the guide): features first, then the first model,
saying all the while what is happening and for how long.

The features of the built-in datasets are computed once per server (`serve` warms them up when it
starts); a start that comes before the warm-up has finished waits for it without hearing any
progress, and reading cached features and fitting the first model take seconds too, so a ticker
says how long the start has taken and what it may be waiting for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from dashboard import campaigns, runtime
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig

TICK_S = 2.0
WAITING = (
    "reading or computing the features and fitting the first model. A server that has just "
    "started computes the built-in datasets' features once for everyone (about a minute for "
    "the 10,000 QM9 molecules); after that a start takes seconds"
)


def changed(redraw: str = "full") -> dict:
    """A new value for al-state, so that the plots are drawn again: "full" for a new campaign,
    "step" when only the step changed (the page may then patch what it already shows)."""
    return {"t": time.time(), "redraw": redraw}


def start(set_progress: Callable, sid: str, config: CampaignConfig) -> Campaign:
    """Featurise, fit the first model and save the new campaign, reporting progress."""
    set_progress((5, "reading the settings"))
    started = time.monotonic()
    heard = threading.Event()

    def featurising(fraction: float) -> None:
        heard.set()
        if fraction >= 1:
            set_progress((90, "fitting the first model"))
            return
        elapsed = time.monotonic() - started
        left = elapsed / fraction * (1 - fraction) if fraction > 0 else None
        eta = f", about {left:.0f} s left" if left is not None else ""
        message = f"RDKit descriptors of {fraction:.0%} of the rows{eta} (kept for next time)"
        set_progress((10 + int(80 * fraction), message))

    def tick() -> None:
        while not heard.wait(TICK_S):
            waited = time.monotonic() - started
            set_progress((10, f"{waited:.0f} s: {WAITING}."))

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        store = runtime.current().store
        with store.lock(store.require(sid)):
            campaign = campaigns.start(sid, config, featurising)
    finally:
        heard.set()
        ticker.join()
    set_progress((100, "done"))
    return campaign
