"""The background-callback manager: on disk (DiskcacheManager) by default, Celery when Redis is set.

Both run the same `background=True` callbacks; the Celery worker (`python -m dashboard worker`)
imports the app so that every background callback is registered as a Celery task.
"""

from __future__ import annotations

import functools
import logging

import dash_bootstrap_components as dbc
from dash import CeleryManager, DiskcacheManager, no_update

from dashboard.settings import Settings

JOB_RESULT_EXPIRE_SECONDS = 3600
log = logging.getLogger(__name__)


def make_manager(settings: Settings) -> DiskcacheManager | CeleryManager:
    """The manager for these settings: Celery on `redis_url` when set, else a disk cache."""
    if settings.redis_url:
        return CeleryManager(make_celery(settings), expire=JOB_RESULT_EXPIRE_SECONDS)
    import diskcache

    cache = diskcache.Cache(str(settings.storage_dir / "jobs"))
    return DiskcacheManager(cache, expire=JOB_RESULT_EXPIRE_SECONDS)


def make_celery(settings: Settings):
    """A Celery app on the configured Redis; JSON messages only, so nothing is ever unpickled."""
    from celery import Celery

    celery_app = Celery("dashboard", broker=settings.redis_url, backend=settings.redis_url)
    celery_app.conf.update(
        accept_content=["json"],
        result_expires=JOB_RESULT_EXPIRE_SECONDS,
        broker_connection_retry_on_startup=True,
    )
    return celery_app


def reports_failures(message_output: int, outputs: int):
    """Wrap a background job so that an unexpected error is logged and shown, never a trace.

    The job's output number `message_output` (of `outputs`) gets an error alert; the others are
    left as they were, so the page stays usable and nothing saved is changed.
    """

    def wrap(job):
        @functools.wraps(job)
        def guarded(*args, **kwargs):
            try:
                return job(*args, **kwargs)
            except Exception as err:  # the job boundary: whatever failed, the user gets a sentence
                log.exception("background job %s failed", job.__name__)
                answer = [no_update] * outputs
                answer[message_output] = dbc.Alert(
                    f"The job failed on the server ({type(err).__name__}): nothing was changed. "
                    "Try again, or with other settings.",
                    color="danger",
                    dismissable=True,
                )
                return tuple(answer)

        return guarded

    return wrap
