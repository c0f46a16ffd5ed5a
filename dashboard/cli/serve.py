"""`serve`: the dashboard behind gunicorn (Flask's server only with --debug); `worker`: Celery."""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys

from gunicorn.app.base import BaseApplication

from dashboard.settings import Settings


def register(commands, bench) -> None:
    defaults = Settings.from_env()
    serve = commands.add_parser("serve", help="run the dashboard web server")
    serve.add_argument(
        "--host", default=defaults.host, help=f"address to listen on (default {defaults.host})"
    )
    serve.add_argument(
        "--port", type=int, default=defaults.port, help=f"port (default {defaults.port})"
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=defaults.workers,
        help=f"gunicorn worker processes (default {defaults.workers})",
    )
    serve.add_argument(
        "--debug",
        action="store_true",
        default=defaults.debug,
        help="Flask development server with reloading (never in production)",
    )
    serve.set_defaults(func=run_serve)

    worker = commands.add_parser(
        "worker", help="run the Celery worker for background jobs (needs MI_REDIS_URL)"
    )
    worker.add_argument(
        "--concurrency",
        type=int,
        default=defaults.workers,
        help=f"parallel jobs (default {defaults.workers})",
    )
    worker.add_argument("--loglevel", default="INFO")
    worker.set_defaults(func=run_worker)


def run_serve(args: argparse.Namespace) -> int:
    """Serve on host:port: gunicorn with N workers, or the Flask debug server; with
    MI_WARM_CACHE, a low-priority process computes the built-in datasets' features meanwhile."""
    settings = dataclasses.replace(
        Settings.from_env(), host=args.host, port=args.port, workers=args.workers, debug=args.debug
    )
    warming = start_warming() if settings.warm_cache else None
    try:
        if settings.debug:
            from dashboard.app import create_app

            create_app(settings).run(host=settings.host, port=settings.port, debug=True)
        else:
            _Gunicorn(settings).run()
    finally:
        if warming is not None and warming.poll() is None:
            warming.terminate()
    return 0


def start_warming() -> subprocess.Popen:
    """`python -m dashboard datasets --warm` at the lowest CPU priority, so that it only takes
    time nobody else wants; it reads the same MI_* environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", "datasets", "--warm"],
        preexec_fn=lambda: os.nice(19),
    )


def run_worker(args: argparse.Namespace) -> int:
    """Start a Celery worker that runs the app's background callbacks."""
    settings = Settings.from_env()
    if not settings.redis_url:
        print("The worker needs a Redis broker: set MI_REDIS_URL, e.g. redis://127.0.0.1:6379/0.")
        return 2
    from dashboard.app import create_app
    from dashboard.jobs import make_manager

    manager = make_manager(settings)
    create_app(settings, manager=manager)
    manager.handle.worker_main(
        [
            "worker",
            f"--loglevel={args.loglevel}",
            f"--concurrency={args.concurrency}",
            "--without-gossip",
            "--without-mingle",
        ]
    )
    return 0


class _Gunicorn(BaseApplication):
    """gunicorn run from Python, each worker building its own app with the same settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"{self.settings.host}:{self.settings.port}")
        self.cfg.set("workers", self.settings.workers)
        self.cfg.set("timeout", 120)
        self.cfg.set("accesslog", "-")

    def load(self):
        from dashboard.app import create_app

        return create_app(self.settings).server
