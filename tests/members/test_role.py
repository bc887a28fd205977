"""PATCH /api/v1/users/role: admins change other members' roles, never their own or the last admin's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from laneway.auth.caller import Caller
from laneway.kit.errors import Forbidden
from laneway.members.service import change_role
from tests.conftest import WorkspaceFixture
from tests.members.helpers import roles, set_role, unique_email

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_change_by_membership_id_answers_the_updated_membership(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    member = workspace.add_member(unique_email(), "USER")
    response = set_role(client, workspace.admin, membershipId=member.membership_id, role="VIEWER")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"id", "createdAt", "updatedAt", "role", "userId", "workspaceId", "user"}
    assert (body["id"], body["userId"], body["workspaceId"], body["role"]) == (
        member.membership_id,
        member.user_id,
        workspace.id,
        "VIEWER",
    )
    assert body["user"] == {"id": member.user_id, "email": member.email, "name": None, "imageUrl": None}
    assert DATE.match(body["updatedAt"])
    assert body["updatedAt"] >= body["createdAt"]
    assert roles(workspace)[member.membership_id] == "VIEWER"


def test_change_by_user_id(client: TestClient, workspace: WorkspaceFixture) -> None:
    member = workspace.add_member(unique_email(), "VIEWER")
    response = set_role(client, workspace.admin, userId=member.user_id, role="ADMIN")
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["role"]) == (member.membership_id, "ADMIN")
    assert roles(workspace)[member.membership_id] == "ADMIN"


def test_setting_the_same_role_is_a_harmless_success(client: TestClient, workspace: WorkspaceFixture) -> None:
    member = workspace.add_member(unique_email(), "USER")
    response = set_role(client, workspace.admin, membershipId=member.membership_id, role="USER")
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "USER"
    assert roles(workspace)[member.membership_id] == "USER"


def test_a_promoted_member_may_then_change_roles(client: TestClient, workspace: WorkspaceFixture) -> None:
    promoted = workspace.add_member(unique_email(), "USER")
    other = workspace.add_member(unique_email(), "USER")
    assert set_role(client, promoted, membershipId=other.membership_id, role="VIEWER").status_code == 403
    assert (
        set_role(client, workspace.admin, membershipId=promoted.membership_id, role="ADMIN").status_code
        == 200
    )
    assert set_role(client, promoted, membershipId=other.membership_id, role="VIEWER").status_code == 200
    assert roles(workspace)[other.membership_id] == "VIEWER"


@pytest.mark.parametrize("role", ["USER", "VIEWER"])
def test_only_admins_may_change_roles(client: TestClient, workspace: WorkspaceFixture, role: str) -> None:
    caller = workspace.add_member(unique_email("caller"), role)
    target = workspace.add_member(unique_email("target"), "USER")
    before = roles(workspace)
    for body in (
        {"membershipId": target.membership_id, "role": "VIEWER"},
        {"userId": target.user_id, "role": "ADMIN"},
        {"membershipId": caller.membership_id, "role": "ADMIN"},  # promoting oneself
        {"membershipId": workspace.admin.membership_id, "role": "USER"},
    ):
        response = set_role(client, caller, **body)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "FORBIDDEN"
    assert roles(workspace) == before


def test_role_change_needs_a_valid_key(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = client.patch(
        "/api/v1/users/role", json={"membershipId": workspace.admin.membership_id, "role": "USER"}
    )
    assert response.status_code == 401
    assert roles(workspace) == {workspace.admin.membership_id: "ADMIN"}


def test_nobody_changes_their_own_role(client: TestClient, workspace: WorkspaceFixture) -> None:
    second = workspace.add_member(unique_email("second-admin"), "ADMIN")
    before = roles(workspace)
    for body in (
        {"membershipId": workspace.admin.membership_id, "role": "USER"},
        {"userId": workspace.admin.user_id, "role": "VIEWER"},
        {"membershipId": workspace.admin.membership_id, "role": "ADMIN"},
    ):
        response = set_role(client, workspace.admin, **body)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "FORBIDDEN"
    response = set_role(client, second, userId=second.user_id, role="USER")
    assert response.status_code == 403, response.text
    assert roles(workspace) == before


def test_the_last_admin_cannot_be_demoted(client: TestClient, workspace: WorkspaceFixture) -> None:
    workspace.add_member(unique_email(), "USER")
    for body in (
        {"membershipId": workspace.admin.membership_id, "role": "USER"},
        {"userId": workspace.admin.user_id, "role": "VIEWER"},
    ):
        response = set_role(client, workspace.admin, **body)
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "CONFLICT"
        assert "last ADMIN" in response.json()["message"]
    assert roles(workspace)[workspace.admin.membership_id] == "ADMIN"


def test_one_of_two_admins_may_demote_the_other_but_not_back(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    second = workspace.add_member(unique_email("second-admin"), "ADMIN")
    response = set_role(client, workspace.admin, membershipId=second.membership_id, role="USER")
    assert response.status_code == 200, response.text
    # The demoted admin's key now acts as a USER.
    response = set_role(client, second, membershipId=workspace.admin.membership_id, role="USER")
    assert response.status_code == 403, response.text
    assert roles(workspace) == {workspace.admin.membership_id: "ADMIN", second.membership_id: "USER"}


def test_a_caller_demoted_after_the_key_check_is_refused(workspace: WorkspaceFixture) -> None:
    # The key is checked in its own transaction; the change re-reads the caller's role under lock.
    second = workspace.add_member(unique_email("second-admin"), "ADMIN")
    target = workspace.add_member(unique_email("target"), "USER")
    stale = Caller(workspace.id, second.user_id, second.membership_id, "ADMIN", "key")
    with workspace.database.unit_of_work() as session:
        change_role(session, _caller(workspace), "USER", membership_id=second.membership_id)
    with pytest.raises(Forbidden), workspace.database.unit_of_work() as session:
        change_role(session, stale, "ADMIN", membership_id=target.membership_id)
    assert roles(workspace)[target.membership_id] == "USER"


def _caller(workspace: WorkspaceFixture) -> Caller:
    admin = workspace.admin
    return Caller(workspace.id, admin.user_id, admin.membership_id, "ADMIN", "key")


def test_another_workspaces_member_is_not_found_and_untouched(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    theirs = other_workspace.add_member(unique_email("theirs"), "USER")
    before_mine, before_theirs = roles(workspace), roles(other_workspace)
    for body in (
        {"membershipId": theirs.membership_id, "role": "VIEWER"},
        {"userId": theirs.user_id, "role": "VIEWER"},
        {"membershipId": other_workspace.admin.membership_id, "role": "USER"},
        {"userId": other_workspace.admin.user_id, "role": "USER"},
    ):
        response = set_role(client, workspace.admin, **body)
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "NOT_FOUND"
    assert (roles(workspace), roles(other_workspace)) == (before_mine, before_theirs)


def test_a_member_of_both_workspaces_changes_only_where_the_caller_is(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    email = unique_email("both")
    mine = workspace.add_member(email, "USER")
    theirs = other_workspace.add_member(email, "USER")
    assert mine.user_id == theirs.user_id
    assert set_role(client, workspace.admin, userId=mine.user_id, role="VIEWER").status_code == 200
    assert roles(workspace)[mine.membership_id] == "VIEWER"
    assert roles(other_workspace)[theirs.membership_id] == "USER"


def test_unknown_member_is_not_found(client: TestClient, workspace: WorkspaceFixture) -> None:
    for body in (
        {"membershipId": "no-such-membership", "role": "USER"},
        {"userId": "no-such-user", "role": "USER"},
        {"userId": "x" * 300, "role": "USER"},
    ):
        response = set_role(client, workspace.admin, **body)
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "NOT_FOUND"


BAD_BODIES: list[tuple[list[str], dict[str, Any]]] = [
    (["membershipId", "userId"], {"role": "USER"}),
    (["membershipId", "userId"], {"membershipId": "", "userId": " ", "role": "USER"}),
    (["membershipId", "userId"], {"membershipId": None, "role": "USER"}),
    (["role"], {"role": "OWNER", "membershipId": "MEMBER"}),
    (["role"], {"role": "viewer", "membershipId": "MEMBER"}),
    (["role"], {"membershipId": "MEMBER"}),
    (["role"], {"role": None, "membershipId": "MEMBER"}),
    (["membershipId"], {"membershipId": 5, "role": "USER"}),
    (["userId"], {"userId": ["x"], "role": "USER"}),
]


@pytest.mark.parametrize(("fields", "body"), BAD_BODIES)
def test_bad_role_change_is_a_400_naming_the_field(
    client: TestClient, workspace: WorkspaceFixture, fields: list[str], body: dict[str, Any]
) -> None:
    member = workspace.add_member(unique_email(), "USER")
    body = {k: (member.membership_id if v == "MEMBER" else v) for k, v in body.items()}
    response = set_role(client, workspace.admin, **body)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["code"] == "BAD_REQUEST"
    paths = [issue["path"] for issue in payload["issues"]]
    assert all(any(field in path for path in paths) for field in fields), paths
    assert roles(workspace)[member.membership_id] == "USER"


def test_both_ids_at_once_is_a_400_even_when_they_agree(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    member = workspace.add_member(unique_email(), "USER")
    response = set_role(
        client, workspace.admin, membershipId=member.membership_id, userId=member.user_id, role="VIEWER"
    )
    assert response.status_code == 400, response.text
    assert {tuple(i["path"]) for i in response.json()["issues"]} == {("membershipId",), ("userId",)}
    assert roles(workspace)[member.membership_id] == "USER"
