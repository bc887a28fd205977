"""The thread routes answer from rows (kit/shapes), not through their response schemas: every
such answer must be exactly what its schema makes of it, byte for byte (keys, their order,
types, dates), with and without the optional parts filled."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from laneway.companies.service import create_company
from laneway.issues.service import create_issue
from laneway.kit.shapes import Shape
from laneway.projects.service import create_project
from laneway.tags.service import create_tag
from laneway.threads.schemas import (
    CreatedThreadOut,
    ThreadConversationOut,
    ThreadDetailOut,
    ThreadListOut,
    ThreadOut,
)
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import create, unique_email

API = "/api/v1/threads"


def assert_schema_answer(model: type[BaseModel], raw: str) -> dict[str, Any]:
    """`raw` is what `model` itself would answer with the same values."""
    assert model.model_validate_json(raw).model_dump_json() == raw
    body: dict[str, Any] = model.model_validate_json(raw).model_dump(mode="json")
    return body


def test_every_kind_of_thread_answers_as_its_schemas(client: TestClient, workspace: WorkspaceFixture) -> None:
    admin = workspace.admin
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="Roadmap ✨", description="Q3")
        issue = create_issue(session, workspace.id, title="Export", project_id=project.id)
        company = create_company(session, workspace.id, name="Acme", domains=["acme-answers.example"])
        gone = create_company(session, workspace.id, name="Gone", domains=["gone-answers.example"])
        tag = create_tag(session, workspace.id, name="bug", color="#f00")
        ids = {
            "project": project.id,
            "issue": issue.id,
            "company": company.id,
            "gone": gone.id,
            "tag": tag.id,
        }
    assignee = workspace.add_member(unique_email("agent"), role="USER")

    bare = client.post(
        API, json={"text": "a", "painLevel": "LOW", "contactEmail": unique_email()}, headers=admin.headers
    )
    full = client.post(
        API,
        json={
            "text": 'Line one\nline "two"\t\u0001 – ünïcode 🎉 \\ </script>',
            "painLevel": "HIGH",
            "contactEmail": unique_email(domain="acme-answers.example"),
            "contactName": "Ada",
            "title": "Everything",
            "state": "SNOOZED",
            "origin": "SLACK",
            "assigneeId": assignee.user_id,
            "projectId": ids["project"],
            "issueId": ids["issue"],
            "createdAt": "2024-02-29T23:59:59.999+01:00",
        },
        headers=admin.headers,
    )
    in_gone = client.post(
        API,
        json={"text": "b", "painLevel": "MEDIUM", "contactEmail": unique_email(), "companyId": ids["gone"]},
        headers=admin.headers,
    )
    created = [assert_schema_answer(CreatedThreadOut, r.text) for r in (bare, full, in_gone)]
    assert created[1]["company"]["id"] == ids["company"]
    assert [p["id"] for p in created[1]["linkedProjects"]] == [ids["project"]]
    assert created[0]["company"] is None

    assert client.delete(f"/api/v1/companies/{ids['gone']}", headers=admin.headers).status_code == 200
    patched = client.patch(
        f"{API}/{created[1]['id']}", json={"tagIds": [ids["tag"]], "painLevel": "LOW"}, headers=admin.headers
    )
    assert assert_schema_answer(ThreadDetailOut, patched.text)["tags"][0]["color"] == "#f00"
    reply = client.post(
        f"{API}/{created[1]['id']}/messages",
        json={"content": "<p>On it</p>", "cc": ["cc@acme-answers.example"]},
        headers=admin.headers,
    )
    assert reply.status_code == 200, reply.text

    for t in created:
        detail = client.get(f"{API}/{t['id']}", headers=admin.headers)
        shown = assert_schema_answer(ThreadDetailOut, detail.text)
        assert shown["id"] == t["id"]
        talk = client.get(f"{API}/{t['id']}?includeConversation=true", headers=admin.headers)
        assert assert_schema_answer(ThreadConversationOut, talk.text)["conversation"][0]["id"] == t["id"]
    deleted_company = assert_schema_answer(
        ThreadDetailOut, client.get(f"{API}/{created[2]['id']}", headers=admin.headers).text
    )
    assert deleted_company["company"] is None
    full_detail = assert_schema_answer(
        ThreadDetailOut, client.get(f"{API}/{created[1]['id']}", headers=admin.headers).text
    )
    assert full_detail["assignee"]["id"] == assignee.user_id
    assert full_detail["reporter"]["id"] == admin.user_id
    assert full_detail["snoozedUntil"] is not None

    for query in ("?take=2", "?take=50", f"?projectId={ids['project']}", "?state=SNOOZED", "?take=1&skip=1"):
        page = assert_schema_answer(ThreadListOut, client.get(API + query, headers=admin.headers).text)
        assert page["threads"], query
    assert (
        assert_schema_answer(ThreadListOut, client.get(API + "?state=COMPLETED", headers=admin.headers).text)[
            "nextPage"
        ]
        is None
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1).filter(
        str.strip
    ),
    title=st.none()
    | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
)
def test_any_text_answers_as_the_schema(
    client: TestClient, workspace: WorkspaceFixture, text: str, title: str | None
) -> None:
    t = create(client, workspace.admin, text=text, title=title)
    raw = client.get(f"{API}/{t['id']}", headers=workspace.admin.headers).text
    assert assert_schema_answer(ThreadDetailOut, raw)["text"] == text


def test_a_shape_refuses_a_row_missing_a_field() -> None:
    with pytest.raises(KeyError, match=r"ThreadOut\.title"):
        Shape(ThreadOut).of({"id": "x"} | {name: None for name in ThreadOut.model_fields if name != "title"})
