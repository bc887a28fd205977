"""The OpenAPI document: request bodies read by `json_body`, the JSON error answers, and the
bearer key, none of which FastAPI can see on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from laneway.kit.schema import ResponseSchema

BODY_MODELS: dict[Callable[..., Any], type[BaseModel]] = {}  # json_body dependency -> its schema
SECURED: set[Callable[..., Any]] = set()  # dependencies that require an API key
REF = "#/components/schemas/{model}"


class IssueOut(ResponseSchema):
    path: list[str | int]
    message: str


class ErrorOut(ResponseSchema):
    """Every error answer: a sentence, a code, and for invalid input the fields at fault."""

    message: str
    code: str
    issues: list[IssueOut] | None = None


ERRORS = {
    "400": "Invalid input (BAD_REQUEST); `issues` names the fields",
    "401": "Missing, unknown or revoked API key (UNAUTHORIZED)",
    "403": "The member's role may not do this (FORBIDDEN)",
    "404": "Unknown id, or one of another workspace (NOT_FOUND)",
    "409": "A unique value is taken, or an Idempotency-Key reused for another request (CONFLICT)",
    "413": "Body larger than the configured limit (PAYLOAD_TOO_LARGE)",
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _ref(model: type[BaseModel]) -> dict[str, str]:
    DOCUMENTED.add(model)
    return {"$ref": REF.format(model=model.__name__)}


def _error(status: str) -> dict[str, Any]:
    return {"description": ERRORS[status], "content": {"application/json": {"schema": _ref(ErrorOut)}}}


class LanewayRoute(APIRoute):
    """A route whose OpenAPI operation shows what FastAPI cannot see: the body `json_body`
    reads, the bearer key `current_caller` checks, and the JSON errors in place of 422."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        calls = list(_calls(self.dependant))
        body = next((BODY_MODELS[c] for c in calls if c in BODY_MODELS), None)
        secured = any(c in SECURED for c in calls)
        methods = self.methods or set()
        writes = bool(methods - {"GET", "HEAD"})
        extra: dict[str, Any] = {"responses": {"400": _error("400")}}
        if body is not None:
            extra["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
            extra["responses"]["413"] = _error("413")
        if secured:
            extra["security"] = [{"apiKey": []}]
            extra["responses"]["401"] = _error("401")
            if writes:
                extra["responses"]["403"] = _error("403")
        if "{" in path:
            extra["responses"]["404"] = _error("404")
        if methods & {"POST", "PATCH"}:
            extra["responses"]["409"] = _error("409")
        self.openapi_extra = {**extra, **(self.openapi_extra or {})}


DOCUMENTED: set[type[BaseModel]] = set()


def install_openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        for model in sorted(DOCUMENTED, key=lambda m: m.__name__):
            schema = model.model_json_schema(by_alias=True, ref_template=REF, mode="validation")
            components.update(schema.pop("$defs", {}))
            components[model.__name__] = schema
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for operations in doc["paths"].values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)  # FastAPI's; we answer 400
        doc["components"]["securitySchemes"] = {
            "apiKey": {"type": "http", "scheme": "bearer", "description": "An API key: pl_..."}
        }
        app.openapi_schema = doc
        return doc

    app.openapi = build  # type: ignore[method-assign]
