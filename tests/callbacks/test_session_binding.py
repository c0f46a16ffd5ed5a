"""Sessions bound to their browser: a stolen session id without its HttpOnly cookie gets nothing,
and a POST from another site changes nothing (callbacks posted through Flask's test client)."""

from __future__ import annotations

import pytest

from dashboard import catalog, runtime, sessions
from dashboard.app import create_app
from dashboard.pages.data.upload import receive_upload
from dashboard.settings import Settings
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import GOOD_CSV

pytestmark = pytest.mark.both_stores

ROUTE = "/_dash-update-component"


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(storage_dir=tmp_path / "storage", warm_cache=False))


def callback_body(client, trigger: str, values: dict[str, object]) -> dict:
    """What the browser posts for the callback fired by `trigger` ("id.prop"), with `values` for
    its inputs and state by "id.prop" (None for the rest)."""
    callback = next(
        c
        for c in client.get("/_dash-dependencies").get_json()
        if not c["clientside_function"]
        and any(f"{i['id']}.{i['property']}" == trigger for i in c["inputs"])
    )

    def value(dependency: dict) -> dict:
        key = f"{dependency['id']}.{dependency['property']}"
        return {**dependency, "value": values.get(key)}

    def output(name: str) -> dict:
        component, prop = name.rsplit(".", 1)
        return {"id": component, "property": prop}

    many = callback["output"].startswith("..")  # "..a.b...c.d.." for a callback of two outputs
    names = callback["output"].strip(".").split("...") if many else [callback["output"]]
    return {
        "output": callback["output"],
        "outputs": [output(n) for n in names] if many else output(names[0]),
        "inputs": [value(i) for i in callback["inputs"]],
        "state": [value(s) for s in callback["state"]],
        "changedPropIds": [trigger],
    }


def open_session(client, sid: str | None = None, **headers):
    """The page's first callback: the session id for `sid` (None on a first visit)."""
    body = callback_body(client, "url.pathname", {"session-id.data": sid})
    return client.post(ROUTE, json=body, headers=headers)


def new_session(client) -> str:
    return open_session(client).get_json()["response"]["session-id"]["data"]


@pytest.fixture
def owner(app):
    """A browser with a session holding one uploaded dataset: (client, sid, dataset key)."""
    client = app.server.test_client()
    sid = new_session(client)
    _message, key = receive_upload(data_url(GOOD_CSV), "mine.csv", sid)
    return client, sid, catalog.UPLOAD + key


def remove(client, sid: str, key: str, **headers):
    """Press Remove on the Data page for dataset `key` of session `sid`, and confirm."""
    trigger = "data-remove-confirm.submit_n_clicks"
    values = {trigger: 1, "data-picker.value": key, "session-id.data": sid}
    body = callback_body(client, trigger, values)
    return client.post(ROUTE, json=body, headers=headers)


def datasets(sid: str) -> list[str]:
    return [d["key"] for d in runtime.current().store.list_datasets(sid)]


def set_cookie(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(sessions.COOKIE)]
    return header


def test_a_new_session_comes_with_its_token_in_an_httponly_samesite_strict_cookie(app):
    response = open_session(app.server.test_client())
    sid = response.get_json()["response"]["session-id"]["data"]
    cookie = set_cookie(response)
    secret = sessions.token(app.server.config["SECRET_KEY"], sid)
    assert cookie.startswith(f"{sessions.COOKIE}={secret};")
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= set(cookie.split("; "))
    assert "Secure" not in cookie.split("; ")  # plain http: a Secure cookie would never return
    assert secret not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("base_url", "headers"),
    [("https://localhost", {}), ("http://localhost", {"X-Forwarded-Proto": "https"})],
)
def test_the_cookie_is_secure_when_the_page_is_served_over_https(app, base_url, headers):
    client = app.server.test_client()
    body = callback_body(client, "url.pathname", {})
    response = client.post(ROUTE, json=body, base_url=base_url, headers=headers)
    assert "Secure" in set_cookie(response).split("; ")


def test_the_owner_with_the_cookie_keeps_the_session_and_can_remove_a_dataset(app, owner):
    client, sid, key = owner
    reload = open_session(client, sid)
    assert reload.get_json()["response"] == {}  # the same id: nothing to update
    secret = sessions.token(app.server.config["SECRET_KEY"], sid)
    assert set_cookie(reload).startswith(f"{sessions.COOKIE}={secret};")  # renewed
    answer = remove(client, sid, key)
    assert answer.status_code == 200 and "data-refresh" in answer.get_json()["response"]
    assert datasets(sid) == []


def test_a_second_client_with_the_stolen_id_but_no_cookie_is_refused_and_removes_nothing(
    app, owner
):
    _client, sid, key = owner
    thief = app.server.test_client()
    answer = remove(thief, sid, key)
    assert answer.status_code == 403 and "another browser" in answer.get_data(as_text=True)
    assert datasets(sid) == [key.removeprefix(catalog.UPLOAD)]


def test_a_second_client_with_a_cookie_of_its_own_session_is_refused_too(app, owner):
    _client, sid, key = owner
    thief = app.server.test_client()
    new_session(thief)
    assert remove(thief, sid, key).status_code == 403
    assert datasets(sid) == [key.removeprefix(catalog.UPLOAD)]


def test_a_stolen_id_downloads_nothing(app, owner):
    _client, sid, key = owner
    values = {"data-download-button.n_clicks": 1, "data-picker.value": key, "session-id.data": sid}
    thief = app.server.test_client()
    answer = thief.post(ROUTE, json=callback_body(thief, "data-download-button.n_clicks", values))
    assert answer.status_code == 403 and "NaCl" not in answer.get_data(as_text=True)


def test_a_stolen_id_on_page_load_gets_a_new_empty_session_not_the_owners(app, owner):
    _client, sid, key = owner
    thief = app.server.test_client()
    answer = open_session(thief, sid)
    given = answer.get_json()["response"]["session-id"]["data"]
    assert given != sid and datasets(given) == []
    assert set_cookie(answer).startswith(
        f"{sessions.COOKIE}={sessions.token(app.server.config['SECRET_KEY'], given)};"
    )
    assert datasets(sid) == [key.removeprefix(catalog.UPLOAD)]


def test_a_post_from_another_site_is_refused_even_with_the_owners_cookie(owner):
    client, sid, key = owner
    answer = remove(client, sid, key, Origin="https://evil.example")
    assert answer.status_code == 403
    assert datasets(sid) == [key.removeprefix(catalog.UPLOAD)]


def test_a_cross_site_post_without_a_cookie_makes_no_session(app):
    sessions_dir = runtime.current().store.root / "sessions"
    before = set(sessions_dir.iterdir()) if sessions_dir.exists() else set()
    answer = open_session(app.server.test_client(), Origin="https://evil.example")
    assert answer.status_code == 403 and "Set-Cookie" not in answer.headers
    assert (set(sessions_dir.iterdir()) if sessions_dir.exists() else set()) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://localhost"},
        {"Origin": "https://mi.example.org", "X-Forwarded-Host": "mi.example.org"},
    ],
)
def test_a_post_from_the_pages_own_origin_or_its_proxy_is_accepted(owner, headers):
    client, sid, key = owner
    assert remove(client, sid, key, **headers).status_code == 200
    assert datasets(sid) == []


def test_named_sessions_reads_the_store_in_inputs_state_and_pattern_groups():
    store = {"id": "session-id", "property": "data"}
    body = {
        "inputs": [{**store, "value": "a"}, [{"id": {"type": "session-id"}, "value": "x"}]],
        "state": [[{**store, "value": "b"}], {**store, "value": None}],
    }
    assert sorted(sessions.named_sessions(body)) == ["a", "b"]


def test_the_server_key_is_made_once_private_to_the_owner_and_kept(tmp_path):
    settings = Settings(storage_dir=tmp_path)
    first = sessions.server_key(settings)
    assert len(first) == 64 and sessions.server_key(settings) == first
    assert (tmp_path / sessions.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [sessions.KEY_FILE]  # no staging file left


def test_mi_secret_key_is_the_server_key_and_stays_out_of_the_settings_repr(tmp_path):
    settings = Settings.from_env({"MI_SECRET_KEY": "s3cret", "MI_STORAGE_DIR": str(tmp_path)})
    assert sessions.server_key(settings) == b"s3cret"
    assert not (tmp_path / sessions.KEY_FILE).exists()
    assert "s3cret" not in repr(settings)
