from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from laneway.threads.titles import MAX_TITLE, generate_title


def test_first_sentence_capitalised() -> None:
    assert generate_title("the export button does nothing. Tried twice!") == "The export button does nothing"


def test_html_is_stripped_and_entities_decoded() -> None:
    assert generate_title("<p>Invoices &amp; receipts <b>missing</b></p>") == "Invoices & receipts missing"


def test_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    title = generate_title("word " * 100)
    assert title is not None
    assert title.endswith("…")
    assert len(title) <= MAX_TITLE
    assert not title[:-1].endswith(" ")


def test_no_words_no_title() -> None:
    assert generate_title("<p> </p>") is None


@given(st.text(min_size=1))
def test_any_text_gives_a_short_non_blank_title_or_none(text: str) -> None:
    title = generate_title(text)
    assert title is None or (title.strip() and len(title) <= MAX_TITLE)


def test_a_less_than_sign_that_starts_no_tag_is_kept() -> None:
    assert generate_title("price < 0 & qty > 3 breaks checkout") == "Price < 0 & qty > 3 breaks checkout"
