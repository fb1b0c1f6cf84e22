"""Python-Markdown's inline passes, made cheaper, with the same HTML.

An inline pass tries each of its patterns in turn on every text of a page
(links, emphasis, code, HTML...; smarty's curly quotes, dashes and
ellipses are a second pass of 18 more). Here the same patterns run in the
same order, but a pattern is skipped on a text that holds none of what
every match of it holds ('[' for a link, a quote for smarty's quotes): it
could not match, so the text is left as Python-Markdown would leave it.
The skipping is decided in the loop over the patterns, before Python-
Markdown's step for one pattern is called at all (about 1,000 such calls
for a generated post, most of them for patterns that cannot match).
A generated post's Markdown took 3.4 ms with smarty and 1.4 ms with both
passes skipping in the loop (the last measurement in docs/performance.md);
tests/test_content_model.py holds the HTML to Python-Markdown's own on
generated texts. A pattern not listed here (another extension's, or
another version's) is always tried.

Two Markdown extensions (pelicanconf.py): ``content_model.inline:Inline``
for the main pass, ``content_model.inline:Typography`` in smarty's place
(with smarty's options).
"""

from __future__ import annotations

from markdown import util
from markdown.extensions import Extension, smarty
from markdown.treeprocessors import InlineProcessor

# What every match of a pattern holds (any one of these), by the pattern's
# name among Python-Markdown's inline patterns...
BY_NAME = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "short_reference": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("@",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
}
# ... and by the expression of each of smarty's.
BY_EXPRESSION = {
    smarty.singleQuoteStartRe: ("'",),
    smarty.doubleQuoteStartRe: ('"',),
    smarty.doubleQuoteSetsRe: ("\"'",),
    smarty.singleQuoteSetsRe: ("'\"",),
    smarty.doubleQuoteSetsRe2: ("'\"",),
    smarty.singleQuoteSetsRe2: ("\"'",),
    smarty.decadeAbbrRe: ("'",),
    smarty.openingSingleQuotesRegex: ("'",),
    smarty.closingSingleQuotesRegex: ("'",),
    smarty.closingSingleQuotesRegex2: ("'",),
    smarty.remainingSingleQuotesRegex: ("'",),
    smarty.openingDoubleQuotesRegex: ('"',),
    smarty.closingDoubleQuotesRegex: ('"',),
    smarty.closingDoubleQuotesRegex2: ('"',),
    smarty.remainingDoubleQuotesRegex: ('"',),
    r"(?<!-)---(?!-)": ("---",),
    r"(?<!-)--(?!-)": ("--",),
    r"(?<!\.)\.{3}(?!\.)": ("...",),
    r"\<\<": ("<<",),
    r"\>\>": (">>",),
}


class _Skipping(InlineProcessor):
    """An inline pass that skips a pattern where it cannot match."""

    def run(self, tree, ancestors=None):
        # Every extension has registered its patterns by now.
        named = {
            id(self.inlinePatterns[name]): needs
            for name, needs in BY_NAME.items()
            if name in self.inlinePatterns
        }
        self._patterns = [
            (p, named.get(id(p)) or BY_EXPRESSION.get(p.compiled_re.pattern))
            for p in self.inlinePatterns
        ]
        return super().run(tree, ancestors)

    # Python-Markdown's own loop over the patterns for one text (a private
    # name), trying a pattern only when the text, as the patterns before it
    # left it, holds something every match of it holds.
    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if isinstance(data, util.AtomicString):
            return data
        apply = InlineProcessor._InlineProcessor__applyPattern
        for index in range(patternIndex, len(self._patterns)):
            pattern, needs = self._patterns[index]
            if needs is not None:
                for need in needs:
                    if need in data:
                        break
                else:  # it holds none of them
                    continue
            matched, start = True, 0
            while matched:
                data, matched, start = apply(self, pattern, data, index, start)
        return data


class Inline(Extension):
    """Python-Markdown's main inline pass, skipping."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(_Skipping(md), "inline", 20)  # in its place


class Typography(smarty.SmartyExtension):
    """Smarty's pass, skipping."""

    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        skipping = _Skipping(md)
        skipping.inlinePatterns = self.inlinePatterns
        md.treeprocessors.register(skipping, "smarty", 6)  # in smarty's place
