"""Request-scoped plumbing: the unit of work of one request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from laneway.config import Settings
from laneway.kit.db import Database

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def request_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent (so a 200 means
    committed) and rolled back on any error. Writes take SQLite's lock up front."""
    with get_database(request).unit_of_work(write=request.method not in READ_METHODS) as session:
        yield session


# scope="function": the commit runs when the route returns, before the response goes out.
DbSession = Annotated[Session, Depends(request_session, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings)]
