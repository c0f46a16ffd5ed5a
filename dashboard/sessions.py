"""Sessions bound to the browser that owns them.

The session id in the page's local storage is only a name: page scripts can read it and it travels
in every callback body. What proves ownership is a secret the scripts never see: the token
HMAC-SHA256(server key, id) in an HttpOnly, SameSite=Strict cookie. A hook in front of Dash's
callback route refuses (403) a callback that names a session without its cookie, and any POST
whose Origin is another site, so a stolen id gets nothing and a cross-site POST changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dash
import flask
from dash import Dash

from dashboard import runtime
from dashboard.settings import Settings

COOKIE = "mi_session"
STORE_ID = "session-id"
"""The dcc.Store that holds the visible session id (see dashboard/shell.py)."""
ENSURE_OUTPUT = f"{STORE_ID}.data"
"""The callback that gives out session ids; it checks the cookie itself and, on a mismatch,
makes a new session instead of being refused."""
KEY_FILE = "secret.key"
COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600
"""As long as browsers keep a cookie (Chrome's cap), renewed on every page load: the server's
expiry of idle sessions is what ends a session, as the id in local storage has no end either."""
REFUSED = "This session belongs to another browser: reload the page to start your own."


def server_key(settings: Settings) -> bytes:
    """MI_SECRET_KEY when set; with MI_STATE_URL, one key made once in that store for every host;
    else a random key kept in the storage folder (mode 0600), made once and published atomically
    so that every gunicorn worker reads the same one."""
    if settings.secret_key:
        return settings.secret_key.encode()
    if settings.state_url:
        return runtime.current().store.server_key()
    path = settings.storage_dir / KEY_FILE
    if not path.exists():
        _publish_new_key(path)
    return path.read_bytes().strip()


def _publish_new_key(path: Path) -> None:
    """Write a fresh key under a temporary name (mkstemp makes it 0600), then link it into place:
    when another process got there first, the link fails and its key stays."""
    handle, staging = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(secrets.token_hex(32))
        os.link(staging, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(staging)


def token(key: bytes, sid: str) -> str:
    """The cookie that proves ownership of session `sid`: HMAC-SHA256 of the id under the key."""
    return hmac.new(key, sid.encode(), hashlib.sha256).hexdigest()


def owns(sid: object) -> bool:
    """True when this request's cookie is the token of `sid` (always False for a missing id)."""
    if not isinstance(sid, str):
        return False
    cookie = flask.request.cookies.get(COOKIE, "")
    expected = token(flask.current_app.config["SECRET_KEY"], sid)
    return hmac.compare_digest(cookie.encode(), expected.encode())


def bind(sid: str) -> None:
    """Set the cookie of `sid` on the current callback's response."""
    dash.ctx.response.set_cookie(
        COOKIE,
        token(flask.current_app.config["SECRET_KEY"], sid),
        max_age=COOKIE_MAX_AGE_SECONDS,
        path=dash.get_app().config.requests_pathname_prefix,
        secure=_https(),
        httponly=True,
        samesite="Strict",
    )


def _https() -> bool:
    """The page was asked for over HTTPS, directly or through a TLS-terminating proxy."""
    forwarded = flask.request.headers.get("X-Forwarded-Proto", "")
    return flask.request.is_secure or forwarded.split(",")[0].strip().lower() == "https"


def install(app: Dash, settings: Settings) -> None:
    """Give the app its server key and put the ownership and same-site checks before every
    request."""
    app.server.config["SECRET_KEY"] = server_key(settings)
    callback_path = app.config.routes_pathname_prefix + "_dash-update-component"

    def guard() -> flask.Response | None:
        if flask.request.method != "POST":
            return None
        if cross_site(flask.request) or (
            flask.request.path == callback_path and not _owned(flask.request.get_json(silent=True))
        ):
            return flask.Response(REFUSED, status=403, mimetype="text/plain")
        return None

    app.server.before_request(guard)


def cross_site(request: flask.Request) -> bool:
    """True when the request names an Origin whose host is not the one it was sent to (or to
    the proxy in front, X-Forwarded-Host). Browsers send an Origin with every POST; one without
    it still needs the session's cookie, which SameSite=Strict keeps from other sites."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    forwarded = request.headers.get("X-Forwarded-Host", "").split(",")
    hosts = {request.host.lower()} | {h.strip().lower() for h in forwarded if h.strip()}
    return urlsplit(origin).netloc.lower() not in hosts


def _owned(body: object) -> bool:
    """Every session a callback body names is this browser's own (the id-giving callback aside)."""
    if not isinstance(body, dict) or body.get("output") == ENSURE_OUTPUT:
        return True
    return all(owns(sid) for sid in named_sessions(body))


def named_sessions(body: dict) -> list[object]:
    """The values of the session-id store among a callback body's inputs and state (nested
    lists are pattern-matching groups; their dict ids are never the store)."""
    found, pending = [], [body.get("inputs"), body.get("state")]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        elif (
            isinstance(item, dict) and item.get("id") == STORE_ID and item.get("value") is not None
        ):
            found.append(item["value"])
    return found
