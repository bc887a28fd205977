"""Text helpers for outgoing messages."""

from __future__ import annotations

from laneway.kit.text import html_to_text

__all__ = ["html_to_text", "shorten", "slack_escape"]


def slack_escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as markup; these three escapes are all it needs."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
