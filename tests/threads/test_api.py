"""GET/PATCH /threads, replies and conversations, on both databases."""

from __future__ import annotations

import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from laneway.app import create_app
from laneway.companies.service import create_company
from laneway.config import Settings
from laneway.issues.service import create_issue
from laneway.kit.db import Database
from laneway.outbox.models import OutboxMessage
from laneway.projects.service import create_project
from laneway.tags.service import create_tag
from laneway.threads.models import Thread, ThreadMessage
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import create, thread_body, unique_email


def listing(client: TestClient, ws: WorkspaceFixture, **query: Any) -> Any:
    response = client.get("/api/v1/threads", params=query, headers=ws.admin.headers)
    assert response.status_code == 200, response.text
    return response.json()


def detail(client: TestClient, ws: WorkspaceFixture, thread_id: str, **query: Any) -> Any:
    response = client.get(f"/api/v1/threads/{thread_id}", params=query, headers=ws.admin.headers)
    assert response.status_code == 200, response.text
    return response.json()


def patch(client: TestClient, ws: WorkspaceFixture, thread_id: str, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/v1/threads/{thread_id}", json=body, headers=ws.admin.headers)


def test_list_is_newest_first_with_count_and_pages(client: TestClient, workspace: WorkspaceFixture) -> None:
    made = [create(client, workspace.admin, createdAt=f"2024-01-{day:02d}T00:00:00Z") for day in range(1, 13)]
    first = listing(client, workspace)
    assert [t["id"] for t in first["threads"]] == [t["id"] for t in reversed(made)][:10]
    assert (first["count"], first["hasMore"]) == (12, True)
    assert (first["nextPage"]["skip"], first["nextPage"]["take"]) == (10, 10)
    second = listing(client, workspace, skip=10)
    assert [t["id"] for t in second["threads"]] == [made[1]["id"], made[0]["id"]]
    assert (second["hasMore"], second["nextPage"]) == (False, None)
    assert listing(client, workspace, take=500)["nextPage"] is None
    assert len(listing(client, workspace, take=500)["threads"]) == 12


@pytest.mark.parametrize(
    "query",
    [
        {"skip": -1},
        {"take": 0},
        {"take": "ten"},
        {"skip": "1.5"},
        {"state": "DONE"},
        {"state": "new"},
        {"skip": 2**40},
        {"cursor": "not-a-cursor"},
    ],
)
def test_bad_list_parameters_are_400(
    client: TestClient, workspace: WorkspaceFixture, query: dict[str, Any]
) -> None:
    response = client.get("/api/v1/threads", params=query, headers=workspace.admin.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"


def test_filters_by_state_project_and_issue(client: TestClient, workspace: WorkspaceFixture) -> None:
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="P")
        issue = create_issue(session, workspace.id, title="I")
    linked = create(client, workspace.admin, projectId=project.id, issueId=issue.id, state="COMPLETED")
    plain = create(client, workspace.admin)
    for query in ({"state": "COMPLETED"}, {"projectId": project.id}, {"issueId": issue.id}):
        body = listing(client, workspace, **query)
        assert [t["id"] for t in body["threads"]] == [linked["id"]], query
        assert body["count"] == 1
    assert listing(client, workspace, state="NEW")["threads"][0]["id"] == plain["id"]
    assert listing(client, workspace, projectId="unknown")["count"] == 0


def test_lists_and_gets_are_scoped_to_the_workspace(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    theirs = create(client, other_workspace.admin)
    create(client, workspace.admin)
    assert theirs["id"] not in [t["id"] for t in listing(client, workspace, take=100)["threads"]]
    for method, path, body in [
        ("GET", "", None),
        ("PATCH", "", {"title": "Hijack", "state": "COMPLETED"}),
        ("POST", "/messages", {"content": "<p>hi</p>"}),
    ]:
        response = client.request(
            method, f"/api/v1/threads/{theirs['id']}{path}", json=body, headers=workspace.admin.headers
        )
        assert response.status_code == 404, (method, path)
        assert response.json()["message"] == f"No thread with id {theirs['id']}"
    assert detail(client, other_workspace, theirs["id"])["title"] == theirs["title"]
    assert other_workspace.count(ThreadMessage) == 0


def test_detail_has_people_tags_and_links(client: TestClient, workspace: WorkspaceFixture) -> None:
    user = workspace.add_member(unique_email("assignee"))
    with workspace.database.unit_of_work() as session:
        company = create_company(session, workspace.id, name="Acme")
    t = create(client, workspace.admin, assigneeId=user.user_id, companyId=company.id)
    got = detail(client, workspace, t["id"])
    assert (got["assignee"]["id"], got["reporter"]["id"]) == (user.user_id, workspace.admin.user_id)
    assert (got["contact"]["id"], got["company"]["id"], got["tags"]) == (t["contactId"], company.id, [])
    assert "conversation" not in got


def test_patch_changes_only_what_was_sent(client: TestClient, workspace: WorkspaceFixture) -> None:
    user = workspace.add_member(unique_email("assignee"))
    t = create(client, workspace.admin, assigneeId=user.user_id, painLevel="LOW")
    time.sleep(0.01)
    after = patch(client, workspace, t["id"], {"painLevel": "HIGH"}).json()
    for key in ("text", "title", "state", "assigneeId", "contactId", "lastStateChangeAt", "createdAt"):
        assert after[key] == t[key], key
    assert after["painLevel"] == "HIGH"
    assert after["updatedAt"] > t["updatedAt"]
    unassigned = patch(client, workspace, t["id"], {"assigneeId": None}).json()
    assert (unassigned["assigneeId"], unassigned["assignee"], unassigned["painLevel"]) == (None, None, "HIGH")


def test_state_changes_stamp_and_snooze(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin)
    time.sleep(0.01)
    snoozed = patch(client, workspace, t["id"], {"state": "SNOOZED"}).json()
    assert snoozed["state"] == "SNOOZED"
    assert snoozed["snoozedUntil"] is not None
    assert snoozed["lastStateChangeAt"] > t["lastStateChangeAt"]
    same = patch(client, workspace, t["id"], {"title": "no state"}).json()
    assert same["lastStateChangeAt"] == snoozed["lastStateChangeAt"]
    done = patch(client, workspace, t["id"], {"state": "COMPLETED"}).json()
    assert (done["state"], done["snoozedUntil"]) == ("COMPLETED", None)


def test_patch_links_projects_and_sets_tags(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    with workspace.database.unit_of_work() as session:
        p1, p2 = (create_project(session, workspace.id, name=n) for n in ("One", "Two"))
        bug, ux = (create_tag(session, workspace.id, name=n) for n in ("bug", "ux"))
        foreign = create_tag(session, other_workspace.id, name="theirs")
    t = create(client, workspace.admin, projectId=p1.id)
    patch(client, workspace, t["id"], {"projectId": p2.id})
    got = patch(client, workspace, t["id"], {"projectId": p2.id, "tagIds": [bug.id, ux.id]}).json()
    assert sorted(p["id"] for p in got["linkedProjects"]) == sorted([p1.id, p2.id])
    assert [tag["name"] for tag in got["tags"]] == ["bug", "ux"]
    assert [tag["name"] for tag in patch(client, workspace, t["id"], {"tagIds": [ux.id]}).json()["tags"]] == [
        "ux"
    ]
    refused = patch(client, workspace, t["id"], {"tagIds": [bug.id, foreign.id]})
    assert refused.status_code == 404
    assert [tag["name"] for tag in detail(client, workspace, t["id"])["tags"]] == ["ux"]


@pytest.mark.parametrize(
    "body",
    [
        {"text": None},
        {"text": " "},
        {"painLevel": None},
        {"state": "DONE"},
        {"title": "t" * 513},
        {"tagIds": "bug"},
        {"updatedAt": "yesterday"},
    ],
)
def test_invalid_patches_are_400_and_change_nothing(
    client: TestClient, workspace: WorkspaceFixture, body: dict[str, Any]
) -> None:
    t = create(client, workspace.admin)
    response = patch(client, workspace, t["id"], body)
    assert response.status_code == 400, response.text
    after = detail(client, workspace, t["id"])
    assert {k: after[k] for k in ("text", "painLevel", "state", "title", "updatedAt")} == {
        k: t[k] for k in ("text", "painLevel", "state", "title", "updatedAt")
    }


def test_patch_keeps_a_sent_updatedAt_and_notifies_when_asked(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    t = create(client, workspace.admin)
    got = patch(
        client, workspace, t["id"], {"updatedAt": "2024-01-02T03:04:05+01:00", "notify": {"email": True}}
    ).json()
    assert got["updatedAt"] == "2024-01-02T02:04:05.000Z"
    assert workspace.count(OutboxMessage, kind="email.thread_updated") == 1


def test_viewers_read_but_do_not_write(client: TestClient, workspace: WorkspaceFixture) -> None:
    viewer = workspace.add_member(unique_email("viewer"), role="VIEWER")
    t = create(client, workspace.admin)
    assert client.get(f"/api/v1/threads/{t['id']}", headers=viewer.headers).status_code == 200
    assert (
        client.patch(f"/api/v1/threads/{t['id']}", json={"title": "x"}, headers=viewer.headers).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/threads/{t['id']}/messages", json={"content": "x"}, headers=viewer.headers
        ).status_code
        == 403
    )
    assert detail(client, workspace, t["id"])["title"] == t["title"]


def test_replies_are_stored_queued_and_in_the_conversation(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    t = create(client, workspace.admin)
    first = client.post(
        f"/api/v1/threads/{t['id']}/messages",
        headers=workspace.admin.headers,
        json={
            "content": "<p>first</p>",
            "cc": ["boss@customer.example"],
            "bcc": [{"name": "Log", "email": "Log@Us.example"}],
        },
    )
    assert first.status_code == 200, first.text
    second = client.post(
        f"/api/v1/threads/{t['id']}/messages",
        headers=workspace.admin.headers,
        json={"text": "<p>second</p>", "threadId": t["id"]},
    )
    assert second.json()["threadId"] == t["id"]
    got = detail(client, workspace, t["id"], includeConversation="true")
    conversation = got["conversation"]
    assert [m["content"] for m in conversation] == [t["text"], "<p>first</p>", "<p>second</p>"]
    assert [m["direction"] for m in conversation] == ["INBOUND", "OUTBOUND", "OUTBOUND"]
    assert conversation[0]["author"] == {
        "type": "contact",
        "id": t["contactId"],
        "name": None,
        "email": t["contact"]["email"],
    }
    assert conversation[1]["id"] == first.json()["messageId"]
    assert conversation[1]["author"]["id"] == workspace.admin.user_id
    assert [m["author"]["email"] for m in conversation[1:]] == [workspace.admin.email] * 2
    assert conversation[1]["cc"] == [{"email": "boss@customer.example", "name": None}]
    assert conversation[1]["bcc"] == [{"email": "log@us.example", "name": "Log"}]
    assert got["lastOutboundMessageAt"] is not None
    assert workspace.count(OutboxMessage, kind="email.reply") == 2


def test_a_reply_with_a_channel_goes_to_slack(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin)
    response = client.post(
        f"/api/v1/threads/{t['id']}/messages",
        headers=workspace.admin.headers,
        json={"content": "hi", "channelId": "C777"},
    )
    assert response.status_code == 200
    assert workspace.count(OutboxMessage, kind="slack.reply") == 1
    assert workspace.count(OutboxMessage, kind="email.reply") == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"content": ""},
        {"content": "  "},
        {"content": 5},
        {"threadId": "other", "content": "x"},
        {"content": "x", "cc": ["not-an-email"]},
        {"content": "x", "cc": [{"name": "n"}]},
    ],
)
def test_invalid_replies_are_400_and_store_nothing(
    client: TestClient, workspace: WorkspaceFixture, body: dict[str, Any]
) -> None:
    t = create(client, workspace.admin)
    response = client.post(f"/api/v1/threads/{t['id']}/messages", json=body, headers=workspace.admin.headers)
    assert response.status_code == 400, response.text
    assert workspace.count(ThreadMessage) == 0
    assert workspace.count(OutboxMessage) == 0


def test_insights_prefix_serves_every_thread_route(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin)
    headers = workspace.admin.headers
    assert client.get(f"/api/v1/insights/{t['id']}", headers=headers).json()["id"] == t["id"]
    assert client.get("/api/v1/insights", headers=headers).json()["count"] == 1
    assert (
        client.patch(f"/api/v1/insights/{t['id']}", json={"title": "via insights"}, headers=headers).json()[
            "title"
        ]
        == "via insights"
    )
    assert (
        client.post(
            f"/api/v1/insights/{t['id']}/messages", json={"content": "x"}, headers=headers
        ).status_code
        == 200
    )


def test_snoozed_threads_wake_by_themselves(
    database_url: str, database: Database, workspace: WorkspaceFixture
) -> None:
    settings = Settings(
        database_url=database_url, snooze_hours=1 / 3600, snooze_check_seconds=0.1, run_worker=False
    )
    with TestClient(create_app(settings, database)) as fast_clock:
        t = create(fast_clock, workspace.admin, state="SNOOZED")
        deadline = time.monotonic() + 10
        while detail(fast_clock, workspace, t["id"])["state"] == "SNOOZED":
            assert time.monotonic() < deadline, "the snoozed thread never woke"
            time.sleep(0.1)
        woke = detail(fast_clock, workspace, t["id"])
    assert woke["state"] == "UNSNOOZED"
    assert woke["lastStateChangeAt"] == t["snoozedUntil"]  # it woke when its time was up
    assert woke["snoozedUntil"] is None
    assert workspace.count(Thread, state="UNSNOOZED") == 1


def test_blank_fields_in_a_patch_change_nothing(client: TestClient, workspace: WorkspaceFixture) -> None:
    user = workspace.add_member(unique_email("assignee"))
    t = create(client, workspace.admin, assigneeId=user.user_id)
    got = patch(
        client, workspace, t["id"], {"title": "", "assigneeId": "", "contactId": " ", "companyId": ""}
    ).json()
    assert (got["title"], got["assigneeId"], got["contactId"]) == (t["title"], user.user_id, t["contactId"])
    refused = patch(client, workspace, t["id"], {"contactId": None})
    assert refused.status_code == 400


def test_a_forged_cursor_with_a_nul_is_400(client: TestClient, workspace: WorkspaceFixture) -> None:
    forged = base64.urlsafe_b64encode(b"2026-01-01T00:00:00Z|x\x00y").decode().rstrip("=")
    for path in ("/api/v1/threads", "/api/v1/contacts", "/api/v1/companies"):
        response = client.get(path, params={"cursor": forged}, headers=workspace.admin.headers)
        assert response.status_code == 400, (path, response.text)


def test_a_viewer_is_refused_before_its_body_is_read(client: TestClient, workspace: WorkspaceFixture) -> None:
    viewer = workspace.add_member(unique_email("viewer"), role="VIEWER")
    response = client.post("/api/v1/threads", content=b"not json", headers=viewer.headers)
    assert response.status_code == 403


def test_concurrent_patches_of_one_thread_apply_one_after_another(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    with workspace.database.unit_of_work() as session:
        tags = [create_tag(session, workspace.id, name=f"t{i}") for i in range(3)]
        project = create_project(session, workspace.id, name="Shared")
    with httpx.Client(base_url=live_server, timeout=60) as http:
        tid = http.post("/api/v1/threads", json=thread_body(), headers=workspace.admin.headers).json()["id"]
    bodies = [
        {"tagIds": [tags[i % 3].id], "projectId": project.id, "state": "PROCESSED" if i % 2 else "NEW"}
        for i in range(16)
    ]
    barrier = threading.Barrier(len(bodies))

    def send(body: dict[str, Any]) -> int:
        with httpx.Client(base_url=live_server, timeout=60) as http:
            barrier.wait()
            return http.patch(
                f"/api/v1/threads/{tid}", json=body, headers=workspace.admin.headers
            ).status_code

    with ThreadPoolExecutor(len(bodies)) as pool:
        assert list(pool.map(send, bodies)) == [200] * len(bodies)
    with httpx.Client(base_url=live_server, timeout=60) as http:
        got = http.get(f"/api/v1/threads/{tid}", headers=workspace.admin.headers).json()
    assert len(got["tags"]) == 1
    assert [p["id"] for p in got["linkedProjects"]] == [project.id]


@pytest.mark.parametrize("body", [{}, {"segments": ["x"]}, {"notify": {"slack": True, "email": True}}])
def test_a_patch_with_nothing_to_change_changes_nothing_and_tells_nobody(
    client: TestClient, workspace: WorkspaceFixture, body: dict[str, Any]
) -> None:
    t = create(client, workspace.admin)
    before = detail(client, workspace, t["id"])
    queued = workspace.count(OutboxMessage)
    got = patch(client, workspace, t["id"], body)
    assert got.status_code == 200, got.text
    assert got.json() == before
    assert detail(client, workspace, t["id"])["updatedAt"] == t["updatedAt"]
    assert workspace.count(OutboxMessage) == queued


def test_blank_list_filters_are_no_filters(client: TestClient, workspace: WorkspaceFixture) -> None:
    create(client, workspace.admin)
    everything = listing(client, workspace)
    assert everything["count"] >= 1
    for query in ({"projectId": ""}, {"issueId": " "}, {"state": ""}, {"projectId": "", "state": ""}):
        got = listing(client, workspace, **query)
        assert (got["count"], [t["id"] for t in got["threads"]]) == (
            everything["count"],
            [t["id"] for t in everything["threads"]],
        ), query
