"""The SITE_META setting: defaults merged in and every value checked when the
build starts (see plugin_settings for how problems are reported)."""

from __future__ import annotations

import os
import re

from plugin_settings import PluginSetting

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


def check_settings(settings: dict) -> PluginSetting:
    """SITE_META of Pelican's settings, checked."""
    setting = PluginSetting(settings, "SITE_META", "site_meta", DEFAULTS)
    values = setting.values
    contacts = values["security_contacts"]
    if (
        not _is_list_of_str(contacts)
        or not contacts
        or not all(c.startswith(("mailto:", "https://", "tel:")) for c in contacts)
    ):
        setting.refuse(
            "security_contacts",
            "one or more mailto:, https:// or tel: URIs, such as "
            "['mailto:security@example.org'] (RFC 9116 requires a Contact)",
        )
    setting.whole_number(
        "expires_days",
        1,
        364,
        "a whole number of days from 1 to 364 (RFC 9116: under a year)",
    )
    setting.https_url("security_policy", optional=True)
    languages = values["preferred_languages"]
    if not _is_list_of_str(languages) or not all(
        _LANGUAGE_TAG.match(tag) for tag in languages
    ):
        setting.refuse(
            "preferred_languages", "a list of language tags such as ['en', 'da']"
        )
    disallow = values["robots_disallow"]
    if not _is_list_of_str(disallow) or not all(p.startswith("/") for p in disallow):
        setting.refuse(
            "robots_disallow",
            "a list of URL paths starting with /, such as ['/drafts/']",
        )
    headers = values["headers_file"]
    if headers is not None and not (
        isinstance(headers, str) and os.path.isfile(headers)
    ):
        setting.refuse(
            "headers_file",
            "the path of a _headers file (deploy/_headers) or None",
            problem=f"no such file {headers!r}",
        )
    return setting


def _is_list_of_str(value) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
