"""The SITE_META setting: defaults merged in and every value checked when the
build starts, each problem reported with the plugin's name and the value's
repr (as pelican-plugins/sitemap does)."""

from __future__ import annotations

import difflib
import os
import re

DEFAULTS = {
    # RFC 9116 Contact lines: mailto:, https: or tel: URIs, most preferred first.
    "security_contacts": (),
    # Expires = build time + this many days; RFC 9116 asks for under a year.
    "expires_days": 180,
    # An https:// page describing how vulnerability reports are handled.
    "security_policy": None,
    "preferred_languages": ("en",),
    # robots.txt Disallow lines (paths starting with /); none: allow all.
    "robots_disallow": (),
    # A Netlify/Cloudflare style _headers file copied to the output root.
    "headers_file": None,
}

_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
PREFIX = "site_meta"


def settings_file(settings) -> str:
    """Where staff change the setting: pelicanconf.py beside content/
    (publishconf.py imports it), for the path of error messages."""
    return os.path.join(
        os.path.dirname(os.path.abspath(settings["PATH"])), "pelicanconf.py"
    )


def _problem(key, message, allowed):
    return (f"SITE_META[{key!r}]", f"{PREFIX}: {message}", allowed)


def check_settings(value) -> tuple[dict, list[tuple[str, str, str]]]:
    """(merged config, problems); each problem is (field, message, allowed)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return dict(DEFAULTS), [
            (
                "SITE_META",
                f"{PREFIX}: the setting must be a dict, not {value!r}",
                "write SITE_META = {'security_contacts': ['mailto:...'], ...}",
            )
        ]
    problems = []
    for key in value:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(str(key), DEFAULTS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                _problem(
                    key,
                    f"unknown key {key!r}",
                    f"{hint}known keys: {', '.join(DEFAULTS)}",
                )
            )
    config = {**DEFAULTS, **value}
    problems += _check_contacts(config["security_contacts"])
    days = config["expires_days"]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 364:
        problems.append(
            _problem(
                "expires_days",
                f"invalid value {days!r}",
                "a whole number of days from 1 to 364 (RFC 9116: under a year)",
            )
        )
    policy = config["security_policy"]
    if policy is not None and not (
        isinstance(policy, str) and policy.startswith("https://")
    ):
        problems.append(
            _problem(
                "security_policy",
                f"invalid value {policy!r}",
                "an https:// URL or None",
            )
        )
    languages = config["preferred_languages"]
    if not _is_list_of_str(languages) or not all(
        _LANGUAGE_TAG.match(tag) for tag in languages
    ):
        problems.append(
            _problem(
                "preferred_languages",
                f"invalid value {languages!r}",
                "a list of language tags such as ['en', 'da']",
            )
        )
    disallow = config["robots_disallow"]
    if not _is_list_of_str(disallow) or not all(p.startswith("/") for p in disallow):
        problems.append(
            _problem(
                "robots_disallow",
                f"invalid value {disallow!r}",
                "a list of URL paths starting with /, such as ['/drafts/']",
            )
        )
    headers = config["headers_file"]
    if headers is not None and not (
        isinstance(headers, str) and os.path.isfile(headers)
    ):
        problems.append(
            _problem(
                "headers_file",
                f"no such file {headers!r}",
                "the path of a _headers file (deploy/_headers) or None",
            )
        )
    return config, problems


def _is_list_of_str(value) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _check_contacts(contacts):
    if (
        not _is_list_of_str(contacts)
        or not contacts
        or not all(c.startswith(("mailto:", "https://", "tel:")) for c in contacts)
    ):
        return [
            _problem(
                "security_contacts",
                f"invalid value {contacts!r}",
                "one or more mailto:, https:// or tel: URIs, such as "
                "['mailto:security@example.org'] (RFC 9116 requires a Contact)",
            )
        ]
    return []
