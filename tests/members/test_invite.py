"""POST /api/v1/users/invite: admins add people to their own workspace."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from laneway.members.models import Membership, User
from tests.conftest import WorkspaceFixture
from tests.members.helpers import invite, listed, unique_email


def user_count(workspace: WorkspaceFixture, email: str) -> int:
    with workspace.database.unit_of_work(write=False) as session:
        return session.query(User).filter(User.email == email).count()


def test_admin_invites_a_new_person_as_user_by_default(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    email = unique_email("new")
    response = invite(client, workspace.admin, email=email, name="New Person")
    assert response.status_code == 200, response.text
    assert response.json() == {}
    newest = listed(client, workspace.admin)[-1]
    assert (newest["role"], newest["workspaceId"]) == ("USER", workspace.id)
    assert newest["user"]["email"] == email
    assert newest["user"]["name"] == "New Person"
    assert user_count(workspace, email) == 1


@pytest.mark.parametrize("role", ["ADMIN", "USER", "VIEWER"])
def test_invite_gives_the_role_sent(client: TestClient, workspace: WorkspaceFixture, role: str) -> None:
    email = unique_email(role.lower())
    assert invite(client, workspace.admin, email=email, role=role).status_code == 200
    assert {m["user"]["email"]: m["role"] for m in listed(client, workspace.admin)}[email] == role


@pytest.mark.parametrize("role", [None, "", "  "])
def test_null_or_blank_role_means_the_default_user(
    client: TestClient, workspace: WorkspaceFixture, role: str | None
) -> None:
    email = unique_email()
    assert invite(client, workspace.admin, email=email, role=role).status_code == 200
    assert listed(client, workspace.admin)[-1]["role"] == "USER"


def test_invited_email_is_trimmed_and_lower_cased(client: TestClient, workspace: WorkspaceFixture) -> None:
    email = unique_email()
    assert invite(client, workspace.admin, email=f"  {email.upper()} ").status_code == 200
    assert listed(client, workspace.admin)[-1]["user"]["email"] == email


def test_inviting_someone_from_another_workspace_reuses_their_user(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    outsider = other_workspace.admin
    response = invite(client, workspace.admin, email=outsider.email, name="Renamed?")
    assert response.status_code == 200, response.text
    newest = listed(client, workspace.admin)[-1]
    assert newest["userId"] == outsider.user_id
    assert newest["user"]["name"] == "Admin"  # `name` names new users only
    assert user_count(workspace, outsider.email) == 1
    # Their own workspace is untouched: still its only member, still ADMIN there.
    assert [(m["userId"], m["role"]) for m in listed(client, outsider)] == [(outsider.user_id, "ADMIN")]


def test_inviting_a_member_again_is_a_conflict(client: TestClient, workspace: WorkspaceFixture) -> None:
    member = workspace.add_member(unique_email(), "VIEWER")
    before = workspace.count(Membership)
    for email in (member.email, member.email.upper(), workspace.admin.email):
        response = invite(client, workspace.admin, email=email, role="ADMIN")
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "CONFLICT"
    assert workspace.count(Membership) == before
    assert {m["userId"]: m["role"] for m in listed(client, workspace.admin)}[member.user_id] == "VIEWER"


@pytest.mark.parametrize("role", ["USER", "VIEWER"])
def test_only_admins_may_invite(client: TestClient, workspace: WorkspaceFixture, role: str) -> None:
    member = workspace.add_member(unique_email(), role)
    email = unique_email("refused")
    response = invite(client, member, email=email)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "FORBIDDEN"
    assert workspace.count(Membership) == 2
    assert user_count(workspace, email) == 0


def test_invite_needs_a_valid_key(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = client.post("/api/v1/users/invite", json={"email": unique_email()})
    assert response.status_code == 401
    assert workspace.count(Membership) == 1


def test_an_admin_invites_into_their_own_workspace_only(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    email = unique_email()
    assert invite(client, other_workspace.admin, email=email).status_code == 200
    assert other_workspace.count(Membership) == 2
    assert workspace.count(Membership) == 1
    assert email not in {m["user"]["email"] for m in listed(client, workspace.admin)}


BAD_BODIES: list[tuple[str, dict[str, Any]]] = [
    ("email", {}),
    ("email", {"email": ""}),
    ("email", {"email": "no-at-sign"}),
    ("email", {"email": "a@b@c.example"}),
    ("email", {"email": "Name <a@b.example>"}),
    ("email", {"email": 42}),
    ("email", {"email": ["a@b.example"]}),
    ("role", {"role": "admin"}),
    ("role", {"role": "OWNER"}),
    ("role", {"role": 1}),
    ("name", {"name": "n" * 256}),
    ("name", {"name": 7}),
]


@pytest.mark.parametrize(("field", "fields"), BAD_BODIES)
def test_bad_invite_is_a_400_naming_the_field(
    client: TestClient, workspace: WorkspaceFixture, field: str, fields: dict[str, Any]
) -> None:
    body = {"email": unique_email()} | fields if field != "email" else fields
    response = client.post("/api/v1/users/invite", json=body, headers=workspace.admin.headers)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["code"] == "BAD_REQUEST"
    assert any(field in issue["path"] for issue in payload["issues"]), payload
    assert workspace.count(Membership) == 1


def test_bad_role_lists_the_allowed_roles(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = invite(client, workspace.admin, email=unique_email(), role="OWNER")
    message = response.json()["issues"][0]["message"]
    assert all(role in message for role in ("ADMIN", "USER", "VIEWER")), message


@pytest.mark.parametrize("raw", [b"[]", b"null", b"not json", b""])
def test_invite_body_must_be_a_json_object(
    client: TestClient, workspace: WorkspaceFixture, raw: bytes
) -> None:
    response = client.post(
        "/api/v1/users/invite",
        content=raw,
        headers={**workspace.admin.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"
    assert workspace.count(Membership) == 1


@pytest.mark.parametrize("role", ["USER", "VIEWER"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/users/invite"), ("PATCH", "/api/v1/users/role"), ("POST", "/api/v1/webhooks")],
)
@pytest.mark.parametrize("body", [b"{bad", b'{"email": "not an address", "role": "KING", "url": 5}'])
def test_admin_routes_refuse_non_admins_before_reading_the_body(
    client: TestClient, workspace: WorkspaceFixture, role: str, method: str, path: str, body: bytes
) -> None:
    member = workspace.add_member(unique_email(), role)
    headers = {**member.headers, "Content-Type": "application/json"}
    response = client.request(method, path, content=body, headers=headers)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "FORBIDDEN"
