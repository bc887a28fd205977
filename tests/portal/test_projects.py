"""GET /api/v1/projects/{workspaceId}[/{projectId}]: the public portal's roadmap projects."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from laneway.kit.db import Database
from laneway.projects.models import Project
from laneway.projects.service import create_project
from tests.conftest import WorkspaceFixture, make_workspace
from tests.portal.helpers import key_variants

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PROJECT_KEYS = {
    "id",
    "name",
    "description",
    "color",
    "createdAt",
    "icon",
    "linearProjectId",
    "linearTeamIds",
    "progress",
    "sortOrder",
    "state",
    "upvotes",
    "importanceScore",
}
NOT_PUBLISHED = {"message": "Workspace not found", "code": "NOT_FOUND"}


@pytest.fixture
def portal(database: Database) -> WorkspaceFixture:
    return make_workspace(database, publish=True)


@pytest.fixture
def other_portal(database: Database) -> WorkspaceFixture:
    return make_workspace(database, publish=True)


def add_project(
    workspace: WorkspaceFixture, name: str, sort_order: float | None = None, created: int = 0
) -> str:
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name=name)
        project.sort_order = sort_order
        project.created_at = datetime(2024, 1, 1, 0, 0, created, tzinfo=UTC)
        return project.id


def test_list_has_every_key_with_the_stored_values(client: TestClient, portal: WorkspaceFixture) -> None:
    with portal.database.unit_of_work() as session:
        project = create_project(session, portal.id, name="Dark mode", description="Easy on the eyes")
        project.color, project.icon, project.state = "#000000", "moon", "started"
        project.progress, project.sort_order, project.importance_score = 0.5, 2.0, 7.25
        project.linear_project_id, project.linear_team_ids, project.upvotes = "lin-1", ["team-a"], 3
        project_id = project.id
    response = client.get(f"/api/v1/projects/{portal.id}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"projects"}
    [p] = body["projects"]
    assert set(p) == PROJECT_KEYS
    assert DATE.match(p["createdAt"])
    p.pop("createdAt")
    assert p == {
        "id": project_id,
        "name": "Dark mode",
        "description": "Easy on the eyes",
        "color": "#000000",
        "icon": "moon",
        "linearProjectId": "lin-1",
        "linearTeamIds": ["team-a"],
        "progress": 0.5,
        "sortOrder": 2.0,
        "state": "started",
        "upvotes": 3,
        "importanceScore": 7.25,
    }


def test_new_project_shows_nulls_and_empty_lists(client: TestClient, portal: WorkspaceFixture) -> None:
    project_id = add_project(portal, "Plain")
    p = client.get(f"/api/v1/projects/{portal.id}/{project_id}").json()["project"]
    assert (p["description"], p["color"], p["icon"], p["state"], p["progress"], p["sortOrder"]) == (None,) * 6
    assert (p["linearTeamIds"], p["upvotes"], p["importanceScore"], p["linearProjectId"]) == (
        [],
        0,
        None,
        None,
    )


def test_list_is_ordered_by_sort_order_then_creation(client: TestClient, portal: WorkspaceFixture) -> None:
    unsorted_old = add_project(portal, "unsorted old", None, created=1)
    second = add_project(portal, "second", 2.0, created=2)
    first_newer = add_project(portal, "first newer", 1.0, created=5)
    first_older = add_project(portal, "first older", 1.0, created=3)
    unsorted_new = add_project(portal, "unsorted new", None, created=4)
    ids = [p["id"] for p in client.get(f"/api/v1/projects/{portal.id}").json()["projects"]]
    assert ids == [first_older, first_newer, second, unsorted_old, unsorted_new]


def test_empty_portal_lists_no_projects(client: TestClient, portal: WorkspaceFixture) -> None:
    response = client.get(f"/api/v1/projects/{portal.id}")
    assert (response.status_code, response.json()) == (200, {"projects": []})


def test_get_answers_the_project_as_listed(client: TestClient, portal: WorkspaceFixture) -> None:
    project_id = add_project(portal, "One", 1.0)
    add_project(portal, "Two", 2.0)
    response = client.get(f"/api/v1/projects/{portal.id}/{project_id}")
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"project"}
    listed = client.get(f"/api/v1/projects/{portal.id}").json()["projects"]
    assert response.json()["project"] == next(p for p in listed if p["id"] == project_id)


def test_any_key_or_none_gets_the_same_answers(
    client: TestClient, portal: WorkspaceFixture, other_portal: WorkspaceFixture
) -> None:
    project_id = add_project(portal, "Public")
    for path in (f"/api/v1/projects/{portal.id}", f"/api/v1/projects/{portal.id}/{project_id}"):
        answers = [client.get(path, headers=h) for h in key_variants(portal, other_portal)]
        assert [r.status_code for r in answers] == [200] * len(answers), [r.text for r in answers]
        assert all(r.json() == answers[0].json() for r in answers)
        assert project_id in answers[0].text


def test_unpublished_workspace_is_not_found_even_with_its_own_key(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    project_id = add_project(workspace, "Hidden")
    for path in (f"/api/v1/projects/{workspace.id}", f"/api/v1/projects/{workspace.id}/{project_id}"):
        for headers in ({}, workspace.admin.headers):
            response = client.get(path, headers=headers)
            assert (response.status_code, response.json()) == (404, NOT_PUBLISHED), path
    assert workspace.count(Project) == 1


def test_unknown_workspace_is_not_found(client: TestClient, portal: WorkspaceFixture) -> None:
    project_id = add_project(portal, "Elsewhere")
    for wid in ("no-such-workspace", "x" * 300):
        for path in (f"/api/v1/projects/{wid}", f"/api/v1/projects/{wid}/{project_id}"):
            response = client.get(path)
            assert (response.status_code, response.json()) == (404, NOT_PUBLISHED), path


def test_another_workspaces_project_is_not_found_like_an_unknown_one(
    client: TestClient, portal: WorkspaceFixture, other_portal: WorkspaceFixture
) -> None:
    mine = add_project(portal, "Mine")
    theirs = add_project(other_portal, "Theirs")
    for project_id in (theirs, "no-such-project"):
        response = client.get(
            f"/api/v1/projects/{portal.id}/{project_id}", headers=other_portal.admin.headers
        )
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "NOT_FOUND"
        assert response.json()["message"] != NOT_PUBLISHED["message"]
    assert [p["id"] for p in client.get(f"/api/v1/projects/{portal.id}").json()["projects"]] == [mine]
    assert [p["id"] for p in client.get(f"/api/v1/projects/{other_portal.id}").json()["projects"]] == [theirs]
    assert client.get(f"/api/v1/projects/{other_portal.id}/{theirs}").status_code == 200
