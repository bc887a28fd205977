"""GET /api/v1/companies: newest first, skip/take, name and domain filters, _count.contacts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from laneway.companies.models import Company
from laneway.kit.db import Database
from tests.conftest import WorkspaceFixture
from tests.contacts.helpers import COMPANIES, CONTACTS, issue_paths, make_company, new_contact

START = datetime(2023, 5, 1, 12, 0, tzinfo=UTC)


def seed(workspace: WorkspaceFixture, names: list[str], **fields: Any) -> list[str]:
    """Companies a minute apart, oldest first; their ids."""
    ids = []
    with workspace.database.unit_of_work() as session:
        for i, name in enumerate(names):
            at = START + timedelta(minutes=i)
            company = Company(workspace_id=workspace.id, name=name, created_at=at, updated_at=at, **fields)
            session.add(company)
            session.flush()
            ids.append(company.id)
    return ids


def listing(client: TestClient, workspace: WorkspaceFixture, **query: Any) -> dict[str, Any]:
    response = client.get(COMPANIES, params=query, headers=workspace.admin.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements run while the block runs."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_list_shape_newest_first_with_total(client: TestClient, workspace: WorkspaceFixture) -> None:
    ids = seed(workspace, ["A", "B", "C"])
    body = listing(client, workspace)
    assert set(body) == {"companies", "total"}
    assert [c["id"] for c in body["companies"]] == ids[::-1]
    assert body["total"] == 3
    assert all(c["_count"] == {"contacts": 0} for c in body["companies"])
    assert {"name", "domains", "autoAdd", "externalIds", "version"} <= set(body["companies"][0])


def test_skip_and_take_page_with_the_full_total(client: TestClient, workspace: WorkspaceFixture) -> None:
    ids = seed(workspace, [f"Co {i}" for i in range(5)])[::-1]
    page = listing(client, workspace, skip=1, take=2)
    assert ([c["id"] for c in page["companies"]], page["total"]) == (ids[1:3], 5)
    assert listing(client, workspace, skip=5)["companies"] == []


def test_count_is_live_linked_contacts(client: TestClient, workspace: WorkspaceFixture) -> None:
    acme = make_company(workspace, "Acme")
    quiet = make_company(workspace, "Quiet")
    for i in range(3):
        new_contact(client, workspace.admin, f"p{i}@people.example", companyId=acme.id)
    gone = new_contact(client, workspace.admin, "gone@people.example", companyId=acme.id)
    new_contact(client, workspace.admin, "solo@people.example")
    client.delete(f"{CONTACTS}/{gone['id']}", headers=workspace.admin.headers)
    counts = {c["id"]: c["_count"]["contacts"] for c in listing(client, workspace)["companies"]}
    assert counts == {acme.id: 3, quiet.id: 0}


def test_counts_take_one_grouped_query_whatever_the_page_size(
    client: TestClient, workspace: WorkspaceFixture, database: Database
) -> None:
    ids = seed(workspace, [f"Co {i}" for i in range(8)])
    for i, company_id in enumerate(ids):
        new_contact(client, workspace.admin, f"n{i}@count.example", companyId=company_id)
    with statements(database) as one_page:
        assert [c["_count"]["contacts"] for c in listing(client, workspace, take=1)["companies"]] == [1]
    with statements(database) as full_page:
        assert [c["_count"]["contacts"] for c in listing(client, workspace, take=8)["companies"]] == [1] * 8
    assert len(full_page) == len(one_page)
    assert sum("GROUP BY" in s for s in full_page) == 1


def test_name_filter_is_a_case_insensitive_substring(client: TestClient, workspace: WorkspaceFixture) -> None:
    alpha, beta, percent = seed(workspace, ["Filter Alpha Ltd", "Filter Beta", "100% Cotton"])
    assert [c["id"] for c in listing(client, workspace, name="ALPHA")["companies"]] == [alpha]
    assert [c["id"] for c in listing(client, workspace, name="filter")["companies"]] == [beta, alpha]
    # LIKE wildcards in the filter are plain characters.
    assert [c["id"] for c in listing(client, workspace, name="0%")["companies"]] == [percent]
    assert listing(client, workspace, name="_")["companies"] == []
    body = listing(client, workspace, name="Filter", take=1)
    assert (len(body["companies"]), body["total"]) == (1, 2)


def test_domain_filter_is_exact_through_company_domains(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    alpha = make_company(workspace, "Alpha", domains=["alpha.example", "bücher.example"])
    make_company(workspace, "Sub", domains=["sub.alpha.example"])
    assert [c["id"] for c in listing(client, workspace, domain="alpha.example")["companies"]] == [alpha.id]
    assert [c["id"] for c in listing(client, workspace, domain=" Alpha.Example")["companies"]] == [alpha.id]
    for spelling in ("bücher.example", "xn--bcher-kva.example"):
        assert [c["id"] for c in listing(client, workspace, domain=spelling)["companies"]] == [alpha.id]
    assert listing(client, workspace, domain="example.org") == {"companies": [], "total": 0}
    both = listing(client, workspace, domain="alpha.example", name="sub")
    assert both == {"companies": [], "total": 0}


@pytest.mark.parametrize(
    ("query", "field"),
    [({"domain": "https://acme.example"}, "domain"), ({"domain": "acme"}, "domain"),
     ({"domain": "a@b.example"}, "domain"), ({"name": "n" * 256}, "name"),
     ({"take": 0}, "take"), ({"skip": "x"}, "skip")],
)  # fmt: skip
def test_bad_query_values_are_400_naming_them(
    client: TestClient, workspace: WorkspaceFixture, query: dict[str, Any], field: str
) -> None:
    response = client.get(COMPANIES, params=query, headers=workspace.admin.headers)
    assert any(field in path for path in issue_paths(response))


def test_deleted_and_other_workspaces_companies_are_not_listed(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    kept, dropped = seed(workspace, ["Kept", "Dropped"])
    seed(other_workspace, ["Theirs"])
    assert client.delete(f"{COMPANIES}/{dropped}", headers=workspace.admin.headers).status_code == 200
    body = listing(client, workspace)
    assert ([c["id"] for c in body["companies"]], body["total"]) == ([kept], 1)
    assert {c["workspaceId"] for c in body["companies"]} == {workspace.id}
    assert listing(client, workspace, name="Theirs")["total"] == 0
