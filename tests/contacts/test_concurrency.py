"""Racing contact writes through a real server: one wins, the others get 409, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from laneway.companies.models import Company
from laneway.contacts.models import Contact
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import unique_email


def race(base_url: str, calls: list[Callable[[httpx.Client], httpx.Response]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=60) as http:
            barrier.wait()
            return call(http)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_concurrent_creates_of_one_address_make_one_contact_and_409s(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    email = unique_email("racer")
    headers = workspace.admin.headers

    def create(i: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {"email": email.upper() if i % 2 else email, "name": f"Racer {i}", "companyName": "Race Co"}
        return lambda http: http.post("/api/v1/contacts", json=body, headers=headers)

    responses = race(live_server, [create(i) for i in range(12)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 11, [r.text for r in responses]
    assert all(r.json()["code"] == "CONFLICT" for r in responses if r.status_code == 409)
    assert workspace.count(Contact) == 1
    assert workspace.count(Company) == 1


def test_concurrent_renames_to_one_address_leave_one_holder(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    headers = workspace.admin.headers
    with httpx.Client(base_url=live_server) as http:
        ids = [
            http.post("/api/v1/contacts", json={"email": unique_email()}, headers=headers).json()["id"]
            for _ in range(6)
        ]
    target = unique_email("target")

    def rename(contact_id: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda http: http.patch(
            f"/api/v1/contacts/{contact_id}", json={"email": target}, headers=headers
        )

    responses = race(live_server, [rename(i) for i in ids])
    assert sorted(r.status_code for r in responses) == [200] + [409] * 5, [r.text for r in responses]
    assert workspace.count(Contact, email=target) == 1


def test_concurrent_company_names_make_one_company(live_server: str, workspace: WorkspaceFixture) -> None:
    headers = workspace.admin.headers

    def create(i: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {"email": unique_email(f"n{i}"), "companyName": "Same New Co" if i % 2 else "same new co"}
        return lambda http: http.post("/api/v1/contacts", json=body, headers=headers)

    responses = race(live_server, [create(i) for i in range(10)])
    assert [r.status_code for r in responses] == [200] * 10
    assert len({r.json()["companyId"] for r in responses}) == 1
    assert workspace.count(Company) == 1
