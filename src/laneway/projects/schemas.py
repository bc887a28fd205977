"""Projects as the public portal shows them."""

from __future__ import annotations

from typing import Any

from laneway.kit.schema import ResponseSchema, Timestamp


class PortalProjectOut(ResponseSchema):
    id: str
    name: str
    description: str | None
    color: str | None
    created_at: Timestamp
    icon: str | None
    linear_project_id: str | None
    linear_team_ids: list[Any]
    progress: float | None
    sort_order: float | None
    state: str | None
    upvotes: int
    importance_score: float | None


class PortalProjectsOut(ResponseSchema):
    """GET /projects/{workspaceId}."""

    projects: list[PortalProjectOut]


class PortalProjectAnswer(ResponseSchema):
    """GET /projects/{workspaceId}/{projectId}."""

    project: PortalProjectOut
