"""Credentials and cookies never follow a redirect to another host, scheme or port (issue 7).

The crawl is given HTTP credentials the Scrapy way, scoped to the site's host
(``HTTPAUTH_USER``, ``HTTPAUTH_PASS``, ``HTTPAUTH_DOMAIN``), and cookies on
(``COOKIES_ENABLED``): the site sets a session cookie on its redirect answers.
What each server received is read from its request log.  A same-origin redirect is the
control: there the credentials and the cookie are expected, which shows the log would see
them anywhere else.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, Hit, html, make_tls, redirect
from tests.hostile.harness import Crawl, crawl

ART = "/news/shownews.php?id={}"
USER, PASSWORD = "editor", "s3cret-pass"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
COOKIE = ("Set-Cookie", "PHPSESSID=c00kie4site; Path=/")


def settings(host: str) -> tuple[str, ...]:
    return (
        "COOKIES_ENABLED=True",
        f"HTTPAUTH_USER={USER}",
        f"HTTPAUTH_PASS={PASSWORD}",
        f"HTTPAUTH_DOMAIN={host}",
        "CONCURRENT_REQUESTS=1",
    )


def secrets(hit: Hit) -> dict[str, str]:
    """The credential headers a request carried."""
    return {k: v for k, v in hit.headers.items() if k in ("authorization", "cookie")}


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory):
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def port_and_scheme(
    tmp_path_factory: pytest.TempPathFactory, tls
) -> tuple[Crawl, FaultServer, FaultServer]:
    """Site A (plain HTTP and TLS on one port) redirects article 1 to another port (server
    B), article 2 to https on its own port, article 3 to itself (the control)."""
    with FaultServer(tls=tls.context) as a, FaultServer() as b:
        a.route(ART.format(1), redirect(b.origin + ART.format(1), headers=(COOKIE,)))
        a.route(ART.format(2), redirect(a.tls_origin + ART.format(2), headers=(COOKIE,)))
        a.route(ART.format(3), redirect(ART.format(3) + "&from=home", headers=(COOKIE,)))
        a.route(ART.format(3) + "&from=home", html(pages.simple_article(3)))
        b.route(ART.format(1), html(pages.simple_article(1)))
        a.route(a.tls_origin + ART.format(2), html(pages.simple_article(2)))
        out = tmp_path_factory.mktemp("creds") / "items.jsonl"
        # Article 3 first, so that the cookie is set before the cross-origin redirects.
        starts = [a.origin + ART.format(i) for i in (3, 1, 2)]
        # Scrapy matches HTTPAUTH_DOMAIN against host:port: credentials for A's port only.
        run = crawl(starts, out, *settings(a.host))
        return run, a, b


def test_credentials_and_cookie_follow_a_same_origin_redirect(port_and_scheme) -> None:
    run, a, _ = port_and_scheme
    followed = [h for h in a.hits if h.target == ART.format(3) + "&from=home"]
    assert [secrets(h) for h in followed] == [
        {"authorization": BASIC, "cookie": "PHPSESSID=c00kie4site"}
    ]
    assert run.returncode == 0, run.tail()


def header_of(hits: list[Hit], name: str) -> dict[str, str | None]:
    """Target -> the value of one request header (None when absent)."""
    return {h.target: h.headers.get(name) for h in hits}


def test_no_authorization_reaches_another_port(port_and_scheme) -> None:
    _, _, b = port_and_scheme
    assert b.targets() == ["/robots.txt", ART.format(1)]
    assert header_of(b.hits, "authorization") == {"/robots.txt": None, ART.format(1): None}


def test_no_cookie_reaches_another_port(port_and_scheme) -> None:
    _, _, b = port_and_scheme
    assert header_of(b.hits, "cookie") == {"/robots.txt": None, ART.format(1): None}


def test_no_authorization_reaches_the_https_side_of_the_same_port(port_and_scheme) -> None:
    _, a, _ = port_and_scheme
    https = [h for h in a.hits if h.scheme == "https"]
    assert header_of(https, "authorization") == {ART.format(2): None}


def test_no_cookie_reaches_the_https_side_of_the_same_port(port_and_scheme) -> None:
    _, a, _ = port_and_scheme
    https = [h for h in a.hits if h.scheme == "https"]
    assert header_of(https, "cookie") == {ART.format(2): None}


def test_the_redirected_articles_are_exported(port_and_scheme) -> None:
    run, a, b = port_and_scheme
    assert sorted(i["url"] for i in run.items) == sorted(
        [
            b.origin + ART.format(1),
            a.tls_origin + ART.format(2),
            a.origin + ART.format(3) + "&from=home",
        ]
    )


def test_nothing_secret_reaches_another_host(tmp_path: Path) -> None:
    """Through the fault server as a proxy: www.yunling.test redirects article 5 to
    other.test; article 6 stays on www (the control)."""
    www, other = "http://www.yunling.test", "http://other.test"
    with FaultServer() as proxy:
        proxy.route(www + ART.format(5), redirect(other + ART.format(5), headers=(COOKIE,)))
        proxy.route(www + ART.format(6), html(pages.simple_article(6), headers=(COOKIE,)))
        proxy.route(other + ART.format(5), html(pages.simple_article(5)))
        env = {"http_proxy": proxy.origin}
        starts = [www + ART.format(6), www + ART.format(5)]
        run = crawl(starts, tmp_path / "items.jsonl", *settings("www.yunling.test"), env=env)
        hits = [h for h in proxy.hits if h.method == "GET"]
    assert run.returncode == 0, run.tail()
    to_other = {h.target: secrets(h) for h in hits if h.host == "other.test"}
    assert to_other == {"/robots.txt": {}, ART.format(5): {}}
    control = [secrets(h) for h in hits if h.host == "www.yunling.test" and "id=5" in h.target]
    assert control == [{"authorization": BASIC, "cookie": "PHPSESSID=c00kie4site"}]
    assert sorted(i["url"] for i in run.items) == [other + ART.format(5), www + ART.format(6)]
