from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from laneway.auth.caller import Caller
from laneway.auth.service import authenticate
from laneway.kit.web import get_database


def current_caller(
    request: Request, authorization: Annotated[str | None, Header(include_in_schema=False)] = None
) -> Caller:
    # A short read transaction of its own: the request's write transaction (and SQLite's write
    # lock) must not start before the body has arrived, or a slow client would hold the lock.
    with get_database(request).unit_of_work(write=False) as session:
        return authenticate(session, authorization)


CurrentCaller = Annotated[Caller, Depends(current_caller)]
