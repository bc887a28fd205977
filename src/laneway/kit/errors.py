"""One error type for every failure a client can cause, rendered as the v1 JSON error body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

Path = Sequence[str | int]


def printable(text: str, limit: int = 200) -> str:
    """`text` made safe to echo in an error: valid UTF-8, and not absurdly long."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return safe if len(safe) <= limit else safe[:limit] + "…"


class Issue:
    """One validation problem: where in the body, and what is wrong."""

    __slots__ = ("message", "path")

    def __init__(self, path: Path, message: str) -> None:
        # Paths and messages may quote client input (field names, values): keep them renderable.
        self.path = [p if isinstance(p, int) else printable(str(p)) for p in path]
        self.message = printable(message, 1000)

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message}


class AppError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, issues: Sequence[Issue] = (), headers: dict[str, str] | None = None):
        message = printable(message, 1000)
        super().__init__(message)
        self.message = message
        self.issues = list(issues)
        self.headers = headers

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.issues:
            body["issues"] = [issue.as_json() for issue in self.issues]
        return body


class BadRequest(AppError):
    status = 400
    code = "BAD_REQUEST"


class Unauthorized(AppError):
    status = 401
    code = "UNAUTHORIZED"


class Forbidden(AppError):
    status = 403
    code = "FORBIDDEN"


class NotFound(AppError):
    status = 404
    code = "NOT_FOUND"


class MethodNotSupported(AppError):
    status = 405
    code = "METHOD_NOT_SUPPORTED"


class Conflict(AppError):
    status = 409
    code = "CONFLICT"


class PayloadTooLarge(AppError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class TooManyRequests(AppError):
    status = 429
    code = "TOO_MANY_REQUESTS"


def validation_error(issues: Sequence[Issue]) -> BadRequest:
    first = issues[0]
    where = ".".join(str(p) for p in first.path) or "body"
    summary = f"{where}: {first.message}"
    if len(issues) > 1:
        summary += f" (and {len(issues) - 1} more)"
    return BadRequest(f"Invalid input: {summary}", issues)


def error_response(error: AppError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


_BY_STATUS: dict[int, type[AppError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotSupported,
    409: Conflict,
    413: PayloadTooLarge,
    429: TooManyRequests,
}


def install_error_handlers(app: FastAPI) -> None:
    async def on_app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        return error_response(exc)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        # Starlette's own answers: unknown routes (404), wrong methods (405).
        assert isinstance(exc, StarletteHTTPException)
        kind = _BY_STATUS.get(exc.status_code, AppError)
        if exc.status_code == 404:
            message = f"No route {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"Method {request.method} is not supported on {request.url.path}"
        else:
            message = str(exc.detail)
        response = error_response(kind(message))
        response.status_code = exc.status_code
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def on_request_validation(request: Request, exc: Exception) -> JSONResponse:
        # Path and query parameters declared on routes; bodies go through kit.body.
        assert isinstance(exc, RequestValidationError)
        issues = [
            Issue([str(p) for p in err.get("loc", ())[1:]] or ["query"], str(err.get("msg", "invalid")))
            for err in exc.errors()
        ]
        return error_response(validation_error(issues or [Issue([], "invalid request")]))

    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        # Logged by the server with its traceback; the client gets the error shape, no details.
        return error_response(AppError("Internal server error"))

    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(Exception, on_bug)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_request_validation)
