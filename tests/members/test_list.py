"""GET /api/v1/users and its alias /users/members: the caller's workspace, one query."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from laneway.kit.db import Database
from laneway.members.service import add_member
from tests.conftest import WorkspaceFixture, make_workspace
from tests.members.helpers import listed, unique_email

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
MEMBERSHIP_KEYS = {"id", "createdAt", "updatedAt", "role", "userId", "workspaceId", "user"}


@contextmanager
def counting_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_list_is_a_bare_array_of_memberships_oldest_first(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    user = workspace.add_member(unique_email("user"), "USER")
    viewer = workspace.add_member(unique_email("viewer"), "VIEWER")
    items = listed(client, workspace.admin)
    assert isinstance(items, list)
    assert [m["id"] for m in items] == [
        workspace.admin.membership_id,
        user.membership_id,
        viewer.membership_id,
    ]
    assert [(m["userId"], m["role"]) for m in items] == [
        (workspace.admin.user_id, "ADMIN"),
        (user.user_id, "USER"),
        (viewer.user_id, "VIEWER"),
    ]
    for m in items:
        assert set(m) == MEMBERSHIP_KEYS
        assert m["workspaceId"] == workspace.id
        assert DATE.match(m["createdAt"]), m
        assert DATE.match(m["updatedAt"]), m
        assert set(m["user"]) == {"id", "email", "name", "imageUrl"}
        assert m["user"]["id"] == m["userId"]
    assert items[0]["user"] == {
        "id": workspace.admin.user_id,
        "email": workspace.admin.email,
        "name": "Admin",
        "imageUrl": None,
    }
    assert items[1]["user"]["email"] == user.email
    assert items[1]["user"]["name"] is None


def test_members_alias_answers_exactly_like_users(client: TestClient, workspace: WorkspaceFixture) -> None:
    workspace.add_member(unique_email(), "USER")
    assert listed(client, workspace.admin, "/api/v1/users/members") == listed(client, workspace.admin)


@pytest.mark.parametrize("role", ["USER", "VIEWER"])
def test_every_role_may_list_members(client: TestClient, workspace: WorkspaceFixture, role: str) -> None:
    member = workspace.add_member(unique_email(role.lower()), role)
    assert [m["id"] for m in listed(client, member)] == [workspace.admin.membership_id, member.membership_id]


def test_list_shows_only_the_callers_workspace(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    shared = workspace.add_member(unique_email("shared"), "USER")
    # The same person in both workspaces: each workspace lists only its own membership.
    with other_workspace.database.unit_of_work() as session:
        _, theirs = add_member(session, other_workspace.id, shared.email, None, "VIEWER")
        their_membership_id = theirs.id
    mine = listed(client, workspace.admin)
    others = listed(client, other_workspace.admin)
    assert {m["workspaceId"] for m in mine} == {workspace.id}
    assert {m["workspaceId"] for m in others} == {other_workspace.id}
    assert [m["id"] for m in others] == [other_workspace.admin.membership_id, their_membership_id]
    assert [m["role"] for m in others] == ["ADMIN", "VIEWER"]
    assert {m["id"] for m in mine} == {workspace.admin.membership_id, shared.membership_id}


def test_list_costs_the_same_queries_for_one_member_or_many(client: TestClient, database: Database) -> None:
    small = make_workspace(database)
    large = make_workspace(database)
    for _ in range(6):
        large.add_member(unique_email(), "USER")
    with counting_statements(database) as for_small:
        assert len(listed(client, small.admin)) == 1
    with counting_statements(database) as for_large:
        assert len(listed(client, large.admin)) == 7
    assert len(for_large) == len(for_small), (for_small, for_large)
    # The key check, and one joined select for the list.
    assert sum("FROM memberships JOIN users" in s for s in for_large) == 1


def test_list_needs_a_valid_key(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer pl_not-a-key"}):
        for path in ("/api/v1/users", "/api/v1/users/members"):
            response = client.get(path, headers=headers)
            assert response.status_code == 401
            assert response.json()["code"] == "UNAUTHORIZED"
