"""Shared pieces of request and response schemas: camelCase, dates, text rules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer, StrictStr
from pydantic.alias_generators import to_camel

from laneway.kit.time import parse_rfc3339, render


class RequestSchema(BaseModel):
    """Request bodies: camelCase keys, unknown keys ignored (clients send extra ones)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=False, extra="ignore", frozen=True)


class ResponseSchema(BaseModel):
    """Response bodies: camelCase keys, built from trusted data."""

    model_config = ConfigDict(
        alias_generator=to_camel, serialize_by_alias=True, validate_by_name=True, from_attributes=True
    )


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date-time string")
    return parse_rfc3339(value)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _blank_to_none(value: Any) -> Any:
    # Automation tools (Zapier and the like) send "" for fields the user left unmapped.
    if isinstance(value, str) and not value.strip():
        return None
    return value


# An optional string where "" or white space means "not sent".
OptionalText = Annotated[StrictStr | None, BeforeValidator(_blank_to_none)]
# A date-time sent by a client: RFC 3339 with an offset, stored in UTC.
DateTimeIn = Annotated[datetime, BeforeValidator(_parse_datetime)]
# Every date in a response: 2023-11-07T05:31:56.000Z.
Timestamp = Annotated[datetime, PlainSerializer(render, return_type=str, when_used="json")]
# Text that must carry something besides white space.
NonBlank = Annotated[StrictStr, AfterValidator(_not_blank)]


class DeletedOut(ResponseSchema):
    """The answer to a (soft) DELETE."""

    success: bool
    message: str
    is_deleted: bool


def drop_blank(data: Any, fields: frozenset[str]) -> Any:
    """A body without the `fields` whose value is "" or white space: for PATCH bodies, where
    automation tools send "" for fields the user left unmapped, which must not clear them."""
    if not isinstance(data, dict):
        return data
    return {k: v for k, v in data.items() if not (k in fields and isinstance(v, str) and not v.strip())}
