"""plugins/plugin_settings: how every plugin reads its one namespaced dict
setting, and how its problems reach staff: with the other problems of the
run, naming pelicanconf.py, the key, the plugin, the value and the fix."""

from __future__ import annotations

import pytest

from build_errors import BuildFailed
from conftest import ROOT, build_into
from plugin_settings import PluginSetting, settings_file
from support import assert_kept, assert_setting_problem

DEFAULTS = {"max_items": 30, "folder": "feeds", "policy": None, "title": "News"}


def read(given, **settings) -> PluginSetting:
    return PluginSetting({"EXAMPLE": given, **settings}, "EXAMPLE", "example", DEFAULTS)


def test_defaults_fill_in_what_the_setting_leaves_out():
    assert read(None).values == DEFAULTS
    assert read({"max_items": 5}).values == {**DEFAULTS, "max_items": 5}
    assert read({}).problems == []


def test_a_value_that_is_not_a_dict_is_refused_and_the_defaults_used():
    setting = read([("max_items", 5)])
    assert_setting_problem(
        setting, "EXAMPLE", "must be a dict, not [('max_items', 5)]", "write EXAMPLE ="
    )
    assert setting.values == DEFAULTS


def test_an_unknown_key_suggests_the_nearest_name_whatever_its_case():
    setting = read({"Max_Item": 5, "colour": "red"})
    assert_setting_problem(
        setting,
        "EXAMPLE['Max_Item']",
        "unknown key 'Max_Item'",
        "did you mean 'max_items'? known keys: max_items, folder, policy, title",
    )
    [colour] = [p for p in setting.problems if p.field == "EXAMPLE['colour']"]
    assert "did you mean" not in colour.allowed
    assert "Max_Item" not in setting.values


@pytest.mark.parametrize("value", ["5", 0, True, 5.0])
def test_whole_number_with_a_minimum(value):
    setting = read({"max_items": value})
    setting.whole_number("max_items", 1)
    assert_setting_problem(
        setting,
        "EXAMPLE['max_items']",
        f"invalid value {value!r}",
        "a whole number of at least 1",
    )
    assert setting.values["max_items"] == DEFAULTS["max_items"]


def test_whole_number_with_a_maximum():
    setting = read({"max_items": 101})
    setting.whole_number("max_items", 1, 100)
    assert_setting_problem(
        setting, "EXAMPLE['max_items']", "value 101", "a whole number from 1 to 100"
    )
    good = read({"max_items": 100})
    good.whole_number("max_items", 1, 100)
    assert good.problems == []


@pytest.mark.parametrize(
    "value", ["/feeds", "../feeds", "a/../../b", "https://example.org/x", "", 3]
)
def test_a_path_must_stay_inside_its_folder(value):
    setting = read({"folder": value})
    setting.relative_path("folder", inside="output")
    assert_setting_problem(
        setting,
        "EXAMPLE['folder']",
        f"invalid value {value!r}",
        "a path inside the output folder, such as 'feeds'",
    )


def test_a_good_path_loses_its_trailing_slash():
    setting = read({"folder": "news/feeds/"})
    setting.relative_path("folder", inside="output")
    assert setting.problems == []
    assert setting.values["folder"] == "news/feeds"


@pytest.mark.parametrize("value", ["", "   ", None, 7])
def test_text_must_not_be_empty(value):
    setting = read({"title": value})
    setting.text("title")
    assert_setting_problem(
        setting, "EXAMPLE['title']", f"invalid value {value!r}", "a non-empty text"
    )


def test_https_url():
    setting = read({"policy": "http://example.org/policy"})
    setting.https_url("policy", optional=True)
    assert_setting_problem(
        setting,
        "EXAMPLE['policy']",
        "invalid value 'http://example.org/policy'",
        "an https:// URL or None",
    )
    unset = read({})
    unset.https_url("policy", optional=True)
    assert unset.problems == []
    required = read({})
    required.https_url("policy")
    assert_setting_problem(required, "EXAMPLE['policy']", "None", "an https:// URL")


def test_problems_name_pelicanconf_beside_the_content_folder():
    settings = {"PATH": str(ROOT / "content")}
    assert settings_file(settings) == str(ROOT / "pelicanconf.py")
    setting = read({"max_items": "5"}, **settings)
    setting.whole_number("max_items", 1)
    assert setting.problems[0].path == str(ROOT / "pelicanconf.py")


def test_report_hands_every_problem_to_the_build(scratch_session):
    setting = read({"max_items": "5", "folder": "/x"})
    setting.whole_number("max_items", 1)
    setting.relative_path("folder", inside="output")
    assert setting.report() is False
    reported = [(p.field, p.message, p.allowed) for p in scratch_session.problems]
    assert reported == [(p.field, p.message, p.allowed) for p in setting.problems]
    assert read({}).report() is True


def test_bad_settings_of_every_plugin_fail_one_run_with_the_content_problems(
    content_copy, previous_output
):
    """The settings problems of all four plugins and a content problem are
    listed together; nothing is published."""
    (content_copy / "news" / "no-title.md").write_text(
        "Date: 2026-05-04 17:00\nSummary: A summary.\n\nText.\n", encoding="utf-8"
    )
    with pytest.raises(BuildFailed) as failed:
        build_into(
            previous_output,
            PATH=str(content_copy),
            SOCIAL_FEEDS={"max_items": "30"},
            SHARE_IMAGES={"width": 100},
            RESPONSIVE_IMAGES={"quality": 0},
            SITE_META={"expires_days": 400},
        )
    lines = str(failed.value).splitlines()
    for expected in (
        "pelicanconf.py: SOCIAL_FEEDS['max_items']: social_feeds: invalid value "
        "'30': a whole number of at least 1",
        "pelicanconf.py: SHARE_IMAGES['width']: share_images: invalid value 100: "
        "a whole number of at least 200",
        "pelicanconf.py: RESPONSIVE_IMAGES['quality']: responsive_images: invalid "
        "value 0: a whole number from 1 to 100",
        "pelicanconf.py: SITE_META['expires_days']: site_meta: invalid value 400: "
        "a whole number of days from 1 to 364 (RFC 9116: under a year)",
    ):
        assert expected in lines
    assert any(line.startswith("content/news/no-title.md") for line in lines)
    assert_kept(previous_output)
