from __future__ import annotations

import urllib.parse
from typing import Any

from fastapi.testclient import TestClient

from laneway.companies.models import Company
from laneway.companies.service import create_company
from tests.conftest import Member, WorkspaceFixture

CONTACTS = "/api/v1/contacts"
COMPANIES = "/api/v1/companies"
CONTACT_KEYS = {
    "id",
    "email",
    "name",
    "imageUrl",
    "companyId",
    "company",
    "workspaceId",
    "createdAt",
    "updatedAt",
    "isDeleted",
    "version",
    "intercomId",
    "hubspotId",
    "productboardId",
    "zendeskId",
}


def seg(value: str) -> str:
    """One URL path segment (ids, addresses)."""
    return urllib.parse.quote(value, safe="@")


def post_contact(client: TestClient, member: Member, **body: Any) -> Any:
    return client.post(CONTACTS, json=body, headers=member.headers)


def new_contact(client: TestClient, member: Member, email: str, **fields: Any) -> dict[str, Any]:
    response = post_contact(client, member, email=email, **fields)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def get_contact(client: TestClient, member: Member, id_or_email: str) -> Any:
    return client.get(f"{CONTACTS}/{seg(id_or_email)}", headers=member.headers)


def fetch_contact(client: TestClient, member: Member, id_or_email: str) -> dict[str, Any]:
    response = get_contact(client, member, id_or_email)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def patch_contact(client: TestClient, member: Member, contact_id: str, **body: Any) -> Any:
    return client.patch(f"{CONTACTS}/{seg(contact_id)}", json=body, headers=member.headers)


def make_company(workspace: WorkspaceFixture, name: str, **fields: Any) -> Company:
    with workspace.database.unit_of_work() as session:
        return create_company(session, workspace.id, name=name, **fields)


def expect_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)
    return body


def issue_paths(response: Any) -> list[list[Any]]:
    body = expect_error(response, 400, "BAD_REQUEST")
    return [issue["path"] for issue in body["issues"]]
