"""A company taking a domain while contacts at that domain arrive: every contact joins it,
whichever commits first."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import WorkspaceFixture
from tests.contacts.test_concurrency import race
from tests.threads.helpers import unique_email

ROUNDS = 6
ARRIVALS = 10


def _domain() -> str:
    return unique_email().split("@")[0].replace(".", "-").replace("+", "-") + ".example"


def _arrivals(domain: str, headers: dict[str, str]) -> list[Callable[[httpx.Client], httpx.Response]]:
    """Half new contacts through threads, half through POST /contacts, all at `domain`."""

    def thread(i: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {"text": "hello", "painLevel": "LOW", "contactEmail": f"t{i}@{domain}"}
        return lambda http: http.post("/api/v1/threads", json=body, headers=headers)

    def contact(i: int) -> Callable[[httpx.Client], httpx.Response]:
        return lambda http: http.post("/api/v1/contacts", json={"email": f"c{i}@{domain}"}, headers=headers)

    return [thread(i) if i % 2 else contact(i) for i in range(ARRIVALS)]


def _assert_all_joined(live_server: str, headers: dict[str, str], domain: str, company_id: str) -> None:
    with httpx.Client(base_url=live_server, headers=headers) as http:
        contacts = http.get("/api/v1/contacts", params={"take": 100}).json()["contacts"]
        at_domain = [c for c in contacts if c["email"].endswith("@" + domain)]
        assert len(at_domain) == ARRIVALS
        assert [c["email"] for c in at_domain if c["companyId"] != company_id] == []
        threads = http.get("/api/v1/threads", params={"take": 100}).json()["threads"]
        mine = [t for t in threads if t["contactId"] in {c["id"] for c in at_domain}]
        assert len(mine) == ARRIVALS // 2
        # A thread that came first was made when no company matched: it keeps that history.
        assert {t["companyId"] for t in mine} <= {company_id, None}


def _taking(
    live_server: str, headers: dict[str, str], how: str, domain: str
) -> Callable[[httpx.Client], httpx.Response]:
    """The request that makes a company with `domain` and autoAdd, or gives them to one."""
    if how == "create":
        body = {"name": f"Auto {domain}", "domains": [domain], "autoAdd": True}
        return lambda http: http.post("/api/v1/companies", json=body, headers=headers)
    with httpx.Client(base_url=live_server) as http:
        made = http.post("/api/v1/companies", json={"name": f"Later {domain}"}, headers=headers)
    path = f"/api/v1/companies/{made.json()['id']}"
    return lambda http: http.patch(path, json={"domains": [domain], "autoAdd": True}, headers=headers)


@pytest.mark.parametrize("how", ["create", "update"])
def test_contacts_arriving_while_an_auto_add_company_takes_their_domain_all_join_it(
    live_server: str, workspace: WorkspaceFixture, how: str
) -> None:
    headers = workspace.admin.headers
    for _ in range(ROUNDS):
        domain = _domain()
        take = _taking(live_server, headers, how, domain)
        first, *rest = race(live_server, [take, *_arrivals(domain, headers)])
        assert [r.status_code for r in (first, *rest)] == [200] * (1 + ARRIVALS), [r.text for r in rest]
        _assert_all_joined(live_server, headers, domain, first.json()["id"])


def test_threads_naming_a_company_while_it_is_changed_never_deadlock(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    headers = workspace.admin.headers
    domain = _domain()
    with httpx.Client(base_url=live_server) as http:
        body = {"name": "Busy", "domains": [domain], "autoAdd": True}
        company = http.post("/api/v1/companies", json=body, headers=headers).json()["id"]

    def thread(i: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {"text": "hi", "painLevel": "LOW", "contactEmail": f"n{i}@{domain}", "companyId": company}
        return lambda http: http.post("/api/v1/threads", json=body, headers=headers)

    def touch(http: httpx.Client) -> httpx.Response:
        return http.patch(f"/api/v1/companies/{company}", json={"autoAdd": True}, headers=headers)

    responses = race(live_server, [thread(i) if i % 2 else touch for i in range(24)])
    assert [r.status_code for r in responses] == [200] * 24, [
        r.text for r in responses if r.status_code != 200
    ]


def test_threads_bringing_back_contacts_of_a_company_being_deleted_never_deadlock(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    headers = workspace.admin.headers
    for _ in range(ROUNDS):
        domain = _domain()
        with httpx.Client(base_url=live_server, headers=headers) as http:
            body = {"name": "Doomed", "domains": [domain], "autoAdd": True}
            company = http.post("/api/v1/companies", json=body).json()["id"]
            contacts = [
                http.post("/api/v1/contacts", json={"email": f"e{i}@{domain}"}).json() for i in range(6)
            ]
            for contact in contacts[:3]:
                http.delete(f"/api/v1/contacts/{contact['id']}")

        def thread(i: int, domain: str = domain) -> Callable[[httpx.Client], httpx.Response]:
            body = {"text": "back", "painLevel": "LOW", "contactEmail": f"e{i % 6}@{domain}"}
            return lambda http: http.post("/api/v1/threads", json=body, headers=headers)

        def delete(http: httpx.Client, company: str = company) -> httpx.Response:
            return http.delete(f"/api/v1/companies/{company}", headers=headers)

        responses = race(live_server, [delete, *(thread(i) for i in range(12))])
        assert [r.status_code for r in responses] == [200] * 13, [
            r.text for r in responses if r.status_code != 200
        ]
