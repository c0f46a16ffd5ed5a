"""The background-callback manager: on disk (DiskcacheManager) by default, Celery when Redis is set.

Both run the same `background=True` callbacks; the Celery worker (`python -m dashboard worker`)
imports the app so that every background callback is registered as a Celery task.
"""

from __future__ import annotations

from dash import CeleryManager, DiskcacheManager

from dashboard.settings import Settings

JOB_RESULT_EXPIRE_SECONDS = 3600


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
