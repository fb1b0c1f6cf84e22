"""Slugs as Danish readers expect them: æ → ae, ø → oe, å → aa."""

from __future__ import annotations

import re
import unicodedata

# Letters that plain ASCII folding gets wrong for Danish (and its neighbours).
_TRANSLITERATION = {
    "æ": "ae",
    "ø": "oe",
    "å": "aa",
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "ð": "d",
    "þ": "th",
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: not before a newline


def slugify(text: str) -> str:
    """'Spilbar i Århus: Ørkesløse æbler' -> 'spilbar-i-aarhus-oerkesloese-aebler'."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(_TRANSLITERATION.get(ch, ch) for ch in text)
    # Strip remaining accents (é -> e) by decomposing and dropping the marks.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


def pelican_regex_substitutions() -> list[tuple[str, str]]:
    """The same rules for Pelican's own slugify (tags), which runs regex
    substitutions when SLUGIFY_USE_UNICODE is on, before its ASCII clean-up."""
    subs = [(letter, ascii_) for letter, ascii_ in _TRANSLITERATION.items()]
    accents = {
        "a": "àáâãā",
        "c": "çč",
        "e": "èéêëē",
        "i": "ìíîïī",
        "n": "ñń",
        "o": "òóôõō",
        "s": "šś",
        "u": "ùúûū",
        "y": "ýÿ",
        "z": "žź",
    }
    subs += [(f"[{letters}]", base) for base, letters in accents.items()]
    subs += [
        (r"[^\w\s-]", ""),
        (r"(?u)\A\s*", ""),
        (r"(?u)\s*\Z", ""),
        (r"[-\s_]+", "-"),
    ]
    return subs
