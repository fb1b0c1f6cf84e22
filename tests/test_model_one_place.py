"""The content model is the one place that knows the sections: no plugin,
setting or template spells a section's name or folder where it means the
section (comparing with it, looking it up, or as the start of a path or
address). Adding a section is one entry in plugins/content_model/model.py,
its templates and its content."""

from __future__ import annotations

import ast
import re

import jinja2
import jinja2.nodes

from conftest import ROOT
from content_model import model

NAMES = {s.name for s in model.SECTIONS} | {s.folder for s in model.SECTIONS}
LOOKUPS = {"SECTIONS_BY_NAME", "SECTIONS", "articles_by_section", "section_intros"}


def _spelled(value) -> bool:
    """A section's name or folder, or a path or address inside one."""
    if not isinstance(value, str):
        return False
    value = value.lstrip("/")
    return value in NAMES or any(value.startswith(f"{name}/") for name in NAMES)


def _name(node) -> str:
    return getattr(node, "id", getattr(node, "attr", getattr(node, "name", "")))


def _python_findings(path) -> list[str]:
    """Section names compared with, looked up (x[...], x.get(...)), passed
    as a part of a path (os.path.join), and paths or addresses in a section."""
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    sequences = ast.Tuple | ast.Set | ast.List
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            values = [
                element
                for operand in [node.left, *node.comparators]
                for element in (
                    operand.elts if isinstance(operand, sequences) else [operand]
                )
            ]
            found += [
                f"{v.lineno}: compares with {v.value!r}"
                for v in values
                if isinstance(v, ast.Constant) and v.value in NAMES
            ]
        elif isinstance(node, ast.Subscript):
            key = node.slice
            if _name(node.value) in LOOKUPS and getattr(key, "value", None) in NAMES:
                found.append(f"{node.lineno}: looks up {key.value!r}")
        elif isinstance(node, ast.Call):
            looked_up = (
                _name(node.func) == "get"
                and _name(getattr(node.func, "value", None)) in LOOKUPS
            )
            joined = _name(node.func) == "join" and not isinstance(
                getattr(node.func, "value", None), ast.Constant
            )
            for arg in node.args:
                if (looked_up or joined) and getattr(arg, "value", None) in NAMES:
                    what = "looks up" if looked_up else "joins a path with"
                    found.append(f"{node.lineno}: {what} {arg.value!r}")
        elif (
            isinstance(node, ast.Constant)
            and _spelled(node.value)
            and node.value not in NAMES
        ):
            found.append(f"{node.lineno}: a path in a section, {node.value!r}")
    return found


_HTML_LINK = re.compile(r"""(?:href|src|action)=["']/?([\w-]+)/""")


def _template_findings(env, name) -> list[str]:
    """Section names compared with or looked up (x.name, x['name'],
    x.get('name')), paths in a section, and links into one in the HTML."""
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source)
    found = []
    compared = {
        id(const)
        for compare in tree.find_all(jinja2.nodes.Compare)
        for const in compare.find_all(jinja2.nodes.Const)
    }
    for node in tree.find_all(jinja2.nodes.Const):
        path = isinstance(node.value, str) and node.value.lstrip("/") not in NAMES
        if _spelled(node.value) and (path or id(node) in compared):
            found.append(f"{node.lineno}: {node.value!r}")
    for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        if _name(node.node) in LOOKUPS:
            key = (
                node.attr
                if isinstance(node, jinja2.nodes.Getattr)
                else getattr(node.arg, "value", None)
            )
            if key in NAMES:
                found.append(f"{node.lineno}: looks up {key!r}")
    for node in tree.find_all(jinja2.nodes.Call):
        if (
            isinstance(node.node, jinja2.nodes.Getattr)
            and node.node.attr == "get"
            and _name(node.node.node) in LOOKUPS
        ):
            found += [
                f"{node.lineno}: looks up {arg.value!r}"
                for arg in node.args
                if getattr(arg, "value", None) in NAMES
            ]
    for node in tree.find_all(jinja2.nodes.TemplateData):
        found += [
            f"{node.lineno}: links into {match.group(1)!r}"
            for match in _HTML_LINK.finditer(node.data)
            if match.group(1) in NAMES
        ]
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
        "z = context['pages']  # Pelican's list of pages: not a section\n"
        "if b in ['showcases']: pass\n"
        "v = SECTIONS_BY_NAME.get('news')\n"
        "w = os.path.join(root, 'pages', 'members.md')\n"
        "u = '/members/x/'\n"
        "s = ', '.join(names)  # a join of text: not a path\n",
        "utf-8",
    )
    assert _python_findings(code) == [
        "1: compares with 'programmes'",
        "2: compares with 'news'",
        "2: compares with 'press'",
        "3: looks up 'members'",
        "4: a path in a section, 'showcases/feed.xml'",
        "6: compares with 'showcases'",
        "7: looks up 'news'",
        "8: joins a path with 'pages'",
        "9: a path in a section, '/members/x/'",
    ]
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "t.html": "{{ articles_by_section.news }}{{ url('press/') }}"
                "{% if a.section in ('showcases',) %}{% endif %}"
                "{{ SECTIONS['members'] }}{{ t('press') }}"
                "{{ articles_by_section.get('showcases') }}{{ url('/news/') }}"
                '<a href="/members/">all</a><a href="/about/">about</a>'
            }
        )
    )
    assert sorted(_template_findings(env, "t.html")) == [
        "1: '/news/'",
        "1: 'press/'",
        "1: 'showcases'",
        "1: links into 'members'",
        "1: looks up 'members'",
        "1: looks up 'news'",
        "1: looks up 'showcases'",
    ]


def test_a_section_lists_its_items_with_its_own_listing_template(tmp_path):
    """Section.listing_template (through LISTING_TEMPLATES) picks the
    template of a dated section's listing: events will list upcoming items
    first with theirs."""
    import shutil

    from conftest import run_build_cli

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "press_listing.html").write_text(
        '{% extends "category.html" %}{% block content %}'
        "<p>Listed by press_listing</p>{{ super() }}{% endblock %}",
        "utf-8",
    )
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    result = run_build_cli(
        content,
        tmp_path / "output",
        theme=theme,
        extra='LISTING_TEMPLATES = {**LISTING_TEMPLATES, "press": "press_listing"}\n'
        'PAGINATED_TEMPLATES = {**PAGINATED_TEMPLATES, "press_listing": None}\n',
    )
    assert result.returncode == 0, result.stderr
    press = (tmp_path / "output" / "press" / "index.html").read_text("utf-8")
    news = (tmp_path / "output" / "news" / "index.html").read_text("utf-8")
    assert "Listed by press_listing" in press and "Listed by" not in news
