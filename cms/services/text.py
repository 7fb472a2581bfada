"""Plain text from whatever a contributor typed or pasted: no HTML survives, newlines do."""

import html
import re
import unicodedata

from django.utils.html import strip_tags

_KEEP_FORMAT_CHARS = {"\u200c", "\u200d"}  # zero-width (non-)joiners: part of some scripts and emoji
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def plain_text(value: str | None, *, multiline: bool = False) -> str:
    """Unescape entities and strip tags until nothing changes, drop control and bidi characters, tidy spaces.

    Entities are decoded before tags are stripped (and again after), so `&lt;script&gt;` cannot come back
    as a tag later; the loop makes the result a fixed point: plain_text(plain_text(x)) == plain_text(x).
    """
    text = value or ""
    for _ in range(10):
        cleaned = strip_tags(html.unescape(text))
        if cleaned == text:
            break
        text = cleaned
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t" or ch in _KEEP_FORMAT_CHARS or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    if not multiline:
        text = text.replace("\n", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    # One more pass: tidying may have joined `<` and a letter into something a tag stripper would take.
    return text if strip_tags(html.unescape(text)) == text else plain_text(text, multiline=multiline)
