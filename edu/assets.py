"""Static files served with content-hashed names, gzip and a year-long cache.

At start-up every file under ``static/`` is read once, hashed and gzipped in memory (the whole folder is a few
tens of KB). Templates link ``asset_url("css/app.css")``, which gives ``/static/css/app.<hash>.css``: a changed
file gets a new name, so browsers may keep each name for a year (``immutable``) and never see a stale file.
The plain names still work (for a page cached before a deploy) with a five-minute cache. In development the
plain names are linked and read from disk, so edits show at once.

Only static files are compressed here. HTML is not: pages carry CSRF tokens beside text a user typed, which
compression would expose to a BREACH-style length attack (docs/decisions.md).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, url_for

YEAR = 365 * 24 * 3600
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain"}


@dataclass(frozen=True)
class Asset:
    name: str  # the plain name, e.g. css/app.css
    hashed_name: str  # css/app.0123456789ab.css
    mimetype: str
    body: bytes
    gzipped: bytes | None
    digest: str


def _hashed(name: str, digest: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def load_assets(folder: Path) -> dict[str, Asset]:
    """Every file under ``folder``, under its plain and its hashed name."""
    assets: dict[str, Asset] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:12]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        gzipped = gzip.compress(body, compresslevel=9, mtime=0) if mimetype in COMPRESSIBLE else None
        if gzipped is not None and len(gzipped) >= len(body):
            gzipped = None
        asset = Asset(name, _hashed(name, digest), mimetype, body, gzipped, digest)
        assets[name] = asset
        assets[asset.hashed_name] = asset
    return assets


def asset_url(name: str) -> str:
    assets: dict[str, Asset] | None = current_app.extensions.get("edu_assets")
    if assets is None or name not in assets:
        return url_for("static", filename=name)
    return url_for("static", filename=assets[name].hashed_name)


def _serve(filename: str):
    asset = current_app.extensions["edu_assets"].get(filename)
    if asset is None:
        abort(404)
    immutable = filename == asset.hashed_name
    use_gzip = asset.gzipped is not None and request.accept_encodings["gzip"] > 0
    response = Response(asset.gzipped if use_gzip else asset.body, mimetype=asset.mimetype)
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable" if immutable else "public, max-age=300"
    response.set_etag(asset.digest + ("-gz" if use_gzip else ""))
    return response.make_conditional(request)


def init_assets(app: Flask) -> None:
    app.add_template_global(asset_url)
    if app.config.get("EDU_RELOAD_CONTENT"):
        return  # development: Flask's own static view, files read from disk on each request
    app.extensions["edu_assets"] = load_assets(Path(app.static_folder))
    app.view_functions["static"] = _serve
