"""GET /api/v1/issues/{workspaceId}[/{issueId}]: the public portal's roadmap issues."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from laneway.issues.models import Issue
from laneway.issues.service import create_issue
from laneway.kit.db import Database
from laneway.projects.service import create_project
from tests.conftest import WorkspaceFixture, make_workspace
from tests.portal.helpers import key_variants

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ISSUE_KEYS = {
    "id",
    "title",
    "description",
    "state",
    "projectId",
    "linearIssueId",
    "upvotes",
    "createdAt",
    "updatedAt",
}
NOT_PUBLISHED = {"message": "Workspace not found", "code": "NOT_FOUND"}


@pytest.fixture
def portal(database: Database) -> WorkspaceFixture:
    return make_workspace(database, publish=True)


@pytest.fixture
def other_portal(database: Database) -> WorkspaceFixture:
    return make_workspace(database, publish=True)


def add_issue(workspace: WorkspaceFixture, title: str, created: int = 0) -> str:
    with workspace.database.unit_of_work() as session:
        issue = create_issue(session, workspace.id, title=title)
        issue.created_at = datetime(2024, 1, 1, 0, 0, created, tzinfo=UTC)
        return issue.id


def test_list_has_every_key_with_the_stored_values(client: TestClient, portal: WorkspaceFixture) -> None:
    with portal.database.unit_of_work() as session:
        project = create_project(session, portal.id, name="Roadmap")
        issue = create_issue(session, portal.id, title="Export to CSV", project_id=project.id)
        issue.description, issue.state, issue.linear_issue_id, issue.upvotes = (
            "All columns",
            "todo",
            "LIN-7",
            4,
        )
        issue.created_at = datetime(2024, 5, 1, 9, 30, 0, 123000, tzinfo=UTC)
        issue.updated_at = datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
        issue_id, project_id = issue.id, project.id
    response = client.get(f"/api/v1/issues/{portal.id}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"issues"}
    [i] = body["issues"]
    assert set(i) == ISSUE_KEYS
    assert i == {
        "id": issue_id,
        "title": "Export to CSV",
        "description": "All columns",
        "state": "todo",
        "projectId": project_id,
        "linearIssueId": "LIN-7",
        "upvotes": 4,
        "createdAt": "2024-05-01T09:30:00.123Z",
        "updatedAt": "2024-05-02T10:00:00.000Z",
    }


def test_new_issue_shows_nulls(client: TestClient, portal: WorkspaceFixture) -> None:
    issue_id = add_issue(portal, "Plain")
    i = client.get(f"/api/v1/issues/{portal.id}/{issue_id}").json()["issue"]
    assert (i["description"], i["state"], i["projectId"], i["linearIssueId"], i["upvotes"]) == (
        None,
        None,
        None,
        None,
        0,
    )
    assert DATE.match(i["createdAt"])
    assert DATE.match(i["updatedAt"])


def test_list_is_oldest_first(client: TestClient, portal: WorkspaceFixture) -> None:
    newer = add_issue(portal, "newer", created=9)
    older = add_issue(portal, "older", created=1)
    middle = add_issue(portal, "middle", created=5)
    ids = [i["id"] for i in client.get(f"/api/v1/issues/{portal.id}").json()["issues"]]
    assert ids == [older, middle, newer]


def test_empty_portal_lists_no_issues(client: TestClient, portal: WorkspaceFixture) -> None:
    response = client.get(f"/api/v1/issues/{portal.id}")
    assert (response.status_code, response.json()) == (200, {"issues": []})


def test_get_answers_the_issue_as_listed(client: TestClient, portal: WorkspaceFixture) -> None:
    issue_id = add_issue(portal, "One")
    add_issue(portal, "Two")
    response = client.get(f"/api/v1/issues/{portal.id}/{issue_id}")
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"issue"}
    listed = client.get(f"/api/v1/issues/{portal.id}").json()["issues"]
    assert response.json()["issue"] == next(i for i in listed if i["id"] == issue_id)


def test_any_key_or_none_gets_the_same_answers(
    client: TestClient, portal: WorkspaceFixture, other_portal: WorkspaceFixture
) -> None:
    issue_id = add_issue(portal, "Public")
    for path in (f"/api/v1/issues/{portal.id}", f"/api/v1/issues/{portal.id}/{issue_id}"):
        answers = [client.get(path, headers=h) for h in key_variants(portal, other_portal)]
        assert [r.status_code for r in answers] == [200] * len(answers), [r.text for r in answers]
        assert all(r.json() == answers[0].json() for r in answers)
        assert issue_id in answers[0].text


def test_unpublished_workspace_is_not_found_even_with_its_own_key(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    issue_id = add_issue(workspace, "Hidden")
    for path in (f"/api/v1/issues/{workspace.id}", f"/api/v1/issues/{workspace.id}/{issue_id}"):
        for headers in ({}, workspace.admin.headers):
            response = client.get(path, headers=headers)
            assert (response.status_code, response.json()) == (404, NOT_PUBLISHED), path
    assert workspace.count(Issue) == 1


def test_unknown_workspace_is_not_found(client: TestClient, portal: WorkspaceFixture) -> None:
    issue_id = add_issue(portal, "Elsewhere")
    for wid in ("no-such-workspace", "x" * 300):
        for path in (f"/api/v1/issues/{wid}", f"/api/v1/issues/{wid}/{issue_id}"):
            response = client.get(path)
            assert (response.status_code, response.json()) == (404, NOT_PUBLISHED), path


def test_another_workspaces_issue_is_not_found_like_an_unknown_one(
    client: TestClient, portal: WorkspaceFixture, other_portal: WorkspaceFixture
) -> None:
    mine = add_issue(portal, "Mine")
    theirs = add_issue(other_portal, "Theirs")
    for issue_id in (theirs, "no-such-issue"):
        response = client.get(f"/api/v1/issues/{portal.id}/{issue_id}", headers=other_portal.admin.headers)
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "NOT_FOUND"
        assert response.json()["message"] != NOT_PUBLISHED["message"]
    assert [i["id"] for i in client.get(f"/api/v1/issues/{portal.id}").json()["issues"]] == [mine]
    assert [i["id"] for i in client.get(f"/api/v1/issues/{other_portal.id}").json()["issues"]] == [theirs]
    assert client.get(f"/api/v1/issues/{other_portal.id}/{theirs}").status_code == 200
