"""Text helpers for outgoing messages."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/li|/h[1-6])\s*/?>")
_SPACES = re.compile(r"[ \t]+")


def html_to_text(markup: str) -> str:
    """A readable plain-text version of an HTML fragment."""
    text = html.unescape(_TAG.sub("", _BLOCK.sub("\n", markup)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def slack_escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as markup; these three escapes are all it needs."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
