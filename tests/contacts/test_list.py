"""GET /api/v1/contacts: newest first, skip/take, the email filter, totals and cursors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from laneway.contacts.emails import parse_email
from laneway.contacts.service import upsert_contact
from tests.conftest import WorkspaceFixture
from tests.contacts.helpers import (
    CONTACT_KEYS,
    CONTACTS,
    expect_error,
    issue_paths,
    make_company,
    new_contact,
)
from tests.threads.helpers import unique_email

START = datetime(2023, 5, 1, 12, 0, tzinfo=UTC)


def seed(workspace: WorkspaceFixture, n: int, *, same_time: bool = False) -> list[str]:
    """n contacts, each a minute newer than the last (or all at one instant); their ids, oldest first."""
    ids = []
    with workspace.database.unit_of_work() as session:
        for i in range(n):
            at = START if same_time else START + timedelta(minutes=i)
            ids.append(
                upsert_contact(session, workspace.id, parse_email(unique_email(f"c{i}")), None, at).contact.id
            )
    return ids


def listing(client: TestClient, workspace: WorkspaceFixture, **query: Any) -> dict[str, Any]:
    response = client.get(CONTACTS, params=query, headers=workspace.admin.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_list_shape_and_newest_first(client: TestClient, workspace: WorkspaceFixture) -> None:
    ids = seed(workspace, 3)
    body = listing(client, workspace)
    assert set(body) == {"contacts", "count", "total", "hasMore", "nextPage"}
    assert [c["id"] for c in body["contacts"]] == ids[::-1]
    assert (body["count"], body["total"], body["hasMore"], body["nextPage"]) == (3, 3, False, None)
    assert all(set(c) == CONTACT_KEYS for c in body["contacts"])


def test_equal_times_are_ordered_by_id_descending(client: TestClient, workspace: WorkspaceFixture) -> None:
    ids = seed(workspace, 4, same_time=True)
    assert [c["id"] for c in listing(client, workspace)["contacts"]] == sorted(ids, reverse=True)


def test_skip_and_take_page_through_with_count_and_total(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    ids = seed(workspace, 5)[::-1]
    first = listing(client, workspace, take=2)
    assert [c["id"] for c in first["contacts"]] == ids[:2]
    assert (first["count"], first["total"], first["hasMore"]) == (2, 5, True)
    assert (first["nextPage"]["skip"], first["nextPage"]["take"]) == (2, 2)
    last = listing(client, workspace, skip=4, take=2)
    assert [c["id"] for c in last["contacts"]] == ids[4:]
    assert (last["count"], last["total"], last["hasMore"], last["nextPage"]) == (1, 5, False, None)
    assert listing(client, workspace, skip=10)["contacts"] == []


def test_default_take_is_10_and_at_most_100(client: TestClient, workspace: WorkspaceFixture) -> None:
    seed(workspace, 12)
    assert listing(client, workspace)["count"] == 10
    assert listing(client, workspace, take=500)["count"] == 12


def test_walking_next_pages_sees_each_contact_once_while_new_ones_arrive(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    ids = seed(workspace, 5)[::-1]
    seen: list[str] = []
    query: dict[str, Any] = {"take": 2}
    while True:
        page = listing(client, workspace, **query)
        seen += [c["id"] for c in page["contacts"]]
        new_contact(client, workspace.admin, unique_email("late"))  # a newer contact lands on top
        if page["nextPage"] is None:
            break
        query = page["nextPage"]
    assert seen == ids


def test_email_filter_matches_any_spelling_and_only_that_contact(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    seed(workspace, 2)
    c = new_contact(client, workspace.admin, "Filter.Me@Bücher.Example")
    for spelling in ("filter.me@bücher.example", "FILTER.ME@xn--bcher-kva.example"):
        body = listing(client, workspace, email=spelling)
        assert [x["id"] for x in body["contacts"]] == [c["id"]], spelling
        assert (body["count"], body["total"]) == (1, 1)
    assert listing(client, workspace, email=unique_email("nobody"))["contacts"] == []
    assert listing(client, workspace, email="")["total"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [({"email": "not-an-address"}, "email"), ({"take": 0}, "take"),
     ({"skip": -1}, "skip"), ({"take": "many"}, "take"), ({"cursor": "garbage"}, "cursor")],
)  # fmt: skip
def test_bad_query_values_are_400_naming_them(
    client: TestClient, workspace: WorkspaceFixture, query: dict[str, Any], field: str
) -> None:
    response = client.get(CONTACTS, params=query, headers=workspace.admin.headers)
    assert any(field in path for path in issue_paths(response))


def test_listed_contacts_carry_their_company(client: TestClient, workspace: WorkspaceFixture) -> None:
    acme = make_company(workspace, "Acme")
    linked = new_contact(client, workspace.admin, unique_email(), companyId=acme.id)
    new_contact(client, workspace.admin, unique_email())
    by_id = {c["id"]: c for c in listing(client, workspace)["contacts"]}
    assert by_id[linked["id"]]["company"]["id"] == acme.id
    assert [c["company"] for cid, c in by_id.items() if cid != linked["id"]] == [None]


def test_deleted_contacts_are_not_listed_nor_counted(client: TestClient, workspace: WorkspaceFixture) -> None:
    ids = seed(workspace, 3)
    expect_error(client.delete(f"{CONTACTS}/nope", headers=workspace.admin.headers), 404, "NOT_FOUND")
    assert client.delete(f"{CONTACTS}/{ids[1]}", headers=workspace.admin.headers).status_code == 200
    body = listing(client, workspace)
    assert [c["id"] for c in body["contacts"]] == [ids[2], ids[0]]
    assert body["total"] == 2


def test_each_workspace_lists_only_its_own(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    mine = seed(workspace, 2)
    theirs = seed(other_workspace, 3)
    body = listing(client, workspace)
    assert sorted(c["id"] for c in body["contacts"]) == sorted(mine)
    assert body["total"] == 2
    assert {c["workspaceId"] for c in body["contacts"]} == {workspace.id}
    shared = unique_email("shared")
    new_contact(client, other_workspace.admin, shared)
    assert listing(client, workspace, email=shared)["total"] == 0
    assert len(theirs) == 3


def test_a_nul_in_a_filter_is_400_not_a_database_error(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    for path, query in ((CONTACTS, {"email": "a\x00@b.example"}), ("/api/v1/companies", {"name": "x\x00"})):
        expect_error(client.get(path, params=query, headers=workspace.admin.headers), 400, "BAD_REQUEST")
