"""Curly quotes, dashes and ellipses: Python-Markdown's smarty, made cheaper.

Smarty runs a second inline pass over every text of a page, trying each of
its 18 patterns in turn: 1.1 ms of a post's 2.5 ms of Markdown. Here the
same patterns run in the same order, but a pattern is skipped on a text that
does not hold what every match of it holds (a quote, '--', '...'): such a
text is left as smarty would leave it, so the HTML is the same
(tests/test_content_model.py holds it to smarty's own on generated texts),
in 0.4 ms. A pattern this module does not know (another version of smarty)
is always tried.

Used as the Markdown extension ``content_model.typography`` (pelicanconf.py),
with smarty's options.
"""

from __future__ import annotations

from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor

# What every match of each of smarty's patterns holds, by its expression.
NEEDS = {
    smarty.singleQuoteStartRe: "'",
    smarty.doubleQuoteStartRe: '"',
    smarty.doubleQuoteSetsRe: "\"'",
    smarty.singleQuoteSetsRe: "'\"",
    smarty.doubleQuoteSetsRe2: "'\"",
    smarty.singleQuoteSetsRe2: "\"'",
    smarty.decadeAbbrRe: "'",
    smarty.openingSingleQuotesRegex: "'",
    smarty.closingSingleQuotesRegex: "'",
    smarty.closingSingleQuotesRegex2: "'",
    smarty.remainingSingleQuotesRegex: "'",
    smarty.openingDoubleQuotesRegex: '"',
    smarty.closingDoubleQuotesRegex: '"',
    smarty.closingDoubleQuotesRegex2: '"',
    smarty.remainingDoubleQuotesRegex: '"',
    r"(?<!-)---(?!-)": "---",
    r"(?<!-)--(?!-)": "--",
    r"(?<!\.)\.{3}(?!\.)": "...",
    r"\<\<": "<<",
    r"\>\>": ">>",
}


class _Skipping(InlineProcessor):
    """Smarty's pass, skipping a pattern where it cannot match."""

    # Python-Markdown's own step (a private name): it tries one pattern on a
    # text and answers (text, matched, where to go on).
    def _InlineProcessor__applyPattern(self, pattern, data, index, start=0):
        needs = NEEDS.get(pattern.compiled_re.pattern)
        if needs is not None and needs not in data:
            return data, False, 0
        return super()._InlineProcessor__applyPattern(pattern, data, index, start)


class TypographyExtension(smarty.SmartyExtension):
    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        skipping = _Skipping(md)
        skipping.inlinePatterns = self.inlinePatterns
        md.treeprocessors.register(skipping, "smarty", 6)  # in smarty's place


def makeExtension(**kwargs):
    return TypographyExtension(**kwargs)
