"""The settings staff edit in pelicanconf.py that the theme shows: the
mailboxes (CONTACTS), the social links (SOCIAL_LINKS), the newsletter form
(NEWSLETTER) and the partners and funders (PARTNERS). Each is checked when
the build starts, and a problem names pelicanconf.py and the key, like any
other settings problem, so that "info at ..." never becomes a mailto link
and a mistyped network is not reported against the theme's strings."""

from __future__ import annotations

import difflib
import re

import build_errors
from plugin_settings import settings_file

# Mailboxes the templates show: the footer and structured data (general),
# the press contact of the feeds page and the home page (press).
NEEDED_CONTACTS = ("general", "press")
_FORM_FIELD = re.compile(r"[A-Za-z0-9_.\-\[\]]+")
# A partner's fields (the home page names them, About says what they do).
PARTNER_ROLES = ("funder", "partner")
PARTNER_KEYS = ("name", "role", "website", "about")
PARTNER_ABOUT_MAX = 160


def _hint(value, known) -> str:
    """'did you mean 'x'? ' for the closest of ``known``, or ''."""
    close = difflib.get_close_matches(str(value), known, n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def check(settings: dict, strings) -> None:
    """Report every problem of CONTACTS, SOCIAL_LINKS, NEWSLETTER and
    PARTNERS."""
    from content_model.urls import web_address_parts
    from content_model.validate import EMAIL_ADDRESS

    path = settings_file(settings)

    def problem(field: str, message: str, allowed: str) -> None:
        build_errors.report(path, None, field, message, allowed)

    def web_address(field: str, value) -> None:
        found = web_address_parts(value) if isinstance(value, str) else None
        if not isinstance(value, str) or found:
            message, allowed = found or (f"{value!r} is not text", "")
            problem(field, message, allowed or "write the address with https://")
        elif not value.startswith("https://"):
            problem(
                field,
                f"{value!r} does not start with https://",
                "use its https:// address",
            )

    contacts = settings.get("CONTACTS")
    if not isinstance(contacts, dict):
        problem(
            "CONTACTS",
            f"must be a dict, not {contacts!r}",
            "write CONTACTS = {'general': {'email': 'info@example.dk'}, ...}",
        )
        contacts = {}
    for name in NEEDED_CONTACTS:
        if name not in contacts:
            problem(
                f"CONTACTS[{name!r}]",
                "is missing: the site shows this mailbox",
                f"add {name!r}: {{'email': 'name@example.dk'}}",
            )
    for name, contact in contacts.items():
        email = contact.get("email") if isinstance(contact, dict) else None
        if not isinstance(email, str) or not EMAIL_ADDRESS.fullmatch(email):
            problem(
                f"CONTACTS[{name!r}]['email']",
                f"{email!r} is not an e-mail address",
                "write one address, such as info@interactivedenmark.dk",
            )

    networks = sorted(key for key in strings.table if key.startswith("social_"))
    links = settings.get("SOCIAL_LINKS")
    if not isinstance(links, list | tuple):
        problem(
            "SOCIAL_LINKS",
            f"must be a list of (network, address) pairs, not {links!r}",
            "write SOCIAL_LINKS = (('social_linkedin', 'https://...'), ...)",
        )
        links = ()
    for number, link in enumerate(links):
        field = f"SOCIAL_LINKS[{number}]"
        if not (isinstance(link, list | tuple) and len(link) == 2):
            problem(
                field,
                f"{link!r} is not a (network, address) pair",
                "write ('social_linkedin', 'https://...')",
            )
            continue
        key, address = link
        if key not in networks:
            problem(
                field,
                f"{key!r} is not a network the site names",
                f"{_hint(key, networks)}use one of {', '.join(networks)} (the "
                "names are in theme/strings.yaml)",
            )
        web_address(f"{field} address", address)

    check_partners(settings.get("PARTNERS", ()), problem, web_address)

    newsletter = settings.get("NEWSLETTER")
    if not isinstance(newsletter, dict):
        problem(
            "NEWSLETTER",
            f"must be a dict, not {newsletter!r}",
            "write NEWSLETTER = {'action': 'https://...', 'email_field': 'EMAIL', "
            "'hidden_fields': {}}",
        )
        return
    web_address("NEWSLETTER['action']", newsletter.get("action"))
    field = newsletter.get("email_field")
    if not isinstance(field, str) or not _FORM_FIELD.fullmatch(field):
        problem(
            "NEWSLETTER['email_field']",
            f"{field!r} is not the name of a form field",
            "copy the name of the e-mail field from the provider's embed code, "
            "such as EMAIL",
        )
    hidden = newsletter.get("hidden_fields", {})
    if not isinstance(hidden, dict) or not all(
        isinstance(k, str) and _FORM_FIELD.fullmatch(k) and isinstance(v, str)
        for k, v in hidden.items()
    ):
        problem(
            "NEWSLETTER['hidden_fields']",
            f"{hidden!r} is not a set of form fields",
            "write {'name': 'value', ...} as in the provider's embed code, or {}",
        )


def check_partners(partners, problem, web_address) -> None:
    """PARTNERS: each a dict of a name, its role (funder or partner), its
    https:// website (optional) and a line on what it does with us."""
    example = (
        "write {'name': 'Name of the organisation', 'role': 'funder', "
        "'website': 'https://...', 'about': 'What it does with us.'}"
    )
    if not isinstance(partners, list | tuple):
        problem("PARTNERS", f"must be a list of partners, not {partners!r}", example)
        return
    for number, partner in enumerate(partners):
        field = f"PARTNERS[{number}]"
        if not isinstance(partner, dict):
            problem(field, f"{partner!r} is not a partner", example)
            continue
        for key in partner:
            if key not in PARTNER_KEYS:
                problem(
                    f"{field}[{key!r}]",
                    "is not a field of a partner",
                    f"{_hint(key, PARTNER_KEYS)}use {', '.join(PARTNER_KEYS)}",
                )
        name = partner.get("name")
        if not isinstance(name, str) or not name.strip():
            problem(f"{field}['name']", f"{name!r} is not a name", example)
        if partner.get("role") not in PARTNER_ROLES:
            problem(
                f"{field}['role']",
                f"{partner.get('role')!r} is not a role",
                f"use {' or '.join(map(repr, PARTNER_ROLES))}",
            )
        if "website" in partner:
            web_address(f"{field}['website']", partner["website"])
        about = partner.get("about", "")
        if not isinstance(about, str) or len(about) > PARTNER_ABOUT_MAX:
            problem(
                f"{field}['about']",
                f"{about!r} is not one line of text"
                if not isinstance(about, str)
                else f"is {len(about)} characters long",
                f"write at most {PARTNER_ABOUT_MAX} characters on what it does with us",
            )
