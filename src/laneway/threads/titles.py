"""Titles made from a thread's text, locally: the first sentence, tidied and shortened."""

from __future__ import annotations

import re

from laneway.kit.text import html_to_text

MAX_TITLE = 80
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def generate_title(text: str) -> str | None:
    """A short title for `text`, or None when the text has no words to make one from."""
    plain = _SPACE.sub(" ", html_to_text(text)).strip()
    if not plain:
        return None
    first = _SENTENCE_END.split(plain, maxsplit=1)[0].rstrip(" .")
    if not first:
        first = plain
    if len(first) > MAX_TITLE:
        cut = first[: MAX_TITLE - 1]
        space = cut.rfind(" ")
        first = (cut[:space] if space > MAX_TITLE // 2 else cut).rstrip(" ,;:-") + "…"
    return first[0].upper() + first[1:]
