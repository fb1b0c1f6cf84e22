"""The small parts of the member directory that the sample content cannot
show on its own: Danish alphabetical order, the template filters and the
setting's defaults."""

from __future__ import annotations

import pytest

from members import hostname, initials
from members.directory import sort_key
from members.settings import DEFAULTS, members_settings


def test_danish_letters_sort_after_z_in_their_own_order():
    names = ["Åben Studio", "Ærø Games", "Zebra Film", "Østerby Animation", "apple"]
    assert sorted(names, key=sort_key) == [
        "apple",
        "Zebra Film",
        "Ærø Games",
        "Østerby Animation",
        "Åben Studio",
    ]


def test_accents_sort_as_their_letter_and_case_is_ignored():
    names = ["Émile VFX", "ebbe Apps", "Fjord", "Eagle"]
    assert sorted(names, key=sort_key) == ["Eagle", "ebbe Apps", "Émile VFX", "Fjord"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fjordfox Games", "FG"),
        ("Klippeø Games", "KG"),
        ("Zebra", "Z"),
        ("nordlys pixel works", "NP"),
        ("Østerby Animation", "ØA"),
    ],
)
def test_initials_for_the_monogram(name, expected):
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.fjordfox.example/en/", "fjordfox.example"),
        ("http://studio.example", "studio.example"),
        ("https://WWW.Studio.Example", "studio.example"),
    ],
)
def test_hostname_as_link_text(url, expected):
    assert hostname(url) == expected


def test_settings_merge_the_defaults_in():
    assert members_settings({}) == DEFAULTS
    merged = members_settings({"MEMBERS": {"csv": "data/directory.csv"}})
    assert merged == {**DEFAULTS, "csv": "data/directory.csv"}


def test_settings_must_be_a_dict():
    with pytest.raises(
        ValueError, match=r"^members: MEMBERS must be a dict, not \['json'\]$"
    ):
        members_settings({"MEMBERS": ["json"]})
