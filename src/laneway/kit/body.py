"""Request bodies: size-limited, strict UTF-8 JSON objects, validated into schemas.

FastAPI's own body handling answers 422 and lets some inputs through to the database
(NUL characters, lone surrogates) or crash the parser (deep nesting); every route that takes
a body goes through here instead, and every failure is a 400 naming the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from laneway.kit.errors import BadRequest, Issue, PayloadTooLarge, error_response, validation_error
from laneway.kit.openapi import BODY_MODELS

M = TypeVar("M", bound=BaseModel)
MAX_DEPTH = 32
MAX_INT_DIGITS = 100


def decode_json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or BadRequest saying why it is not one."""
    if not raw.strip():
        raise BadRequest("The request body is empty; send a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not valid UTF-8") from None
    try:
        data = _DECODER.decode(text)
    except RecursionError:
        raise BadRequest(f"The request body nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest(f"The request body must be a JSON object, not {_json_kind(data)}")
    problems = list(_unstorable(data))
    if problems:
        raise validation_error(problems)
    return data


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def _finite_float(digits: str) -> float:
    value = float(digits)
    if math.isinf(value):  # 1e999: JSON has no infinity, and no column could hold it
        raise ValueError(f"the number {digits[:20]} is too large")
    return value


def _bounded_int(digits: str) -> int:
    # Python refuses ints of over 4,300 digits with a message about its own settings.
    if len(digits) > MAX_INT_DIGITS:
        raise ValueError(f"a number has more than {MAX_INT_DIGITS} digits")
    return int(digits)


# One decoder for every body (json.loads with hooks builds a new one each call).
_DECODER = json.JSONDecoder(parse_constant=_not_json, parse_int=_bounded_int, parse_float=_finite_float)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    return {list: "an array", str: "a string", bool: "a boolean"}.get(type(value), "a number")


def _unstorable(data: dict[str, Any]) -> Any:
    """Strings no database can hold (NUL, lone surrogates) and absurd nesting, with their paths."""
    stack: list[tuple[list[str | int], Any, int]] = [([], data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            yield Issue(path, f"nests deeper than {MAX_DEPTH} levels")
            continue
        if isinstance(value, str):
            message = text_problem(value)
            if message:
                yield Issue(path, message)
        elif isinstance(value, dict):
            for key, item in value.items():
                message = text_problem(key)
                if message:
                    yield Issue([*path, key], f"field name {message}")
                stack.append(([*path, key], item, depth + 1))
        elif isinstance(value, list):
            stack.extend(([*path, i], item, depth + 1) for i, item in enumerate(value))


def text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must not contain unpaired surrogate characters"
    return None


def validate(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues = [Issue(list(err["loc"]), _message(err)) for err in exc.errors(include_url=False)]
        raise validation_error(issues) from None


def _message(err: Any) -> str:
    message = str(err["msg"])
    # "Value error, must not be blank" reads better without the prefix.
    return message.removeprefix("Value error, ")


def json_body(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """A dependency that reads the body and validates it into `model`."""

    async def read(request: Request) -> M:
        try:
            raw = await request.body()
        except ClientDisconnect:
            # Nobody is left to answer; end the request quietly instead of logging a traceback.
            raise BadRequest("The client went away before sending the whole body") from None
        return validate(model, decode_json_object(raw))

    read.__name__ = f"read_{model.__name__}"
    BODY_MODELS[read] = model  # so that the OpenAPI document shows the body
    return read


class BodyLimitMiddleware:
    """Answers 413 for bodies over the limit, before reading them whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PayloadTooLarge(f"The request body is larger than {self.max_bytes} bytes")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await error_response(too_large)(scope, receive, send)
                    return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise too_large
            return message

        await self.app(scope, limited_receive, send)
