from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from laneway.members.models import Membership
from tests.conftest import Member, WorkspaceFixture


def unique_email(tag: str = "member", domain: str = "team.example") -> str:
    return f"{tag}.{uuid.uuid4().hex[:10]}@{domain}"


def listed(client: TestClient, member: Member, path: str = "/api/v1/users") -> list[dict[str, Any]]:
    response = client.get(path, headers=member.headers)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


def roles(workspace: WorkspaceFixture) -> dict[str, str]:
    """Membership id -> role, read from the database."""
    with workspace.database.unit_of_work(write=False) as session:
        rows = session.query(Membership.id, Membership.role).filter(Membership.workspace_id == workspace.id)
        return {membership_id: role for membership_id, role in rows}


def set_role(client: TestClient, member: Member, **body: Any) -> Any:
    return client.patch("/api/v1/users/role", json=body, headers=member.headers)


def invite(client: TestClient, member: Member, **body: Any) -> Any:
    return client.post("/api/v1/users/invite", json=body, headers=member.headers)
