from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laneway.kit.time import check_plausible, parse_date_or_datetime, parse_rfc3339, render, to_millis

aware = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(9998, 12, 30),
    timezones=st.builds(timezone, st.integers(-23 * 60, 23 * 60).map(lambda m: timedelta(minutes=m))),
)


@given(aware)
def test_rendered_dates_parse_back_to_the_same_instant(value: datetime) -> None:
    text = render(value)
    assert len(text) == 24
    assert text.endswith("Z")
    assert parse_rfc3339(text) == to_millis(value)


@given(aware)
def test_offsets_are_converted_to_utc(value: datetime) -> None:
    assert parse_rfc3339(value.isoformat()) == to_millis(value)
    assert parse_rfc3339(value.isoformat()).tzinfo == UTC


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-01T09:30:00",
        "2024-05-01",
        "2024-05-01T09:30Z",
        "20240501T093000Z",
        "2024-05-01T09:30:00+0200",
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-05-01T25:00:00Z",
        "2024-05-01T09:30:60Z",
        " 2024-05-01T09:30:00Z",
        "2024-05-01T09:30:00.Z",
        "yesterday",
        "",
        "2024-05-01T09:30:00+25:00",
        "２０２４-05-01T09:30:00Z",
    ],
)
def test_not_rfc3339_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_rfc3339(text)


@pytest.mark.parametrize("offset", ["+24:00", "-99:00", "+23:60", "+00:99"])
def test_offsets_past_a_day_say_so(offset: str) -> None:
    with pytest.raises(ValueError, match=r"^has a time zone offset outside -23:59 to \+23:59$"):
        parse_rfc3339(f"2024-05-01T09:30:00{offset}")
    assert parse_rfc3339("2024-05-01T09:30:00+23:59") == datetime(2024, 4, 30, 9, 31, tzinfo=UTC)


def test_date_fields_also_take_a_bare_date() -> None:
    assert parse_date_or_datetime("2024-05-01") == datetime(2024, 5, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="real date"):
        parse_date_or_datetime("2024-02-31")


def test_render_uses_milliseconds_and_z() -> None:
    assert render(datetime(2023, 11, 7, 5, 31, 56, 999_999, tzinfo=UTC)) == "2023-11-07T05:31:56.999Z"


def test_plausible_dates_are_between_1970_and_now() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    skew = timedelta(minutes=5)
    check_plausible(now + skew, now, skew)
    check_plausible(datetime(1970, 1, 1, tzinfo=UTC), now, skew)
    with pytest.raises(ValueError, match="future"):
        check_plausible(now + skew + timedelta(seconds=1), now, skew)
    with pytest.raises(ValueError, match="1970"):
        check_plausible(datetime(1969, 12, 31, tzinfo=UTC), now, skew)


@given(aware)
def test_a_date_renders_as_milliseconds_in_utc_with_a_z(value: datetime) -> None:
    utc = value.astimezone(UTC)
    assert render(value) == utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
