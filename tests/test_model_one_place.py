"""The content model is the one place that knows the sections: no plugin,
setting or template spells a section's name or folder where it means the
section (comparing with it, looking it up, or as the start of a path or
address). Adding a section is one entry in plugins/content_model/model.py,
its templates and its content."""

from __future__ import annotations

import ast

import jinja2
import jinja2.nodes

from conftest import ROOT
from content_model import model

NAMES = {s.name for s in model.SECTIONS} | {s.folder for s in model.SECTIONS}
LOOKUPS = {"SECTIONS_BY_NAME", "SECTIONS", "articles_by_section", "section_intros"}


def _spelled(value) -> bool:
    return isinstance(value, str) and (
        value in NAMES or any(value.startswith(f"{name}/") for name in NAMES)
    )


def _python_findings(path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            values = [
                element
                for operand in operands
                for element in (
                    operand.elts
                    if isinstance(operand, ast.Tuple | ast.Set)
                    else [operand]
                )
            ]
            found += [
                f"{v.lineno}: compares with {v.value!r}"
                for v in values
                if isinstance(v, ast.Constant) and v.value in NAMES
            ]
        elif isinstance(node, ast.Subscript):
            name = getattr(node.value, "id", getattr(node.value, "attr", ""))
            key = node.slice
            if name in LOOKUPS and isinstance(key, ast.Constant) and key.value in NAMES:
                found.append(f"{node.lineno}: looks up {key.value!r}")
        elif _spelled(node.value if isinstance(node, ast.Constant) else None) and (
            node.value not in NAMES
        ):
            found.append(f"{node.lineno}: a path in a section, {node.value!r}")
    return found


def _template_findings(env, name) -> list[str]:
    """Section names compared with or looked up, and paths in a section."""
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source)
    found = []
    kinds = (jinja2.nodes.Const, jinja2.nodes.Getattr, jinja2.nodes.Getitem)
    compared = {
        id(const)
        for compare in tree.find_all(jinja2.nodes.Compare)
        for const in compare.find_all(jinja2.nodes.Const)
    }
    for node in tree.find_all(kinds):
        if isinstance(node, jinja2.nodes.Const):
            path = isinstance(node.value, str) and node.value not in NAMES
            if _spelled(node.value) and (path or id(node) in compared):
                found.append(f"{node.lineno}: {node.value!r}")
        elif getattr(node.node, "name", "") in LOOKUPS:
            key = (
                node.attr
                if isinstance(node, jinja2.nodes.Getattr)
                else getattr(node.arg, "value", None)
            )
            if key in NAMES:
                found.append(f"{node.lineno}: looks up {key!r}")
    return found


def test_no_plugin_or_setting_spells_a_section():
    files = [
        p
        for p in sorted((ROOT / "plugins").rglob("*.py"))
        if p != ROOT / "plugins" / "content_model" / "model.py"
    ] + [ROOT / name for name in ("pelicanconf.py", "publishconf.py", "tasks.py")]
    findings = [
        f"{path.relative_to(ROOT)}:{finding}"
        for path in files
        for finding in _python_findings(path)
    ]
    assert findings == []


def test_no_template_spells_a_section():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates")
    )
    findings = [
        f"theme/templates/{name}:{finding}"
        for name in env.list_templates(extensions=["html"])
        for finding in _template_findings(env, name)
    ]
    assert findings == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The two scans are not blind: each kind of spelling is found."""
    code = tmp_path / "example.py"
    code.write_text(
        "if page.metadata.get('section') == 'programmes': pass\n"
        "if a.section in ('news', 'press'): pass\n"
        "x = SECTIONS_BY_NAME['members']\n"
        "y = 'showcases/feed.xml'\n"
        "z = context['pages']  # Pelican's list of pages: not a section\n",
        "utf-8",
    )
    assert _python_findings(code) == [
        "1: compares with 'programmes'",
        "2: compares with 'news'",
        "2: compares with 'press'",
        "3: looks up 'members'",
        "4: a path in a section, 'showcases/feed.xml'",
    ]
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "t.html": "{{ articles_by_section.news }}{{ url('press/') }}"
                "{% if a.section in ('showcases',) %}{% endif %}"
                "{{ SECTIONS['members'] }}{{ t('press') }}"
            }
        )
    )
    assert sorted(_template_findings(env, "t.html")) == [
        "1: 'press/'",
        "1: 'showcases'",
        "1: looks up 'members'",
        "1: looks up 'news'",
    ]
