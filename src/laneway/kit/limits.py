"""Request limits enforced before any route runs."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from laneway.kit.errors import AppError, error_response


class HeadersTooLarge(AppError):
    status = 431
    code = "REQUEST_HEADER_FIELDS_TOO_LARGE"


class HeaderLimitMiddleware:
    """Refuses requests whose headers add up to more than `max_bytes` (431)."""

    def __init__(self, app: ASGIApp, max_bytes: int = 32 * 1024) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))
            if size > self.max_bytes:
                error = HeadersTooLarge(f"The request headers are larger than {self.max_bytes} bytes")
                await error_response(error)(scope, receive, send)
                return
        await self.app(scope, receive, send)
