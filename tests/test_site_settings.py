"""The settings staff edit that the theme shows (CONTACTS, SOCIAL_LINKS,
NEWSLETTER, PARTNERS): every mistake is a problem of pelicanconf.py naming the key,
all of them in one run, and nothing is published."""

from __future__ import annotations

import pytest

from conftest import ROOT, SETTINGS, run_build_cli
from support import assert_failed_and_kept
from theme_support import load_strings
from theme_support.site_settings import check

BAD = {
    # extra settings line: expected error line (after 'pelicanconf.py: ')
    "CONTACTS = {**CONTACTS, 'general': {'email': 'info at interactivedenmark.dk'}}": (
        "CONTACTS['general']['email']: 'info at interactivedenmark.dk' is not an "
        "e-mail address: write one address, such as info@interactivedenmark.dk"
    ),
    "CONTACTS = {'general': CONTACTS['general']}": (
        "CONTACTS['press']: is missing: the site shows this mailbox: add 'press': "
        "{'email': 'name@example.dk'}"
    ),
    "SOCIAL_LINKS = (('social_facebok', 'https://www.facebook.com/x'),)": (
        "SOCIAL_LINKS[0]: 'social_facebok' is not a network the site names: did "
        "you mean 'social_facebook'? use one of"
    ),
    "SOCIAL_LINKS = (('social_linkedin', 'http://linkedin.com/company/x'),)": (
        "SOCIAL_LINKS[0] address: 'http://linkedin.com/company/x' does not start "
        "with https://"
    ),
    "SOCIAL_LINKS = (('social_x', 'javascript:alert(1)'),)": (
        "SOCIAL_LINKS[0] address: 'javascript:alert(1)' is not a web address"
    ),
    "PARTNERS = ({**PARTNERS[0], 'role': 'sponsor'},)": (
        "PARTNERS[0]['role']: 'sponsor' is not a role: use 'funder' or 'partner'"
    ),
    "PARTNERS = ({**PARTNERS[0], 'website': 'http://fund.example'},)": (
        "PARTNERS[0]['website']: 'http://fund.example' does not start with https://"
    ),
    "PARTNERS = ({**PARTNERS[0], 'about': 'x' * 161},)": (
        "PARTNERS[0]['about']: is 161 characters long: write at most 160"
    ),
    "PARTNERS = (PARTNERS[0], {'name': 'Fund', 'role': 'funder', 'webiste': ''})": (
        "PARTNERS[1]['webiste']: is not a field of a partner: did you mean "
        "'website'? use name, role, website, about"
    ),
    "PARTNERS = ({'role': 'partner'},)": "PARTNERS[0]['name']: None is not a name",
    "NEWSLETTER = {**NEWSLETTER, 'action': 'list-manage.com/subscribe'}": (
        "NEWSLETTER['action']: 'list-manage.com/subscribe'"
    ),
    "NEWSLETTER = {**NEWSLETTER, 'email_field': 'E MAIL\"'}": (
        "NEWSLETTER['email_field']: 'E MAIL\"' is not the name of a form field"
    ),
}


def problems_of(line: str, session) -> list[str]:
    """The settings problems of pelicanconf.py with ``line`` added."""
    settings = dict(SETTINGS)
    exec(line, settings)  # as pelicanconf.py would run it
    check(settings, load_strings(str(ROOT / "theme"), "en"))
    return [str(p) for p in session.problems]


@pytest.mark.parametrize("line", BAD)
def test_a_bad_setting_is_a_problem_of_pelicanconf(line, scratch_session):
    [reported] = problems_of(line, scratch_session)
    assert reported.startswith(f"pelicanconf.py: {BAD[line]}"), reported


def test_the_project_settings_pass(scratch_session):
    assert problems_of("", scratch_session) == []


def test_every_settings_problem_in_one_run_and_nothing_published(
    content_copy, previous_output
):
    lines = [line for line in BAD if line.startswith(("CONTACTS = {**", "NEWSLETTER"))]
    result = run_build_cli(content_copy, previous_output, extra="\n".join(lines) + "\n")
    assert_failed_and_kept(result, previous_output)
    reported = [
        line
        for line in result.stderr.splitlines()
        if line.startswith("pelicanconf.py:")
    ]
    assert len(reported) == 3, result.stderr
