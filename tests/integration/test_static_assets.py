"""Static files: hashed names, gzip, a year of cache; the client's address behind a trusted proxy."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_test_app

STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def test_pages_link_hashed_static_files_served_gzipped_with_a_year_of_cache(client):
    links = STATIC_LINK.findall(client.get("/").text)
    assert {re.sub(r"\.[0-9a-f]{12}\.", ".", link) for link in links} >= {
        "/static/css/app.css", "/static/js/app.js", "/static/js/quick-exit.js", "/static/favicon.svg"}
    for link in links:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", link), link
        response = client.get(link, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in response.headers["Vary"]


def test_static_links_follow_the_prefix_the_app_is_mounted_under(app, client):
    """Asset URLs are built once per mount prefix: an absolute URL built outside a request, or one under another
    prefix, never turns up on a page."""
    from edu.assets import asset_url

    with app.app_context():
        outside = asset_url("css/app.css")
    assert outside.startswith("http://localhost/static/css/app.")
    plain = STATIC_LINK.findall(client.get("/").text)
    mounted = re.findall(r'(?:href|src)="(/school/static/[^"]+)"',
                         client.get("/", environ_overrides={"SCRIPT_NAME": "/school"}).text)
    again = STATIC_LINK.findall(client.get("/").text)
    assert plain == again and plain and all(link.startswith("/static/") for link in plain)
    assert mounted == ["/school" + link for link in plain]


def test_static_files_unzipped_for_clients_without_gzip_and_by_plain_name(client):
    css = client.get("/static/css/app.css")
    assert css.status_code == 200 and "Content-Encoding" not in css.headers
    assert css.headers["Cache-Control"] == "public, max-age=300"
    assert b":root" in css.data
    hashed = next(link for link in STATIC_LINK.findall(client.get("/").text) if link.endswith(".css"))
    plain = client.get(hashed)
    assert plain.data == css.data
    again = client.get(hashed, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/static/css/nothing.css").status_code == 404


def test_development_links_plain_names_read_from_disk(database_url):
    app = make_test_app(database_url, EDU_RELOAD_CONTENT=True)
    client = app.test_client()
    links = STATIC_LINK.findall(client.get("/").text)
    assert "/static/css/app.css" in links
    assert client.get("/static/css/app.css").status_code == 200


def failed_signins(client, address: str, times: int) -> list[int]:
    return [client.post("/signin", data={"email": f"nobody{i}@school.test", "password": "wrong password 1"},
                        headers={"X-Forwarded-For": address}).status_code for i in range(times)]


@pytest.mark.parametrize("proxies", [0, 1])
def test_rate_limits_count_the_client_address_only_behind_a_trusted_proxy(database_url, proxies):
    from edu.extensions import limiter

    app = make_test_app(database_url, EDU_TRUSTED_PROXIES=proxies, EDU_SIGNIN_IP_LIMIT="3 per minute")
    limiter.reset()
    client = app.test_client()
    assert failed_signins(client, "203.0.113.5", 4)[-1] == 429
    other_address = failed_signins(client, "198.51.100.7", 1)[0]
    # Trusted: the other school's address has its own limit. Not trusted: X-Forwarded-For is ignored (anyone
    # can forge it), so every request comes from the proxy's one address.
    assert (other_address == 429) is (not proxies), other_address
    limiter.reset()
