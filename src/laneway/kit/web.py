"""Request-scoped plumbing: the database and the settings of the running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from laneway.config import Settings
from laneway.kit.db import Database


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# A route does its work with `await db.run(work)`: one transaction, committed before the route
# returns, so a 200 means committed.
Db = Annotated[Database, Depends(get_database)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def json_answer(body: str | bytes) -> Response:
    """An answer already serialised (by a response schema's model_dump_json, or kit/shapes)."""
    return Response(body, media_type="application/json")
