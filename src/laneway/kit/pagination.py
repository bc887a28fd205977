"""skip/take paging, newest first, and the cursor that keeps a walk through pages exact.

Offsets alone shift when rows arrive or leave while a client walks the pages (a new thread
on top pushes every row down one, so the next page repeats one). Each page's `nextPage`
therefore carries, besides `skip` and `take`, a `cursor`: the sort key of the page's last
row. A client that sends `nextPage` back as it came gets the rows strictly after that key,
so it sees every row that existed when it started exactly once, whatever happens meanwhile.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query

from laneway.kit.errors import BadRequest, Issue, validation_error
from laneway.kit.time import parse_rfc3339, render

MAX_TAKE = 100
DEFAULT_TAKE = 10
MAX_SKIP = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Cursor:
    """The sort key (createdAt, id) of the last row a client has seen."""

    created_at: datetime
    id: str

    def encode(self) -> str:
        raw = f"{render(self.created_at)}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            stamp, _, row_id = raw.partition("|")
            if not row_id or len(text) > 200 or not row_id.isprintable():
                raise ValueError("no id")
            return cls(parse_rfc3339(stamp), row_id)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise validation_error([Issue(["cursor"], "is not a cursor this server gave out")]) from None


@dataclass(frozen=True, slots=True)
class PageRequest:
    skip: int
    take: int
    cursor: Cursor | None


def page_request(
    skip: Annotated[int, Query(ge=0, le=MAX_SKIP, description="rows to skip")] = 0,
    take: Annotated[int, Query(ge=1, description=f"rows per page (at most {MAX_TAKE})")] = DEFAULT_TAKE,
    cursor: Annotated[str | None, Query(description="from a previous page's nextPage")] = None,
) -> PageRequest:
    return PageRequest(skip=skip, take=min(take, MAX_TAKE), cursor=Cursor.decode(cursor) if cursor else None)


Paging = Annotated[PageRequest, Depends(page_request)]


def next_page(page: PageRequest, has_more: bool, last: Cursor | None) -> dict[str, Any] | None:
    """`nextPage`: the skip/take of the following page (and its cursor), or None at the end."""
    if not has_more:
        return None
    following: dict[str, Any] = {"skip": page.skip + page.take, "take": page.take}
    if last is not None:
        following["cursor"] = last.encode()
    return following


def given(value: str | None) -> str | None:
    """A query filter, None when absent or blank: automation tools send `?projectId=` for a
    filter the user left unmapped, which must not filter on the empty id."""
    return value if value is not None and value.strip() else None


def require_enum(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    """A query parameter that must be one of `allowed` (exact, upper case), or absent (blank
    counts as absent)."""
    value = given(value)
    if value is not None and value not in allowed:
        raise BadRequest(
            f"{name} must be one of {', '.join(allowed)}",
            [Issue([name], f"must be one of {', '.join(allowed)}")],
        )
    return value
