"""Background jobs on Celery: a real redis-server and worker on 127.0.0.1 (conftest.py) run an
upload job."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings

pytestmark = pytest.mark.browser


def test_celery_runs_the_upload_job(dash_duo, redis_url, celery_worker, tmp_path):
    settings = Settings(storage_dir=tmp_path / "storage", redis_url=redis_url)
    app = create_app(settings)
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/data")
    dash_duo.wait_for_element("#data-upload", timeout=20)
    csv = tmp_path / "gaps.csv"
    csv.write_text("formula,gap\nNaCl,8.5\nKBr,7.4\nMgO,7.8\nGaAs,1.42\nSi,1.12\n")
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(csv))
    dash_duo.wait_for_contains_text("#data-upload-message", "Added gaps.csv: 5 rows", timeout=60)
    assert celery_worker.poll() is None, "the Celery worker died"
