"""The page as the server sends it: every page comes with its static first screen (navbar and
heading, before any script runs), Dash's root and the lighter script list."""

from __future__ import annotations

import re

import dash
import pytest

from dashboard.app import create_app
from dashboard.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    storage = tmp_path_factory.mktemp("index") / "storage"
    return create_app(Settings(storage_dir=storage, warm_cache=False)).server.test_client()


def test_every_page_is_sent_with_its_heading_and_navbar_before_any_script(client):
    for page in dash.page_registry.values():
        sent = client.get(page["path"]).get_data(as_text=True)
        frame = sent.index('<div class="mi-first-screen">')
        entry = sent.index('id="react-entry-point"')
        assert frame < entry and "<script" not in sent[frame:entry]
        heading = re.search(r"<h1[^>]*>([^<]+)</h1>", sent[frame:])
        assert heading, f"no heading in the first screen of {page['path']}"
        active = re.search(r'class="nav-link active" href="([^"]+)"', sent)
        assert active and active.group(1) == page["path"]


def test_the_first_screen_repeats_no_id_of_dashs_page(client):
    sent = client.get("/active-learning").get_data(as_text=True)
    frame = sent[: sent.index('id="react-entry-point"')]
    assert ' id="' not in frame.split('<div class="mi-first-screen">', 1)[1]


def test_the_page_loads_the_regenerator_runtime_not_babels_polyfill(client):
    sent = client.get("/").get_data(as_text=True)
    assert "polyfill@7" not in sent
    assert 'src="/assets/vendor/regenerator-runtime-0.14.1.js"' in sent
    assert "<script src=" not in sent, "every script waits for the first paint"
    assert client.get("/assets/vendor/regenerator-runtime-0.14.1.js").status_code == 200


def test_an_unknown_path_is_sent_with_the_navbar_only(client):
    sent = client.get("/no-such-page").get_data(as_text=True)
    assert '<div class="mi-first-screen">' in sent
    assert "nav-link active" not in sent
