"""Request limits enforced before any route runs."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from laneway.kit.errors import AppError, BadRequest, NotFound, error_response


class HeadersTooLarge(AppError):
    status = 431
    code = "REQUEST_HEADER_FIELDS_TOO_LARGE"


class RequestGuardMiddleware:
    """Refuses, before routing, what no route can use: headers adding up to more than
    `max_header_bytes` (431), and NUL characters in the path (404) or the query (400), which
    no database column can hold."""

    def __init__(self, app: ASGIApp, max_header_bytes: int = 32 * 1024) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            error = self._problem(scope)
            if error is not None:
                await error_response(error)(scope, receive, send)
                return
            scope = _without_trailing_slash(scope)
        await self.app(scope, receive, send)

    def _problem(self, scope: Scope) -> AppError | None:
        size = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))
        if size > self.max_header_bytes:
            return HeadersTooLarge(f"The request headers are larger than {self.max_header_bytes} bytes")
        if "\x00" in scope.get("path", ""):
            return NotFound("No such route")
        query: bytes = scope.get("query_string", b"")
        if b"\x00" in query or b"%00" in query:
            return BadRequest("The query string must not contain NUL characters")
        return None


def _without_trailing_slash(scope: Scope) -> Scope:
    """`/api/v1/threads/` is served as `/api/v1/threads`, with no redirect (a redirect would
    point at whatever Host the client sent)."""
    path: str = scope.get("path", "")
    if len(path) > 1 and path.endswith("/"):
        scope = dict(scope, path=path.rstrip("/") or "/")
        raw: bytes | None = scope.get("raw_path")
        if raw:
            scope["raw_path"] = raw.rstrip(b"/") or b"/"
    return scope
