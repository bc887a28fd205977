"""Roadmap issues as the public portal shows them."""

from __future__ import annotations

from laneway.kit.schema import ResponseSchema, Timestamp


class PortalIssueOut(ResponseSchema):
    id: str
    title: str
    description: str | None
    state: str | None
    project_id: str | None
    linear_issue_id: str | None
    upvotes: int
    created_at: Timestamp
    updated_at: Timestamp


class PortalIssuesOut(ResponseSchema):
    """GET /issues/{workspaceId}."""

    issues: list[PortalIssueOut]


class PortalIssueAnswer(ResponseSchema):
    """GET /issues/{workspaceId}/{issueId}."""

    issue: PortalIssueOut
