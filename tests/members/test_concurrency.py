"""Member changes racing through a real server on both databases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlalchemy import select

from laneway.kit.db import Database
from laneway.members.models import Membership, User
from tests.conftest import Member, make_workspace
from tests.members.helpers import roles, unique_email


def race(base_url: str, calls: list[tuple[str, str, Member, dict[str, Any]]]) -> list[httpx.Response]:
    """Send every (method, path, member, body) at once, each on its own connection."""
    barrier = threading.Barrier(len(calls))

    def send(call: tuple[str, str, Member, dict[str, Any]]) -> httpx.Response:
        method, path, member, body = call
        with httpx.Client(base_url=base_url, timeout=60) as http:
            barrier.wait()
            return http.request(method, path, json=body, headers=member.headers)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(send, calls))


def test_two_admins_demoting_each_other_at_once_leave_one_admin(live_server: str, database: Database) -> None:
    # Repeated, so that the two requests really overlap in some rounds.
    for _ in range(8):
        workspace = make_workspace(database)
        first = workspace.admin
        second = workspace.add_member(unique_email("second-admin"), "ADMIN")
        responses = race(
            live_server,
            [
                (
                    "PATCH",
                    "/api/v1/users/role",
                    first,
                    {"membershipId": second.membership_id, "role": "USER"},
                ),
                (
                    "PATCH",
                    "/api/v1/users/role",
                    second,
                    {"membershipId": first.membership_id, "role": "USER"},
                ),
            ],
        )
        statuses = sorted(r.status_code for r in responses)
        # The loser was demoted before its change ran: refused as no longer an admin.
        assert statuses == [200, 403], [r.text for r in responses]
        final = roles(workspace)
        assert sorted(final.values()) == ["ADMIN", "USER"], final
        winner = first if responses[0].status_code == 200 else second
        assert final[winner.membership_id] == "ADMIN"


def test_many_admins_demoting_each_other_at_once_never_leave_zero(
    live_server: str, database: Database
) -> None:
    workspace = make_workspace(database)
    admins = [workspace.admin] + [workspace.add_member(unique_email("admin"), "ADMIN") for _ in range(5)]
    # Each admin demotes the next one, all at once.
    calls = [
        ("PATCH", "/api/v1/users/role", a, {"userId": admins[(i + 1) % 6].user_id, "role": "VIEWER"})
        for i, a in enumerate(admins)
    ]
    responses = race(live_server, calls)
    assert {r.status_code for r in responses} <= {200, 403}, [r.text for r in responses]
    final = roles(workspace)
    assert "ADMIN" in final.values(), final
    assert sum(r.status_code == 200 for r in responses) == list(final.values()).count("VIEWER")


def test_concurrent_invites_of_one_new_address_make_one_member(live_server: str, database: Database) -> None:
    workspace = make_workspace(database)
    email = unique_email("racer")
    calls = [
        ("POST", "/api/v1/users/invite", workspace.admin, {"email": email, "name": f"Racer {i}"})
        for i in range(10)
    ]
    responses = race(live_server, calls)
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9, [r.text for r in responses]
    assert workspace.count(Membership) == 2
    with database.unit_of_work(write=False) as session:
        assert session.query(User).filter(User.email == email).count() == 1


def test_concurrent_invites_of_one_new_address_to_two_workspaces_share_the_user(
    live_server: str, database: Database
) -> None:
    one, two = make_workspace(database), make_workspace(database)
    email = unique_email("shared")
    responses = race(
        live_server,
        [
            ("POST", "/api/v1/users/invite", one.admin, {"email": email}),
            ("POST", "/api/v1/users/invite", two.admin, {"email": email}),
        ],
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    with database.unit_of_work(write=False) as session:
        user_ids = session.scalars(
            select(Membership.user_id).join(User, User.id == Membership.user_id).where(User.email == email)
        ).all()
    assert len(user_ids) == 2
    assert len(set(user_ids)) == 1
