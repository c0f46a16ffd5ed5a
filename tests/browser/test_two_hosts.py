"""Two web hosts, one state (issue 12, item 5): two `serve` processes on two ports, each with its
own storage folder (nothing shared on disk), one real redis-server as MI_STATE_URL and Celery
broker, one Celery worker. A user's requests alternate between the hosts, as a proxy would send
them (at random); the campaign's steps must follow one another on both."""

from __future__ import annotations

from collections import Counter

from dashboard.loadtest import SessionReport, run_session, served


def test_a_session_alternating_between_two_hosts_steps_consecutively(
    redis_url, start_worker, tmp_path
):
    shared = {"MI_STATE_URL": redis_url, "MI_REDIS_URL": redis_url}
    start_worker(**shared)
    with (
        served(tmp_path / "host-a", workers=1, env=shared) as host_a,
        served(tmp_path / "host-b", workers=1, env=shared) as host_b,
    ):
        report = SessionReport()
        client = run_session([host_a, host_b], steps=6, report=report)
        assert report.errors == [] and report.steps == 6
        steps = Counter(
            base for trigger, base in client.hosts_used if trigger == "al-step.n_clicks"
        )
        assert set(steps) == {host_a, host_b}  # steps taken on both hosts, one after the other
        # the session lives in Redis, not in either host's folder
        assert not (tmp_path / "host-a" / "sessions").exists()
        assert not (tmp_path / "host-b" / "sessions").exists()
