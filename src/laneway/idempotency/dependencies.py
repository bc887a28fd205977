from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from laneway.auth.dependencies import CurrentCaller
from laneway.idempotency.service import IdempotentRequest, parse
from laneway.kit.body import decode_json_object


async def idempotent_request(
    request: Request,
    caller: CurrentCaller,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", description="retries with the same key get the first answer"),
    ] = None,
) -> IdempotentRequest | None:
    if idempotency_key is None:
        return None
    body = decode_json_object(await request.body())  # the route validates it too; this reads the cache
    return parse(idempotency_key, caller.membership_id, request.method, request.url.path, body)


Idempotency = Annotated[IdempotentRequest | None, Depends(idempotent_request)]
