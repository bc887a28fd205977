"""The plain text made from a thread's text or a reply for Slack posts and the text/plain part
of mails: what a browser would show, nothing more and nothing less."""

from __future__ import annotations

import pytest

from laneway.outbox.texts import html_to_text, slack_escape


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("price < 0 & qty > 3", "price < 0 & qty > 3"),  # plain text with markup characters
        ("if a < b and c >= d", "if a < b and c >= d"),
        ("<p>Hi &amp; bye</p><p>Second</p>", "Hi & bye\nSecond"),
        ("one<br>two<br/>three<br />four", "one\ntwo\nthree\nfour"),
        ('<p>ok</p><script>alert("x")</script><style>p{}</style>', "ok"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("spaces   and\ttabs  ", "spaces and tabs"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("&lt;b&gt; is bold", "<b> is bold"),
    ],
)
def test_html_to_text_shows_what_a_browser_would(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_slack_escape_escapes_exactly_the_three_control_characters() -> None:
    assert slack_escape("a < b & c > d <!channel>") == "a &lt; b &amp; c &gt; d &lt;!channel&gt;"


def test_header_text_keeps_everything_on_one_line() -> None:
    from laneway.outbox.mailer import header_text

    for raw in ("Title\u2028Bcc: x", "a\x0bb", "Ann\u0085x", "line\r\nBcc: y", "tab\there"):
        cleaned = header_text(raw)
        assert cleaned.splitlines() == [cleaned]
        assert all(c == " " or c.isprintable() for c in cleaned)
