from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from laneway.auth.caller import Caller
from laneway.auth.service import authenticate
from laneway.kit.web import DbSession


def current_caller(
    session: DbSession, authorization: Annotated[str | None, Header(include_in_schema=False)] = None
) -> Caller:
    return authenticate(session, authorization)


CurrentCaller = Annotated[Caller, Depends(current_caller)]
