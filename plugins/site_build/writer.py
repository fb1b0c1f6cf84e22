"""Pages: rendered again only when something they show has changed.

Pelican's generators hand every page to the writer (``write_file``). Here
each page gets a key made of

- the code, the settings, the theme's strings and static files;
- the text of its template and of every template it extends, includes or
  imports;
- the fingerprint (fingerprint.py) of every variable those templates can
  read, as the page's context holds it: the article or page itself, the
  listing's articles, the menus, the programmes...

When the previous release holds the page made under the same key, it is
linked in and not rendered. Otherwise the page is queued in the session
(``Session.output(..., later=True)``, as the feeds are), and when every
generator has queued its files, ``Session.flush`` renders the queue with
both cores (parallel.py). Every page is told to the plugins that listen
for written pages (the sitemap), rendered or not.
"""

from __future__ import annotations

import os
from functools import cached_property, partial

import jinja2.meta
import jinja2.nodes
from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url
from pelican.writers import Writer

from .cache import digest
from .session import session

MISSING = "<missing>"


class SiteWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.session = session()
        self._templates: dict = {}  # template name -> (text, names); parsed
        self.rendered = 0

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """Queue (or link in) the page ``name``, or each page of a paginated
        listing, as Pelican's writer would write them."""
        if not name:
            return
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._page(
                name, template, self._context(context, name, kwargs, relative_urls)
            )
            return
        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        paginators = {
            key: Paginator(name, url, value, self.settings, per_page)
            for key, value in paginated.items()
        }
        for number in range(next(iter(paginators.values())).num_pages):
            page_kwargs = dict(kwargs)
            for key, paginator in paginators.items():
                page = paginator.page(number + 1)
                page_kwargs.update(
                    {
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(number)
                        if number
                        else None,
                        f"{key}_next_page": paginator.page(number + 2)
                        if number + 1 < paginator.num_pages
                        else None,
                    }
                )
            self._page(
                page.save_as,
                template,
                self._context(context, page.save_as, page_kwargs, relative_urls),
            )

    def _context(self, context, name, kwargs, relative_urls) -> dict:
        local = context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if relative_urls:
            local["SITEURL"] = local["localsiteurl"] = path_to_url(
                get_relative_path(name)
            )
        local["output_file"] = name
        local.update(kwargs)
        return local

    def _page(self, save_as: str, template, context: dict) -> None:
        s = self.session
        item = context.get("article") or context.get("page")
        owner = (
            getattr(item, "source_path", None)
            or f"the site's own page made with {template.name}"
        )
        key = self.key(template, context)
        if s.output(save_as, key, partial(template.render, context), owner, later=True):
            self.rendered += 1
        signals.content_written.send(
            os.path.join(self.output_path, save_as), context=context
        )

    def key(self, template, context: dict) -> str:
        source, names = self._template(template)
        of = self.session.fingerprints.of
        values = "\x1e".join(
            f"{name}\x1f{of(context.get(name, MISSING))}" for name in names
        )
        return self.session.key("page", self.theme, source, values)

    # --- what a template can read -----------------------------------------------

    @cached_property
    def theme(self) -> str:
        """The theme's files other than its templates: its strings and its
        static files (their hashes are in the pages' asset addresses)."""
        root = self.settings["THEME"]
        parts = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "templates")
            for name in sorted(names):
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    parts += [os.path.relpath(path, root), handle.read()]
        return digest(*parts)

    def _template(self, template) -> tuple[str, tuple[str, ...]]:
        """The text of a template with everything it uses, and the names of
        the variables they read (found in their syntax trees; a template
        named by a variable means every template)."""
        found = self._templates.get(template.name)
        if found is None:
            env = template.environment
            sources, names, todo, seen = [], set(), [template.name], set()
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                source, loads, uses = self._parsed(env, name)
                sources += [name, source]
                names |= loads
                todo.extend(uses)
            found = (digest(*sources), tuple(sorted(names)))
            self._templates[template.name] = found
        return found

    def _parsed(self, env, name: str) -> tuple[str, set[str], list[str]]:
        """A template's text, the names it reads and the templates it uses
        (every template, when it names one by a variable); worked out once
        per text and kept in the build cache."""
        found = self._templates.get(("parsed", name))
        if found is None:
            source = env.loader.get_source(env, name)[0]
            key = self.session.key("template-names", name, source)
            names, uses = self.session.remembered(
                "template-names", key, lambda: _names(env, source)
            )
            if uses is None:  # a template named by a variable: all of them
                uses = env.list_templates()
            found = self._templates[("parsed", name)] = (source, names, uses)
        return found


def _names(env, source: str) -> tuple[set[str], list[str] | None]:
    tree = env.parse(source)
    try:  # Jinja's own analysis knows what macros and loops bind
        loads = set(jinja2.meta.find_undeclared_variables(tree))
    except jinja2.TemplateError:  # every name it reads, to be safe
        loads = {n.name for n in tree.find_all(jinja2.nodes.Name) if n.ctx == "load"}
    uses: list[str] | None = []
    kinds = (
        jinja2.nodes.Extends,
        jinja2.nodes.Include,
        jinja2.nodes.Import,
        jinja2.nodes.FromImport,
    )
    for node in tree.find_all(kinds):
        if not isinstance(node.template, jinja2.nodes.Const):
            return loads, None
        uses.append(node.template.value)
    return loads, uses


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates, shared by every generator of a build (Pelican
    gives each its own Jinja environment) and kept in the build cache (each
    entry checked against its hash, so damaged code is never loaded)."""

    def __init__(self, session):
        self.session = session
        self.memory: dict[str, bytes] = {}

    def _key(self, bucket) -> str:
        return digest(bucket.key, bucket.checksum, self.session.code)

    def load_bytecode(self, bucket) -> None:
        key = self._key(bucket)
        data = self.memory.get(key) or self.session.cache.get("jinja", key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        key = self._key(bucket)
        self.memory[key] = data = bucket.bytecode_to_string()
        self.session.cache.put("jinja", key, data)
