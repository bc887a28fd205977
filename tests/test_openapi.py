"""The OpenAPI document is real, and fuzzing every route from it finds no 500."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from laneway.auth.caller import Caller
from laneway.companies.service import create_company
from laneway.issues.service import create_issue
from laneway.kit.db import Database
from laneway.projects.service import create_project
from laneway.threads.schemas import CreateThread
from laneway.threads.service import ThreadRules, create_thread
from laneway.workspaces.models import Workspace
from tests.conftest import WorkspaceFixture, make_workspace

EXAMPLES = 20  # per operation: bounded so that CI stays quick


def test_every_route_is_documented_with_bodies_and_errors(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    operations = {(m.upper(), p): op for p, ops in doc["paths"].items() for m, op in ops.items()}
    assert ("POST", "/api/v1/threads") in operations
    for (method, path), op in operations.items():
        assert "422" not in op["responses"], (method, path)
        assert op["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
        if method in ("POST", "PATCH"):
            assert "requestBody" in op, (method, path)
    create = operations[("POST", "/api/v1/threads")]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = doc["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert set(body["required"]) == {"text", "painLevel", "contactEmail"}
    assert create["security"] == [{"apiKey": []}]
    assert "security" not in operations[("GET", "/api/v1/workspaces/{workspace_id}")]


def test_the_docs_page_renders(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "swagger" in page.text.lower()


def real_ids(database: Database, workspace: WorkspaceFixture) -> dict[str, str]:
    """Ids of real rows, put in place of generated path ids so that fuzzing reaches past 404."""
    with database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="Fuzz project")
        issue = create_issue(session, workspace.id, title="Fuzz issue", project_id=project.id)
        company = create_company(session, workspace.id, name="Fuzz Co", domains=["fuzz.example"])
        body = CreateThread.model_validate(
            {"text": "Fuzz", "painLevel": "LOW", "contactEmail": "f@fuzz.example"}
        )
        thread = create_thread(session, workspace_caller(session, workspace), body, ThreadRules())
        session.get_one(Workspace, workspace.id).is_published = True
    return {
        "workspace_id": workspace.id,
        "project_id": project.id,
        "issue_id": issue.id,
        "company_id": company.id,
        "thread_id": thread.thread.id,
        "contact_id": thread.contact.id,
        "id_or_email": thread.contact.email,
    }


def test_no_input_gives_a_500(app: FastAPI, database: Database) -> None:
    """Every documented operation, fed generated inputs (valid and not), answers below 500."""
    workspace = make_workspace(database, title_quota=3)
    ids = real_ids(database, workspace)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: Any) -> None:
            for name in case.path_parameters or {}:
                if name in ids and hash(str(case.body)) % 4:  # mostly real ids, sometimes generated
                    case.path_parameters[name] = ids[name]
            response = case.call(headers=workspace.admin.headers)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.body!r:.200}: {response.status_code}"
                )

        fuzz()
    assert not failures, failures[:10]


def workspace_caller(session: Any, workspace: WorkspaceFixture) -> Caller:
    return Caller(
        workspace_id=workspace.id,
        user_id=workspace.admin.user_id,
        membership_id=workspace.admin.membership_id,
        role="ADMIN",
        key_id="fuzz",
    )
