"""/api/v1/contacts: create, get by id or address, update, soft delete, on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from laneway.companies.models import Company
from laneway.contacts.emails import parse_email
from laneway.contacts.models import Contact
from laneway.contacts.service import upsert_contact
from tests.conftest import WorkspaceFixture
from tests.contacts.helpers import (
    CONTACT_KEYS,
    CONTACTS,
    expect_error,
    fetch_contact,
    get_contact,
    issue_paths,
    make_company,
    new_contact,
    patch_contact,
    post_contact,
    seg,
)
from tests.threads.helpers import unique_email

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_create_answers_the_contact_object_with_every_key(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    c = new_contact(client, workspace.admin, "  New.Person@Mail.Example ", name="New Person")
    assert set(c) == CONTACT_KEYS
    assert (c["email"], c["name"], c["workspaceId"]) == (
        "new.person@mail.example",
        "New Person",
        workspace.id,
    )
    assert (c["isDeleted"], c["version"], c["companyId"], c["company"]) == (False, 1, None, None)
    assert DATE.match(c["createdAt"])
    assert c["createdAt"] == c["updatedAt"]
    assert c["imageUrl"] is None
    assert c["intercomId"] is None
    assert workspace.count(Contact) == 1


def test_get_by_id_and_by_any_spelling_of_the_address(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    c = new_contact(client, workspace.admin, "mixed.case@bücher.example")
    for key in (
        c["id"],
        "mixed.case@bücher.example",
        " MIXED.CASE@BÜCHER.EXAMPLE",
        "mixed.case@xn--bcher-kva.example",
    ):
        got = fetch_contact(client, workspace.admin, key)
        assert got["id"] == c["id"], key
        assert set(got) == CONTACT_KEYS


def test_unknown_id_or_address_is_404(client: TestClient, workspace: WorkspaceFixture) -> None:
    expect_error(get_contact(client, workspace.admin, "no-such-contact"), 404, "NOT_FOUND")
    expect_error(get_contact(client, workspace.admin, unique_email("nobody")), 404, "NOT_FOUND")
    expect_error(get_contact(client, workspace.admin, "not@an@address"), 404, "NOT_FOUND")
    # A NUL fits in a URL path but not in a PostgreSQL query: a plain 404, never a 500.
    expect_error(client.get(f"{CONTACTS}/abc%00def", headers=workspace.admin.headers), 404, "NOT_FOUND")


def test_an_address_already_present_is_409_in_any_spelling(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    email = unique_email("dup")
    first = new_contact(client, workspace.admin, email, name="First")
    for spelling in (email, email.upper(), f"  {email} "):
        expect_error(post_contact(client, workspace.admin, email=spelling, name="Again"), 409, "CONFLICT")
    assert workspace.count(Contact) == 1
    assert fetch_contact(client, workspace.admin, first["id"])["name"] == "First"


def test_the_address_of_a_contact_made_by_a_thread_is_409_too(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    email = unique_email("thread")
    with workspace.database.unit_of_work() as session:
        upsert_contact(session, workspace.id, parse_email(email), "From a thread")
    expect_error(post_contact(client, workspace.admin, email=email), 409, "CONFLICT")


def test_create_revives_a_deleted_contact_with_the_new_values(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    acme = make_company(workspace, "Acme")
    email = unique_email("phoenix")
    old = new_contact(client, workspace.admin, email, name="Old Name", companyId=acme.id)
    assert client.delete(f"{CONTACTS}/{old['id']}", headers=workspace.admin.headers).status_code == 200
    back = new_contact(client, workspace.admin, email.upper(), name="New Name")
    assert back["id"] == old["id"]
    assert (back["name"], back["companyId"], back["company"], back["isDeleted"]) == (
        "New Name",
        None,
        None,
        False,
    )
    assert back["version"] == old["version"] + 2  # deleted, then revived
    assert fetch_contact(client, workspace.admin, email)["id"] == old["id"]
    assert workspace.count(Contact) == 1
    expect_error(post_contact(client, workspace.admin, email=email), 409, "CONFLICT")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "No Email"}, "email"),
        ({"email": None}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"email": 42}, "email"),
        ({"email": "a" * 250 + "@x.example"}, "email"),
        ({"email": "ok@x.example", "name": "n" * 256}, "name"),
        ({"email": "ok@x.example", "name": 7}, "name"),
        ({"email": "ok@x.example", "companyName": "c" * 256}, "companyName"),
        ({"email": "ok@x.example", "companyId": ["x"]}, "companyId"),
    ],
)
def test_create_rejects_invalid_fields_naming_them(
    client: TestClient, workspace: WorkspaceFixture, body: dict[str, object], field: str
) -> None:
    assert any(field in path for path in issue_paths(post_contact(client, workspace.admin, **body)))
    assert workspace.count(Contact) == 0


def test_two_company_fields_are_400_naming_both(client: TestClient, workspace: WorkspaceFixture) -> None:
    acme = make_company(workspace, "Acme", external_ids=["crm-1"])
    body = {
        "email": unique_email(),
        "companyId": acme.id,
        "companyName": "Other",
        "companyExternalId": "crm-1",
    }
    paths = issue_paths(post_contact(client, workspace.admin, **body))
    assert paths == [["companyId"], ["companyName"], ["companyExternalId"]]
    assert workspace.count(Contact) == 0
    assert workspace.count(Company) == 1


def test_companyId_links_a_company_of_the_workspace(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    acme = make_company(workspace, "Acme", domains=["acme.example"])
    c = new_contact(client, workspace.admin, unique_email(), companyId=acme.id)
    assert c["companyId"] == acme.id
    assert (c["company"]["id"], c["company"]["name"], c["company"]["domains"]) == (
        acme.id,
        "Acme",
        ["acme.example"],
    )
    theirs = make_company(other_workspace, "Theirs")
    unknown = expect_error(
        post_contact(client, workspace.admin, email=unique_email(), companyId="nope"), 404, "NOT_FOUND"
    )
    foreign = expect_error(
        post_contact(client, workspace.admin, email=unique_email(), companyId=theirs.id), 404, "NOT_FOUND"
    )
    assert foreign["message"] == unknown["message"].replace("nope", theirs.id)
    assert workspace.count(Contact) == 1


def test_without_a_company_field_the_email_domain_picks_the_company(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    acme = make_company(workspace, "Acme", domains=["acme.example"])
    make_company(workspace, "Mail lovers", domains=["gmail.com"])
    assert new_contact(client, workspace.admin, "kim@ACME.example")["companyId"] == acme.id
    assert new_contact(client, workspace.admin, unique_email("free", "gmail.com"))["companyId"] is None
    assert new_contact(client, workspace.admin, unique_email("none", "other.example"))["company"] is None
    chosen = make_company(workspace, "Chosen")
    assert (
        new_contact(client, workspace.admin, "lee@acme.example", companyId=chosen.id)["companyId"]
        == chosen.id
    )


def test_companyName_finds_the_company_case_insensitively_or_creates_it(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    acme = make_company(workspace, "Acme Corp")
    make_company(other_workspace, "Brand New Co")
    found = new_contact(client, workspace.admin, unique_email(), companyName=" ACME corp ")
    assert found["companyId"] == acme.id
    made = new_contact(client, workspace.admin, unique_email(), companyName="Brand New Co")
    assert made["companyId"] not in (None, acme.id)
    assert made["company"]["name"] == "Brand New Co"
    again = new_contact(client, workspace.admin, unique_email(), companyName="brand new co")
    assert again["companyId"] == made["companyId"]
    assert workspace.count(Company) == 2
    assert other_workspace.count(Company) == 1


def test_companyName_of_a_deleted_company_makes_a_new_one(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    gone = make_company(workspace, "Gone Inc")
    assert client.delete(f"/api/v1/companies/{gone.id}", headers=workspace.admin.headers).status_code == 200
    c = new_contact(client, workspace.admin, unique_email(), companyName="Gone Inc")
    assert c["companyId"] not in (None, gone.id)


def test_companyExternalId_links_the_company_listing_it(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    make_company(workspace, "Decoy", external_ids=["crm-10"])
    acme = make_company(workspace, "Acme", external_ids=["crm-1", "crm-2"])
    make_company(other_workspace, "Theirs", external_ids=["crm-3"])
    c = new_contact(client, workspace.admin, unique_email(), companyExternalId="crm-2")
    assert c["companyId"] == acme.id
    for missing in ("crm-3", "crm", "crm-9"):
        response = post_contact(client, workspace.admin, email=unique_email(), companyExternalId=missing)
        expect_error(response, 404, "NOT_FOUND")
    assert workspace.count(Contact) == 1


def test_patch_changes_only_the_fields_sent(client: TestClient, workspace: WorkspaceFixture) -> None:
    email = unique_email("patch")
    past = datetime(2022, 1, 2, 3, 4, 5, tzinfo=UTC)
    acme = make_company(workspace, "Acme")
    with workspace.database.unit_of_work() as session:
        made = upsert_contact(session, workspace.id, parse_email(email), "Before", now=past).contact
        made.company_id = acme.id
        made.updated_at = past  # not the column's onupdate
        contact_id = made.id
    response = patch_contact(client, workspace.admin, contact_id, name="After")
    assert response.status_code == 200, response.text
    c = response.json()
    assert (c["name"], c["email"], c["companyId"], c["version"]) == ("After", email, acme.id, 2)
    assert c["createdAt"] == "2022-01-02T03:04:05.000Z"
    assert c["updatedAt"] > c["createdAt"]
    assert fetch_contact(client, workspace.admin, contact_id) == c


def test_patch_blank_name_means_not_sent_and_null_clears_it(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    c = new_contact(client, workspace.admin, unique_email(), name="Kept")
    assert patch_contact(client, workspace.admin, c["id"]).json() == c  # nothing sent, nothing changes
    blank = patch_contact(client, workspace.admin, c["id"], name="  ").json()
    assert (blank["name"], blank["version"]) == ("Kept", 1)
    assert patch_contact(client, workspace.admin, c["id"], name=None).json()["name"] is None


def test_patch_email_to_a_free_address_or_its_own_spelling(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    old, new = unique_email("old"), unique_email("new")
    c = new_contact(client, workspace.admin, old)
    assert patch_contact(client, workspace.admin, c["id"], email=old.upper()).status_code == 200
    moved = patch_contact(client, workspace.admin, c["id"], email=f" {new.upper()} ").json()
    assert (moved["id"], moved["email"]) == (c["id"], new)
    assert fetch_contact(client, workspace.admin, new)["id"] == c["id"]
    expect_error(get_contact(client, workspace.admin, old), 404, "NOT_FOUND")
    # The old address is free again.
    assert new_contact(client, workspace.admin, old)["id"] != c["id"]


def test_patch_email_taken_by_a_live_or_deleted_contact_is_409(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    live, deleted = unique_email("live"), unique_email("deleted")
    new_contact(client, workspace.admin, live)
    gone = new_contact(client, workspace.admin, deleted)
    client.delete(f"{CONTACTS}/{gone['id']}", headers=workspace.admin.headers)
    me = new_contact(client, workspace.admin, unique_email("me"), name="Me")
    for taken in (live, live.upper(), deleted):
        expect_error(
            patch_contact(client, workspace.admin, me["id"], email=taken, name="Changed"), 409, "CONFLICT"
        )
    assert fetch_contact(client, workspace.admin, me["id"]) == me


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": None}, "email"),
        ({"email": "nope"}, "email"),
        ({"email": ""}, "email"),
        ({"name": "n" * 256}, "name"),
        ({"companyName": "c" * 256}, "companyName"),
        ({"companyId": None, "companyName": "Both"}, "companyName"),
    ],
)
def test_patch_rejects_invalid_fields_naming_them(
    client: TestClient, workspace: WorkspaceFixture, body: dict[str, object], field: str
) -> None:
    c = new_contact(client, workspace.admin, unique_email(), name="Same")
    paths = issue_paths(patch_contact(client, workspace.admin, c["id"], **body))
    assert any(field in path for path in paths)
    assert fetch_contact(client, workspace.admin, c["id"]) == c


def test_patch_company_fields_link_and_null_unlinks(client: TestClient, workspace: WorkspaceFixture) -> None:
    acme = make_company(workspace, "Acme", external_ids=["crm-7"])
    c = new_contact(client, workspace.admin, unique_email())
    assert (
        patch_contact(client, workspace.admin, c["id"], companyId=acme.id).json()["company"]["id"] == acme.id
    )
    assert patch_contact(client, workspace.admin, c["id"], companyId=None).json()["companyId"] is None
    assert (
        patch_contact(client, workspace.admin, c["id"], companyExternalId="crm-7").json()["companyId"]
        == acme.id
    )
    named = patch_contact(client, workspace.admin, c["id"], companyName="Fresh Co").json()
    assert named["companyId"] not in (None, acme.id)
    assert named["company"]["name"] == "Fresh Co"
    assert (
        patch_contact(client, workspace.admin, c["id"], name="Still linked").json()["companyId"]
        == named["companyId"]
    )
    expect_error(patch_contact(client, workspace.admin, c["id"], companyId="missing"), 404, "NOT_FOUND")
    expect_error(patch_contact(client, workspace.admin, c["id"], companyExternalId="crm-0"), 404, "NOT_FOUND")
    assert fetch_contact(client, workspace.admin, c["id"])["companyId"] == named["companyId"]


def test_delete_is_soft_and_hides_the_contact(client: TestClient, workspace: WorkspaceFixture) -> None:
    email = unique_email("bye")
    c = new_contact(client, workspace.admin, email)
    response = client.delete(f"{CONTACTS}/{c['id']}", headers=workspace.admin.headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["success"], body["isDeleted"]) == (True, True)
    assert isinstance(body["message"], str)
    assert body["message"]
    assert workspace.count(Contact, is_deleted=True) == 1
    expect_error(get_contact(client, workspace.admin, c["id"]), 404, "NOT_FOUND")
    expect_error(get_contact(client, workspace.admin, email), 404, "NOT_FOUND")
    expect_error(patch_contact(client, workspace.admin, c["id"], name="Ghost"), 404, "NOT_FOUND")
    expect_error(client.delete(f"{CONTACTS}/{c['id']}", headers=workspace.admin.headers), 404, "NOT_FOUND")
    listed = client.get(CONTACTS, headers=workspace.admin.headers).json()
    assert (listed["contacts"], listed["total"]) == ([], 0)


def test_viewer_may_read_but_not_write(client: TestClient, workspace: WorkspaceFixture) -> None:
    viewer = workspace.add_member(unique_email("viewer"), role="VIEWER")
    c = new_contact(client, workspace.admin, unique_email(), name="Untouched")
    assert fetch_contact(client, viewer, c["id"]) == c
    assert client.get(CONTACTS, headers=viewer.headers).json()["total"] == 1
    expect_error(post_contact(client, viewer, email=unique_email()), 403, "FORBIDDEN")
    expect_error(patch_contact(client, viewer, c["id"], name="Changed"), 403, "FORBIDDEN")
    expect_error(client.delete(f"{CONTACTS}/{c['id']}", headers=viewer.headers), 403, "FORBIDDEN")
    assert fetch_contact(client, workspace.admin, c["id"]) == c
    assert workspace.count(Contact) == 1


def test_no_key_is_401(client: TestClient) -> None:
    expect_error(client.get(CONTACTS), 401, "UNAUTHORIZED")
    expect_error(client.post(CONTACTS, json={"email": unique_email()}), 401, "UNAUTHORIZED")


def test_another_workspaces_contact_is_like_an_unknown_one(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    email = unique_email("theirs")
    theirs = new_contact(client, other_workspace.admin, email, name="Theirs")
    me = workspace.admin
    unknown = expect_error(get_contact(client, me, "unknown-id"), 404, "NOT_FOUND")["message"]
    by_email_unknown = expect_error(get_contact(client, me, "x@unknown.example"), 404, "NOT_FOUND")["message"]

    def same_as_unknown(response: object, template: str, value: str) -> None:
        assert expect_error(response, 404, "NOT_FOUND")["message"] == template.replace(
            template.split()[-1], value
        )

    same_as_unknown(get_contact(client, me, theirs["id"]), unknown, theirs["id"])
    same_as_unknown(get_contact(client, me, email), by_email_unknown, email)
    same_as_unknown(
        patch_contact(client, me, theirs["id"], name="Hijacked", email=unique_email()), unknown, theirs["id"]
    )
    same_as_unknown(
        client.delete(f"{CONTACTS}/{seg(theirs['id'])}", headers=me.headers), unknown, theirs["id"]
    )
    assert client.get(CONTACTS, headers=me.headers).json()["contacts"] == []
    assert fetch_contact(client, other_workspace.admin, theirs["id"]) == theirs
    # The same address is free in my workspace: a contact of my own.
    assert new_contact(client, me, email)["id"] != theirs["id"]
