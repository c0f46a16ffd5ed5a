"""Every setting of the dashboard, read from environment variables with documented defaults.

README.md lists the same table; keep both in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

ENV_PREFIX = "MI_"


def _cpus() -> int:
    """The CPUs this process may run on (its affinity, else the machine's), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Settings of one dashboard process. `from_env()` reads them; tests build them directly."""

    storage_dir: Path = Path("var/storage")
    """MI_STORAGE_DIR: sessions, uploads, campaigns, caches and background-job results."""
    upload_max_mb: float = 50.0
    """MI_UPLOAD_MAX_MB: largest upload accepted, in megabytes."""
    upload_max_rows: int = 200_000
    """MI_UPLOAD_MAX_ROWS: most data rows an uploaded table may have."""
    upload_max_columns: int = 2_000
    """MI_UPLOAD_MAX_COLUMNS: most columns an uploaded table may have."""
    upload_max_cells: int = 5_000_000
    """MI_UPLOAD_MAX_CELLS: most cells (rows x columns) an uploaded table may have."""
    max_jobs: int = _cpus()
    """MI_MAX_JOBS: most heavy background jobs (uploads, trainings, campaign runs) at once on this
    host, across all processes; a job beyond them is queued. At least 1."""
    job_wait_seconds: float = 300.0
    """MI_JOB_WAIT_SECONDS: how long a queued job waits for a free slot before it gives up."""
    job_heartbeat_seconds: float = 30.0
    """MI_JOB_HEARTBEAT_SECONDS: on Celery, a started job not heard from for this long is reported
    to its page as failed (its worker died); it beats several times within it (job_heartbeat.py)."""
    session_ttl_hours: float = 72.0
    """MI_SESSION_TTL_HOURS: a session idle this long is deleted with its data."""
    secret_key: str = field(default="", repr=False)
    """MI_SECRET_KEY: the server key that signs each session's cookie; when empty, one is made
    and kept in MI_STORAGE_DIR/secret.key. Left out of repr so that logs never show it."""
    redis_url: str = ""
    """MI_REDIS_URL: when set, background jobs run on Celery with this Redis broker."""
    state_url: str = ""
    """MI_STATE_URL: when set (redis://...), sessions, uploads and campaigns live in this Redis
    instead of MI_STORAGE_DIR, so several hosts serve the same sessions (dashboard/redis_store.py)."""
    data_dir: Path | None = None
    """MI_DATA_DIR: a folder whose CSV files are offered as extra datasets to every session."""
    host: str = "127.0.0.1"
    """MI_HOST: address `serve` listens on."""
    port: int = 8050
    """MI_PORT: port `serve` listens on."""
    workers: int = 2
    """MI_WORKERS: gunicorn worker processes of `serve`."""
    debug: bool = False
    """MI_DEBUG: Flask development server with reloading and Dash dev tools (never in production)."""
    warm_cache: bool = True
    """MI_WARM_CACHE: `serve` computes the built-in datasets' features in a background process."""
    warm_campaigns: int = 4
    """MI_WARM_CAMPAIGNS: live campaigns each server process keeps between Steps (dashboard/warm.py),
    so that a Step need not reread the features and rebuild the model; 0 keeps none."""

    @property
    def cache_dir(self) -> Path:
        """Shared cache of features and models, keyed by content hashes."""
        return self.storage_dir / "cache"

    @property
    def upload_max_bytes(self) -> int:
        return int(self.upload_max_mb * 1024 * 1024)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from MI_* environment variables; unset ones keep their defaults."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(f.name, raw, cls.__dataclass_fields__[f.name].default)
        return cls(**values)


def _parse(name: str, raw: str, default: object) -> object:
    """Convert one environment string to the type of the setting's default."""
    try:
        if isinstance(default, bool):
            if raw.lower() not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, Path) or name.endswith("_dir"):
            return Path(raw).expanduser()
        return raw
    except ValueError as err:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid value") from err
