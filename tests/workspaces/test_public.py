"""GET /api/v1/workspaces/{id}: public, no key needed, any key ignored."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from laneway.kit.db import Database
from laneway.workspaces.models import Workspace
from tests.conftest import WorkspaceFixture, make_workspace
from tests.portal.helpers import key_variants

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
WORKSPACE_KEYS = {
    "id",
    "name",
    "slug",
    "domain",
    "logo",
    "primaryColor",
    "secondaryColor",
    "isPublished",
    "createdAt",
    "updatedAt",
}


def test_public_workspace_has_every_key_and_no_secrets(client: TestClient, database: Database) -> None:
    workspace = make_workspace(database, publish=True, domain="acme.example", slack_token="xoxb-secret-token")
    with database.unit_of_work() as session:
        row = session.get(Workspace, workspace.id)
        assert row is not None
        row.logo, row.primary_color, row.secondary_color = (
            "https://acme.example/logo.png",
            "#112233",
            "#445566",
        )
    response = client.get(f"/api/v1/workspaces/{workspace.id}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"workspace", "latestChangelog"}
    assert body["latestChangelog"] is None
    w = body["workspace"]
    assert set(w) == WORKSPACE_KEYS
    assert (w["id"], w["domain"], w["isPublished"]) == (workspace.id, "acme.example", True)
    assert w["name"].startswith("Test ")
    assert w["slug"] == w["name"].lower().replace(" ", "-")
    assert (w["logo"], w["primaryColor"], w["secondaryColor"]) == (
        "https://acme.example/logo.png",
        "#112233",
        "#445566",
    )
    assert DATE.match(w["createdAt"]), w
    assert DATE.match(w["updatedAt"]), w
    assert "xoxb-secret-token" not in response.text
    assert "C0123" not in response.text


def test_unpublished_workspace_answers_with_is_published_false(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    response = client.get(f"/api/v1/workspaces/{workspace.id}")
    assert response.status_code == 200, response.text
    w = response.json()["workspace"]
    assert (w["id"], w["isPublished"], w["logo"], w["primaryColor"]) == (workspace.id, False, None, None)


def test_any_key_or_none_gets_the_same_answer(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    answers = [
        client.get(f"/api/v1/workspaces/{workspace.id}", headers=headers)
        for headers in key_variants(workspace, other_workspace)
    ]
    assert [r.status_code for r in answers] == [200] * len(answers), [r.text for r in answers]
    assert all(r.json() == answers[0].json() for r in answers)
    # Another workspace's key does not turn the answer into that workspace's.
    assert answers[2].json()["workspace"]["id"] == workspace.id


def test_unknown_workspace_is_not_found(client: TestClient, workspace: WorkspaceFixture) -> None:
    near_miss = workspace.id[:-1] + ("1" if workspace.id.endswith("0") else "0")
    for wid in ("no-such-workspace", near_miss, "x" * 300, "%ED%A0%80", "%20"):
        response = client.get(f"/api/v1/workspaces/{wid}", headers=workspace.admin.headers)
        assert response.status_code == 404, (wid, response.text)
        assert response.json() == {"message": "Workspace not found", "code": "NOT_FOUND"}
    # A NUL is refused before routing, like any path no route can serve.
    nul = client.get("/api/v1/workspaces/%00", headers=workspace.admin.headers)
    assert (nul.status_code, nul.json()["code"]) == (404, "NOT_FOUND")
