from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import Depends, Header

from laneway.auth.caller import Caller
from laneway.auth.service import authenticate, require_admin, require_writer
from laneway.kit.openapi import SECURED
from laneway.kit.web import Db


async def current_caller(
    db: Db, authorization: Annotated[str | None, Header(include_in_schema=False)] = None
) -> Caller:
    # A short read transaction of its own, before the body is read: the request's write
    # transaction (and SQLite's write lock) must not wait on a slow client's body.
    return await db.run(partial(authenticate, authorization=authorization), write=False)


SECURED.add(current_caller)
CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def current_writer(caller: CurrentCaller) -> Caller:
    # Checked before the body is read: a VIEWER gets 403 whatever it sent.
    require_writer(caller)
    return caller


CurrentWriter = Annotated[Caller, Depends(current_writer)]


async def current_admin(caller: CurrentCaller) -> Caller:
    # Checked before the body is read: a non-admin gets 403 whatever it sent.
    require_admin(caller)
    return caller


CurrentAdmin = Annotated[Caller, Depends(current_admin)]
