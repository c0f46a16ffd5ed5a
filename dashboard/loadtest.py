"""A load test through the app's own HTTP callback endpoints, as a browser drives them.

Each simulated user opens the page (for Dash's signed per-page token), gets a session id from
the server (and, in its own cookie jar, the cookie that binds the id to it), starts an
active-learning campaign on a built-in dataset (a background job, polled like the browser does)
and presses Step a fixed number of times; a step's latency is the Step callback plus the callback
that redraws the plots. The traffic goes to the given 127.0.0.1 address only; every loop is
bounded in count and time.
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

from dashboard import server_timing

CONFIG_PATTERN = re.compile(
    r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S
)
SMALL_CAMPAIGN = {
    "al-dataset": "builtin:freesolv",
    "al-target": "expt",
    "al-goal": "max",
    "al-goal-value": None,
    "al-mode": "simulated",
    "al-model": "gp-tanimoto",
    "al-acquisition": "ucb",
    "al-param": None,
    "al-init": 20,
    "al-batch": 5,
    "al-seed": 0,
    "al-batch-method": "top-q",
    "al-design": "random",
}
QM9_CAMPAIGN = {
    **SMALL_CAMPAIGN,
    "al-dataset": "builtin:qm9",
    "al-target": "lumo",
    "al-model": "auto",
    "al-acquisition": "auto",
    "al-init": 50,
    "al-batch": 10,
    "al-batch-method": "auto",
}
CAMPAIGNS = {"small": SMALL_CAMPAIGN, "qm9": QM9_CAMPAIGN}
"""The Active Learning page's settings each user starts with, by name: "small" (freesolv, 20
initial, 5 a step, Tanimoto GP) for many users at once; "qm9" the page's defaults on qm9 (10,000
molecules), for one user's step time on the issue's benchmark dataset."""
JOB_TIMEOUT_SECONDS = 900
"""Longest wait for a background job: a first Start on 100,000 new molecules computes their
RDKit descriptors for several minutes."""
PHASES = ("load", "fit", "score", "save", "rest", "redraw")
"""Where a step's time goes: the server's phases of the Step request (load the campaign, fit the
model, score the candidates and choose the batch, save), the rest of that request (answer,
network, queueing), then the redraw request."""


@dataclass
class SessionReport:
    """What one simulated user saw."""

    sid: str | None = None
    upload_seconds: float | None = None
    """From dropping the file on the Data page to its dataset being stored (with `upload`)."""
    start_seconds: float | None = None
    """From the Start click to the campaign's first state (featurisation included)."""
    steps: int = 0
    latencies: list[float] = field(default_factory=list)
    phases: list[dict[str, float]] = field(default_factory=list)
    """Per step: the server's load, step and save (its Server-Timing), the Step request's
    `rest` (round trip minus those) and the `redraw` request, in seconds."""
    errors: list[str] = field(default_factory=list)


class Client:
    """One browser tab's worth of Dash callback traffic against `base` (127.0.0.1 only); given
    several bases (servers sharing one state store), each callback request goes to one of them
    drawn at random (seeded, so a run repeats), as a proxy without sticky sessions sends them."""

    def __init__(
        self, base: str | list[str], timeout: float = 60.0, settings: dict | None = None
    ) -> None:
        self.bases = [b.rstrip("/") for b in ([base] if isinstance(base, str) else base)]
        if any(urlparse(b).hostname not in ("127.0.0.1", "localhost") for b in self.bases):
            raise ValueError("the load test only sends traffic to 127.0.0.1")
        self.base, self.timeout = self.bases[0], timeout
        self.pick = random.Random(0)
        self.hosts_used: list[tuple[str, str]] = []
        """(trigger, base) of each callback request, in order."""
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )  # its own cookies, like a browser: the session cookie binds its id to this user
        self.settings = settings or SMALL_CAMPAIGN
        page = self._get("/active-learning").decode()
        self.end_id = json.loads(CONFIG_PATTERN.search(page).group(1))["end_id"]
        self.callbacks = json.loads(self._get("/_dash-dependencies"))
        self.values: dict[str, object] = {}
        self.timing: dict[str, float] = {}
        """The phases of the last answer's Server-Timing header, in seconds."""

    def _get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=self.timeout) as response:
            return response.read()

    def _post(self, query: dict, body: dict) -> dict:
        base = self.pick.choice(self.bases)
        self.hosts_used.append((body["changedPropIds"][0], base))
        request = urllib.request.Request(
            f"{base}/_dash-update-component?{urlencode(query)}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with self.opener.open(request, timeout=self.timeout) as response:
            raw = response.read()
            self.timing = server_timing.parse(response.headers.get(server_timing.HEADER))
        return json.loads(raw) if raw else {}

    def fire(self, trigger: str, value: object = 1) -> dict:
        """Run the callback whose inputs include `trigger` ("id.prop"); returns its outputs."""
        callback = next(
            c
            for c in self.callbacks
            if any(f"{i['id']}.{i['property']}" == trigger for i in c["inputs"])
        )
        self.values[trigger] = value
        body = {
            "output": callback["output"],
            "outputs": _outputs(callback["output"]),
            "inputs": [self._value(i) for i in callback["inputs"]],
            "state": [self._value(s) for s in callback["state"]],
            "changedPropIds": [trigger],
        }
        query = {"endId": self.end_id}
        answer = self._post(query, body)
        deadline = time.time() + JOB_TIMEOUT_SECONDS
        while "cacheKey" in answer or ("response" not in answer and "job" in query):
            if time.time() > deadline:
                raise TimeoutError(f"{trigger}: the background job did not finish in time")
            if "cacheKey" in answer:
                query = {"endId": self.end_id, "cacheKey": answer["cacheKey"], "job": answer["job"]}
            time.sleep(0.2)
            answer = self._post(query, body)
        return answer.get("response", {})

    def upload(self, path: Path) -> str:
        """Drop the file at `path` on the Data page; the stored dataset's key (as the page
        selects it), or RuntimeError with the page's message when the file is refused."""
        self.values["data-upload.filename"] = path.name
        contents = "data:text/csv;base64," + base64.b64encode(path.read_bytes()).decode()
        answer = self.fire("data-upload.contents", contents)
        chosen = answer.get("data-refresh", {}).get("data")
        if not isinstance(chosen, dict) or "select" not in chosen:
            raise RuntimeError(f"upload refused: {json.dumps(answer)[:300]}")
        return chosen["select"]

    def _value(self, dependency: dict) -> dict:
        key = f"{dependency['id']}.{dependency['property']}"
        value = self.values.get(
            key, self.settings.get(dependency["id"]) if dependency["property"] == "value" else None
        )
        return {"id": dependency["id"], "property": dependency["property"], "value": value}


def _outputs(spec: str) -> dict | list[dict]:
    """The request's `outputs`: one dict for a single output, a list for "..a.b...c.d.."."""
    if not spec.startswith(".."):
        component, prop = spec.rsplit(".", 1)
        return {"id": component, "property": prop}
    return [_outputs(part) for part in spec.strip(".").split("...")]


LOOK_SECONDS = 1.0
"""How long a user looks at a new campaign's plots before the first Step."""


def run_session(
    base: str | list[str],
    steps: int,
    report: SessionReport,
    settings: dict | None = None,
    upload: Path | None = None,
) -> Client | None:
    """One user: session, campaign (`settings`, see CAMPAIGNS; on the file `upload` when
    given, uploaded first as on the Data page), `steps` Step presses; errors are recorded, not
    raised. Returns the client (None when it could not open the page)."""
    client = None
    try:
        client = Client(base, settings=settings)
        report.sid = client.fire("url.pathname", "/active-learning")["session-id"]["data"]
        client.values["session-id.data"] = report.sid
        if upload is not None:
            began = time.perf_counter()
            client.settings = {**client.settings, "al-dataset": client.upload(upload)}
            report.upload_seconds = time.perf_counter() - began
        began = time.perf_counter()
        started = client.fire("al-start.n_clicks")
        if "al-state" not in started:
            raise RuntimeError(f"start failed: {json.dumps(started)[:300]}")
        client.fire("al-state.data", started["al-state"]["data"])  # the first plots
        report.start_seconds = time.perf_counter() - began
        time.sleep(LOOK_SECONDS)
        for press in range(1, steps + 1):
            began = time.perf_counter()
            answer = client.fire("al-step.n_clicks", press)
            stepped, server = time.perf_counter(), client.timing
            message = answer.get("al-message", {}).get("children")
            if message or "al-state" not in answer:
                raise RuntimeError(f"step {press}: {json.dumps(answer)[:300]}")
            shown = client.fire(
                "al-state.data", answer["al-state"]["data"]
            )  # the plots, as a browser asks
            done = time.perf_counter()
            report.latencies.append(done - began)
            rest = stepped - began - sum(server.values())
            report.phases.append({**server, "rest": rest, "redraw": done - stepped})
            if f"step {report.steps + 1} of" not in json.dumps(shown.get("al-status", {})):
                raise RuntimeError(f"step {press}: the page did not show the new step")
            report.steps += 1
    except Exception as err:  # a load test counts every failure instead of stopping
        report.errors.append(f"{type(err).__name__}: {err}")
    return client


def run_load(
    base: str, sessions: int, steps: int, settings: dict | None = None, upload: Path | None = None
) -> list[SessionReport]:
    """`sessions` users at once, each taking `steps` steps of a campaign with `settings` (on
    their own upload of the file `upload` when given)."""
    reports = [SessionReport() for _ in range(sessions)]
    threads = [
        threading.Thread(target=run_session, args=(base, steps, r, settings, upload))
        for r in reports
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOB_TIMEOUT_SECONDS + 60 * steps)
    return reports


def figures(reports: list[SessionReport]) -> dict:
    """Sessions, steps, errors, the p50/p95 step latency and the slowest Start, in seconds."""
    latencies = sorted(t for r in reports for t in r.latencies)
    starts = [round(r.start_seconds, 2) for r in reports if r.start_seconds is not None]
    uploads = [round(r.upload_seconds, 2) for r in reports if r.upload_seconds is not None]

    def percentile(q: float) -> float | None:
        return (
            round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3)
            if latencies
            else None
        )

    return {
        "sessions": len(reports),
        "steps": sum(r.steps for r in reports),
        "errors": sum(len(r.errors) for r in reports),
        "p50_seconds": percentile(0.50),
        "p95_seconds": percentile(0.95),
        "mean_seconds": round(statistics.mean(latencies), 3) if latencies else None,
        "upload_seconds_max": max(uploads, default=None),
        "start_seconds_max": max(starts, default=None),
        "median_phase_seconds": _median_phases([p for r in reports for p in r.phases]),
    }


def _median_phases(phases: list[dict[str, float]]) -> dict[str, float]:
    """The median of each phase over the steps that report it, in PHASES order."""
    names = [name for name in PHASES if any(name in p for p in phases)]
    return {
        name: round(statistics.median(p[name] for p in phases if name in p), 3) for name in names
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(
    storage: Path, workers: int, port: int | None = None, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`python -m dashboard serve` (gunicorn) on 127.0.0.1 for the duration, with more MI_*
    variables from `env`; yields its URL."""
    port = port or free_port()
    env = {**os.environ, "MI_STORAGE_DIR": str(storage), "MI_WARM_CACHE": "0", **(env or {})}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
