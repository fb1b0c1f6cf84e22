"""The pure parts of `invoke audit` and `invoke screenshots` (tests/audit.py):
the report read from a saved real Lighthouse result, the page of each type,
the options and what it says when tools are missing. Nothing here runs
Lighthouse, nginx or a browser: those are reports, not tests.

tests/data/lighthouse-home-mobile.json is a real Lighthouse 12.8.2 result of
the home page as a phone (production build, deploy/nginx.conf), trimmed with
audit.trim to what the report reads.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import audit
from tooling import CHROMIUM_ARGS, SITE_HOST, NginxServer

SAVED = Path(__file__).parent / "data" / "lighthouse-home-mobile.json"


@pytest.fixture
def lhr() -> dict:
    return json.loads(SAVED.read_text(encoding="utf-8"))


def test_the_saved_result_is_real_and_small(lhr):
    assert lhr["lighthouseVersion"] == audit.LIGHTHOUSE_VERSION
    assert lhr["requestedUrl"] == f"https://{SITE_HOST}/"
    assert set(lhr["categories"]) == set(audit.CATEGORIES)
    assert SAVED.stat().st_size < 50_000
    assert audit.trim(lhr) == lhr  # trimmed already: nothing more to cut


def test_report_of_the_saved_result(lhr):
    result = audit.read_lighthouse("home", "/", lhr)
    assert result.form_factor == "mobile"
    assert result.scores == {
        name: round(lhr["categories"][name]["score"] * 100) for name in audit.CATEGORIES
    }
    assert result.scores == {
        "performance": 99,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }
    # Performance lost one point to Total Blocking Time (weight 30 of 100,
    # score 0.96); weighed audits that scored 1 cost nothing.
    [loss] = result.losses
    assert (loss.category, loss.id) == ("performance", "total-blocking-time")
    assert loss.points == pytest.approx(1.2)

    assert audit.table([result]).splitlines() == [
        f"Lighthouse 12.8.2 on https://{SITE_HOST} (deploy/nginx.conf); scores 0-100",
        "",
        "Type  URL  Form factor  Perf  A11y  Best pr.  SEO",
        "----  ---  -----------  ----  ----  --------  ---",
        "home  /    mobile         99   100       100  100",
        "",
        "What cost points:",
        "",
        "home mobile (/)",
        "  Perf 99:",
        "    total-blocking-time: Total Blocking Time (130\xa0ms), -1.2 points",
    ]


def test_trimming_keeps_the_report(lhr):
    """trim drops what the report never reads: the report stays the same."""
    full = copy.deepcopy(lhr)
    full["audits"]["unweighed"] = {"id": "unweighed", "title": "x", "score": 0}
    full["categories"]["seo"]["auditRefs"].append({"id": "unweighed", "weight": 0})
    full["audits"]["total-blocking-time"]["details"] = {
        "type": "table",
        "items": [{"url": "https://example.org/a.js", "wastedMs": 50}],
    }
    trimmed = audit.trim(full)
    assert "unweighed" not in trimmed["audits"]
    assert trimmed["audits"]["total-blocking-time"]["details"] == {
        "items": [{"url": "https://example.org/a.js"}]
    }
    assert audit.read_lighthouse("home", "/", trimmed) == audit.read_lighthouse(
        "home", "/", full
    )


def test_costly_audits_list_three_places_each(lhr):
    lhr["categories"]["accessibility"]["score"] = 0.93
    contrast = lhr["audits"]["color-contrast"]
    contrast["score"] = 0
    contrast["details"] = {
        "items": [{"node": {"selector": f"main > p:nth-child({i})"}} for i in range(5)]
    }
    lhr["categories"]["seo"]["score"] = 0.92
    lhr["audits"]["link-text"]["score"] = 0
    lhr["audits"]["link-text"]["displayValue"] = "1 link found"
    lhr["audits"]["link-text"]["details"] = {"items": [{"href": "/news/"}]}

    report = audit.table([audit.read_lighthouse("home", "/", lhr)])
    weight = next(
        ref["weight"]
        for ref in lhr["categories"]["accessibility"]["auditRefs"]
        if ref["id"] == "color-contrast"
    )
    total = sum(r["weight"] for r in lhr["categories"]["accessibility"]["auditRefs"])
    title = contrast["title"]
    assert (
        f"  A11y 93:\n    color-contrast: {title}, -{weight / total * 100:.1f} points\n"
        "      main > p:nth-child(0)\n"
        "      main > p:nth-child(1)\n"
        "      main > p:nth-child(2)\n"
        "      and 2 more\n"
    ) in report
    assert "  SEO 92:\n    link-text: " in report
    assert "(1 link found)" in report and "      /news/" in report
    # In the order of the table's columns: Perf, A11y, Best pr., SEO.
    assert report.index("Perf 99") < report.index("A11y 93") < report.index("SEO 92")


def test_a_page_lighthouse_failed_on_shows_why(lhr):
    broken = {
        "configSettings": {"formFactor": "desktop"},
        "runtimeError": {"code": "NO_NAVSTART", "message": "No navstart event."},
        "categories": {},
        "audits": {},
    }
    failed = audit.read_lighthouse("feeds", "/feeds/", broken)
    assert failed.error == "NO_NAVSTART: No navstart event."
    assert set(failed.scores.values()) == {None}
    report = audit.table([audit.read_lighthouse("home", "/", lhr), failed])
    assert report.splitlines()[5] == (
        "feeds  /feeds/  desktop         -     -         -    -"
    )
    assert "\n\nWhat cost points (and what failed):\n" in report
    assert "feeds desktop (/feeds/)\n  Lighthouse failed twice: NO_NAVSTART" in report


def test_every_page_type_is_a_page_of_the_production_build(production_site):
    pages = audit.resolve_pages(production_site.root, list(audit.PAGE_TYPES))
    assert list(pages) == list(audit.PAGE_TYPES)
    assert len(set(pages.values())) == len(pages)
    for page_type, path in pages.items():
        assert production_site.path(path).is_file(), (page_type, path)
    # The fixed ones as the issue names them; the others the first by name.
    assert pages["home"] == "/" and pages["members"] == "/members/"
    assert pages["listing"] == "/news/" and pages["feeds"] == "/feeds/"
    assert pages["page"] == "/about/"
    for page_type, folder in (
        ("article", "news"),
        ("showcase", "showcases"),
        ("event", "events"),
        ("programme", "programmes"),
        ("member", "members"),
    ):
        first = min(
            child.name
            for child in (production_site.root / folder).iterdir()
            if (child / "index.html").is_file()
        )
        assert pages[page_type] == f"/{folder}/{first}/"
    assert pages["article"] != "/news/page/"  # the listing's second page


def test_a_missing_page_type_is_named(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (tmp_path / "news" / "page" / "2").mkdir(parents=True)
    (tmp_path / "news" / "page" / "2" / "index.html").write_text("", "utf-8")
    with pytest.raises(LookupError) as raised:
        audit.resolve_pages(tmp_path, ["home", "article", "feeds"])
    message = str(raised.value)
    assert "article (no /news/<name>/)" in message and "feeds (/feeds/)" in message
    assert "home" not in message


def test_every_missing_tool_is_named_at_once_with_the_apt_get_line():
    tools = ["node", "npm", "chromium", "nginx", "openssl"]
    message = audit.missing_tools(tools, which=lambda *_: None)
    for tool in tools:
        assert tool in message
    assert "sudo apt-get install nodejs npm chromium nginx-light openssl" in message
    found = audit.missing_tools(tools, which=lambda name, *_: name != "openssl")
    assert found.endswith("sudo apt-get install openssl")
    assert audit.missing_tools(tools, which=lambda *_: "/usr/bin/x") == ""


def test_chromium_reaches_only_the_local_nginx_as_the_real_host(tmp_path):
    args = audit.chrome_args(NginxServer(8080, 8443, tmp_path))
    rules = [arg for arg in args if arg.startswith("--host-resolver-rules=")]
    assert rules == [
        f"--host-resolver-rules=MAP {SITE_HOST}:443 127.0.0.1:8443, "
        f"MAP {SITE_HOST}:80 127.0.0.1:8080, MAP * ~NOTFOUND"
    ]
    others = [arg for arg in CHROMIUM_ARGS if not arg.startswith("--host-resolver")]
    assert [arg for arg in args if arg not in rules] == others


@pytest.mark.parametrize("command", [[], ["screenshots"]])
def test_an_unknown_page_type_is_refused_before_anything_runs(command, capsys):
    with pytest.raises(SystemExit) as exited:
        audit.main([*command, "--pages=home,gallery"])
    assert exited.value.code == 2
    assert "unknown page type gallery" in capsys.readouterr().err
