"""Plain helpers several test files share (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

# What the previous_output fixture (conftest.py) leaves in output/index.html.
PREVIOUS_SITE = "<p>the site as it was</p>"


def assert_kept(output: Path) -> None:
    """The output of the earlier build is as it was, and no half-built
    release is left beside it."""
    from site_build.releases import releases_folder

    assert (output / "index.html").read_text(encoding="utf-8") == PREVIOUS_SITE
    releases = Path(releases_folder(str(output)))
    left = (
        [p.name for p in releases.iterdir() if p.is_dir()] if releases.exists() else []
    )
    assert not left, f"half-built releases left behind: {left}"


def assert_failed_and_kept(result, output: Path) -> None:
    """The build command (run_build_cli) failed, said so and left the
    previous output in place."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert_kept(output)
    assert "Nothing was published" in result.stderr


def error_lines(result) -> list[str]:
    """The build command's problem lines about content files."""
    return [line for line in result.stderr.splitlines() if line.startswith("content/")]


def assert_setting_problem(setting, field: str, problem: str, allowed: str) -> None:
    """A checked plugin setting (plugin_settings.PluginSetting) has exactly
    one problem with ``field``, reported as every settings problem is: in
    pelicanconf.py, the message starting with the plugin's name and holding
    ``problem`` (the bad value's repr), ``allowed`` in what is allowed."""
    found = [p for p in setting.problems if p.field == field]
    assert len(found) == 1, setting.problems
    [reported] = found
    assert Path(reported.path).name == "pelicanconf.py"
    assert reported.message.startswith(f"{setting.plugin}: "), reported
    assert problem in reported.message, reported
    assert allowed in reported.allowed, reported
