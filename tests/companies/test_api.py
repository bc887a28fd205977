"""/api/v1/companies: create, get with pastProjects, update, soft delete, autoAdd, on both databases."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from laneway.companies.models import Company, CompanyDomain
from laneway.companies.service import company_for_domain
from laneway.contacts.models import Contact
from laneway.projects.service import create_project
from tests.conftest import Member, WorkspaceFixture
from tests.contacts.helpers import (
    COMPANIES,
    expect_error,
    fetch_contact,
    issue_paths,
    make_company,
    new_contact,
)
from tests.threads.helpers import create as create_thread
from tests.threads.helpers import unique_email

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
COMPANY_KEYS = {
    "id",
    "name",
    "workspaceId",
    "createdAt",
    "updatedAt",
    "isDeleted",
    "version",
    "linearCustomerId",
    "size",
    "revenue",
    "statusId",
    "statusName",
    "statusColor",
    "tierId",
    "tierName",
    "logoUrl",
    "domains",
    "autoAdd",
    "intercomId",
    "hubspotId",
    "productboardId",
    "externalIds",
    "slugId",
}


def post_company(client: TestClient, member: Member, **body: Any) -> Any:
    return client.post(COMPANIES, json=body, headers=member.headers)


def new_company(client: TestClient, member: Member, **body: Any) -> dict[str, Any]:
    response = post_company(client, member, **body)
    assert response.status_code == 200, response.text
    made: dict[str, Any] = response.json()
    return made


def patch_company(client: TestClient, member: Member, company_id: str, **body: Any) -> Any:
    return client.patch(f"{COMPANIES}/{company_id}", json=body, headers=member.headers)


def get_company(client: TestClient, member: Member, company_id: str, **query: Any) -> Any:
    return client.get(f"{COMPANIES}/{company_id}", params=query, headers=member.headers)


def fetch_company(client: TestClient, member: Member, company_id: str) -> dict[str, Any]:
    response = get_company(client, member, company_id)
    assert response.status_code == 200, response.text
    company: dict[str, Any] = response.json()["company"]
    return company


def domain_rows(workspace: WorkspaceFixture, company_id: str) -> set[str]:
    with workspace.database.unit_of_work(write=False) as session:
        rows = session.query(CompanyDomain).filter_by(workspace_id=workspace.id, company_id=company_id).all()
        return {r.domain for r in rows}


def matched_by_domain(workspace: WorkspaceFixture, ascii_domain: str) -> str | None:
    with workspace.database.unit_of_work(write=False) as session:
        company = company_for_domain(session, workspace.id, ascii_domain)
        return company.id if company else None


def test_create_answers_the_seed_company_object(client: TestClient, workspace: WorkspaceFixture) -> None:
    c = new_company(
        client,
        workspace.admin,
        name="Sized Co",
        domains=["sized.example", "bücher.example"],
        size=5,
        revenue=1000,
        externalIds=["ext-1", "ext-1", "ext-2"],
        tierId="tier-a",
        statusId="status-b",
        segments=["ignored"],
    )
    assert set(c) == COMPANY_KEYS
    assert (c["name"], c["workspaceId"], c["autoAdd"], c["isDeleted"], c["version"]) == (
        "Sized Co",
        workspace.id,
        False,
        False,
        1,
    )
    assert (c["size"], c["revenue"], c["tierId"], c["statusId"]) == (5, 1000, "tier-a", "status-b")
    assert c["domains"] == ["sized.example", "bücher.example"]
    assert c["externalIds"] == ["ext-1", "ext-2"]
    assert (c["tierName"], c["statusName"], c["statusColor"], c["logoUrl"]) == (None, None, None, None)
    assert DATE.match(c["createdAt"])
    assert c["createdAt"] == c["updatedAt"]
    assert domain_rows(workspace, c["id"]) == {"sized.example", "xn--bcher-kva.example"}
    assert matched_by_domain(workspace, "xn--bcher-kva.example") == c["id"]
    assert fetch_company(client, workspace.admin, c["id"]) == c


def test_minimal_create_defaults(client: TestClient, workspace: WorkspaceFixture) -> None:
    c = new_company(client, workspace.admin, name="n" * 255, domains=None)
    assert (c["name"], c["domains"], c["externalIds"], c["size"], c["autoAdd"]) == (
        "n" * 255,
        [],
        [],
        None,
        False,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"domains": ["x.example"]}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": None}, "name"),
        ({"name": "n" * 256}, "name"),
        ({"name": 5}, "name"),
        ({"name": "D", "domains": ["Upper-Case.Example"]}, "domains"),
        ({"name": "D", "domains": ["https://acme.example"]}, "domains"),
        ({"name": "D", "domains": ["acme.example", "acme"]}, "domains"),
        ({"name": "D", "domains": "acme.example"}, "domains"),
        ({"name": "D", "domains": [f"d{i}.example" for i in range(101)]}, "domains"),
        ({"name": "S", "size": -1}, "size"),
        ({"name": "S", "size": "5"}, "size"),
        ({"name": "S", "size": 2**63}, "size"),
        ({"name": "R", "revenue": 1.5}, "revenue"),
        ({"name": "R", "revenue": True}, "revenue"),
        ({"name": "E", "externalIds": [1]}, "externalIds"),
        ({"name": "E", "externalIds": ["x" * 256]}, "externalIds"),
        ({"name": "A", "autoAdd": "yes"}, "autoAdd"),
        ({"name": "T", "tierId": "t" * 256}, "tierId"),
        ({"name": "T", "statusId": 3}, "statusId"),
    ],
)
def test_create_rejects_invalid_fields_naming_them(
    client: TestClient, workspace: WorkspaceFixture, body: dict[str, Any], field: str
) -> None:
    paths = issue_paths(post_company(client, workspace.admin, **body))
    assert any(field in path for path in paths), paths
    assert workspace.count(Company) == 0


def test_large_amounts_up_to_bigint_are_kept(client: TestClient, workspace: WorkspaceFixture) -> None:
    c = new_company(client, workspace.admin, name="Big", size=0, revenue=2**63 - 1)
    assert (c["size"], c["revenue"]) == (0, 2**63 - 1)


def test_autoAdd_on_create_links_live_contacts_at_its_domains(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    admin = workspace.admin
    first = new_contact(client, admin, "first@acme.example")
    second = new_contact(client, admin, "Second@ACME.example")
    elsewhere = new_contact(client, admin, "third@other.example")
    free = new_contact(client, admin, unique_email("free", "gmail.com"))
    gone = new_contact(client, admin, "gone@acme.example")
    client.delete(f"/api/v1/contacts/{gone['id']}", headers=admin.headers)
    theirs = new_contact(client, other_workspace.admin, "theirs@acme.example")
    c = new_company(client, admin, name="Acme", domains=["acme.example", "gmail.com"], autoAdd=True)
    assert c["autoAdd"] is True
    for linked in (first, second):
        got = fetch_contact(client, admin, linked["id"])
        assert (got["companyId"], got["version"]) == (c["id"], linked["version"] + 1)
    for untouched in (elsewhere, free):
        assert fetch_contact(client, admin, untouched["id"])["companyId"] is None
    assert workspace.count(Contact, id=gone["id"], company_id=None) == 1
    assert fetch_contact(client, other_workspace.admin, theirs["id"])["companyId"] is None


def test_without_autoAdd_no_contact_is_linked(client: TestClient, workspace: WorkspaceFixture) -> None:
    contact = new_contact(client, workspace.admin, "waiting@later.example")
    new_company(client, workspace.admin, name="Later", domains=["later.example"])
    assert fetch_contact(client, workspace.admin, contact["id"])["companyId"] is None


def test_autoAdd_on_update_links_contacts(client: TestClient, workspace: WorkspaceFixture) -> None:
    admin = workspace.admin
    waiting = new_contact(client, admin, "waiting@later.example")
    c = new_company(client, admin, name="Later", domains=["later.example"])
    response = patch_company(client, admin, c["id"], autoAdd=True)
    assert response.status_code == 200, response.text
    assert fetch_contact(client, admin, waiting["id"])["companyId"] == c["id"]
    # With autoAdd on, new domains sent later link their contacts too.
    moved = new_contact(client, admin, "moved@newer.example")
    patch_company(client, admin, c["id"], domains=["newer.example"])
    assert fetch_contact(client, admin, moved["id"])["companyId"] == c["id"]


def test_patch_changes_only_the_fields_sent(client: TestClient, workspace: WorkspaceFixture) -> None:
    c = new_company(client, workspace.admin, name="Patch Co", domains=["patch.example"], size=5, revenue=1000)
    response = patch_company(
        client, workspace.admin, c["id"], size=10, tierName="Gold", statusColor="#ff0000"
    )
    assert response.status_code == 200, response.text
    got = response.json()
    assert (got["size"], got["tierName"], got["statusColor"], got["version"]) == (10, "Gold", "#ff0000", 2)
    assert (got["name"], got["domains"], got["revenue"], got["autoAdd"]) == (
        "Patch Co",
        ["patch.example"],
        1000,
        False,
    )
    assert got["updatedAt"] >= c["updatedAt"]
    assert fetch_company(client, workspace.admin, c["id"]) == got
    cleared = patch_company(client, workspace.admin, c["id"], size=None, tierName=None, statusName="").json()
    assert (cleared["size"], cleared["tierName"], cleared["statusColor"], cleared["revenue"]) == (
        None,
        None,
        "#ff0000",
        1000,
    )


def test_patch_domains_replaces_the_list_and_the_matching(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    c = new_company(client, workspace.admin, name="Moves", domains=["old.example"], externalIds=["a"])
    got = patch_company(
        client, workspace.admin, c["id"], domains=["new.example", "also.example"], externalIds=[]
    )
    assert got.status_code == 200, got.text
    assert (got.json()["domains"], got.json()["externalIds"]) == (["new.example", "also.example"], [])
    assert domain_rows(workspace, c["id"]) == {"new.example", "also.example"}
    assert matched_by_domain(workspace, "old.example") is None
    assert matched_by_domain(workspace, "also.example") == c["id"]
    emptied = patch_company(client, workspace.admin, c["id"], domains=None).json()
    assert (emptied["domains"], emptied["name"]) == ([], "Moves")
    assert domain_rows(workspace, c["id"]) == set()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "n" * 256}, "name"),
        ({"autoAdd": None}, "autoAdd"),
        ({"domains": ["Bad.Example"]}, "domains"),
        ({"size": -5}, "size"),
        ({"revenue": 2.5}, "revenue"),
        ({"statusColor": "c" * 65}, "statusColor"),
        ({"tierName": "t" * 256}, "tierName"),
        ({"statusName": ["x"]}, "statusName"),
    ],
)
def test_patch_rejects_invalid_fields_and_changes_nothing(
    client: TestClient, workspace: WorkspaceFixture, body: dict[str, Any], field: str
) -> None:
    c = new_company(client, workspace.admin, name="Stable", domains=["stable.example"], size=1)
    paths = issue_paths(patch_company(client, workspace.admin, c["id"], **body))
    assert any(field in path for path in paths), paths
    assert fetch_company(client, workspace.admin, c["id"]) == c


def test_delete_is_soft_hides_the_company_and_frees_its_contacts(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    c = new_company(client, workspace.admin, name="Doomed", domains=["doomed.example"], autoAdd=True)
    contact = new_contact(client, workspace.admin, "kim@doomed.example")
    assert contact["companyId"] == c["id"]
    response = client.delete(f"{COMPANIES}/{c['id']}", headers=workspace.admin.headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["success"], body["isDeleted"]) == (True, True)
    assert isinstance(body["message"], str)
    assert workspace.count(Company, is_deleted=True) == 1
    expect_error(get_company(client, workspace.admin, c["id"]), 404, "NOT_FOUND")
    expect_error(patch_company(client, workspace.admin, c["id"], name="Zombie"), 404, "NOT_FOUND")
    expect_error(client.delete(f"{COMPANIES}/{c['id']}", headers=workspace.admin.headers), 404, "NOT_FOUND")
    assert client.get(COMPANIES, headers=workspace.admin.headers).json() == {"companies": [], "total": 0}
    assert (
        fetch_contact(client, workspace.admin, contact["id"])["companyId"],
        matched_by_domain(workspace, "doomed.example"),
    ) == (None, None)


def test_get_lists_past_projects_of_the_companys_threads_once(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    acme = make_company(workspace, "Acme")
    other = make_company(workspace, "Other")
    with workspace.database.unit_of_work() as session:
        roadmap = create_project(session, workspace.id, name="Roadmap", description="Q1")
        billing = create_project(session, workspace.id, name="Billing")
        unrelated = create_project(session, workspace.id, name="Unrelated")
    admin = workspace.admin
    create_thread(client, admin, companyId=acme.id, projectId=roadmap.id)
    create_thread(client, admin, companyId=acme.id, projectId=roadmap.id)
    create_thread(client, admin, companyId=acme.id, projectId=billing.id)
    create_thread(client, admin, companyId=acme.id)
    create_thread(client, admin, companyId=other.id, projectId=unrelated.id)
    response = get_company(client, admin, acme.id, groupUpvotes="true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"company", "pastProjects"}
    assert body["company"]["id"] == acme.id
    assert sorted(p["id"] for p in body["pastProjects"]) == sorted([roadmap.id, billing.id])
    project = next(p for p in body["pastProjects"] if p["id"] == roadmap.id)
    assert (project["name"], project["description"], project["linearTeamIds"]) == ("Roadmap", "Q1", [])
    assert {"id", "name", "state", "createdAt", "upvotes"} <= set(project)
    assert get_company(client, admin, other.id).json()["pastProjects"][0]["id"] == unrelated.id
    assert get_company(client, admin, make_company(workspace, "Quiet").id).json()["pastProjects"] == []


def test_linear_options_are_null_without_linear(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = client.get(f"{COMPANIES}/linear-options", headers=workspace.admin.headers)
    assert response.status_code == 200
    assert response.json() == {"statuses": None, "tiers": None}
    expect_error(client.get(f"{COMPANIES}/linear-options"), 401, "UNAUTHORIZED")


def test_viewer_may_read_but_not_write(client: TestClient, workspace: WorkspaceFixture) -> None:
    viewer = workspace.add_member(unique_email("viewer"), role="VIEWER")
    c = new_company(client, workspace.admin, name="Readable")
    assert fetch_company(client, viewer, c["id"]) == c
    assert client.get(COMPANIES, headers=viewer.headers).json()["total"] == 1
    expect_error(post_company(client, viewer, name="Nope"), 403, "FORBIDDEN")
    expect_error(patch_company(client, viewer, c["id"], name="Changed"), 403, "FORBIDDEN")
    expect_error(client.delete(f"{COMPANIES}/{c['id']}", headers=viewer.headers), 403, "FORBIDDEN")
    assert fetch_company(client, workspace.admin, c["id"]) == c
    assert workspace.count(Company) == 1


def test_another_workspaces_company_is_like_an_unknown_one(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    theirs = new_company(client, other_workspace.admin, name="Theirs", domains=["theirs.example"])
    me = workspace.admin
    unknown = expect_error(get_company(client, me, "unknown-id"), 404, "NOT_FOUND")["message"]
    expected = unknown.replace("unknown-id", theirs["id"])
    for response in (
        get_company(client, me, theirs["id"]),
        patch_company(client, me, theirs["id"], name="Hijacked", autoAdd=True),
        client.delete(f"{COMPANIES}/{theirs['id']}", headers=me.headers),
    ):
        assert expect_error(response, 404, "NOT_FOUND")["message"] == expected
    assert fetch_company(client, other_workspace.admin, theirs["id"]) == theirs
    assert client.get(COMPANIES, headers=me.headers).json()["total"] == 0
    assert (
        client.get(COMPANIES, params={"domain": "theirs.example"}, headers=me.headers).json()["companies"]
        == []
    )
    expect_error(client.get(f"{COMPANIES}/x%00y", headers=me.headers), 404, "NOT_FOUND")
