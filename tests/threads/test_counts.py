"""The kept thread counts always equal counting the rows, through every kind of change."""

from __future__ import annotations

import importlib
import random
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text

from laneway.issues.service import create_issue
from laneway.kit.db import Database
from laneway.kit.time import utcnow
from laneway.projects.service import create_project
from laneway.threads import counts
from laneway.threads.enums import STATES
from laneway.threads.models import Thread, ThreadCount, ThreadIssue, ThreadProject
from laneway.threads.triage import wake_snoozed
from tests.conftest import WorkspaceFixture, make_workspace
from tests.threads.helpers import create, thread_body
from tests.threads.test_concurrency import race

migration = importlib.import_module("laneway.migrations.versions.2026_12_03_0005_thread_counts")


def counted(database: Database, workspace_id: str) -> dict[str, int]:
    """Every scope's count, the slow way: row by row."""
    with database.unit_of_work(write=False) as s:
        live = [Thread.workspace_id == workspace_id, Thread.is_deleted.is_(False)]
        found = {counts.ALL: s.scalar(select(func.count()).select_from(Thread).where(*live)) or 0}
        for state in STATES:
            found[counts.state_scope(state)] = (
                s.scalar(select(func.count()).select_from(Thread).where(*live, Thread.state == state)) or 0
            )
        for link, column, scope in (
            (ThreadProject, ThreadProject.project_id, counts.project_scope),
            (ThreadIssue, ThreadIssue.issue_id, counts.issue_scope),
        ):
            rows = s.execute(
                select(column, func.count())
                .join(Thread, Thread.id == link.thread_id)
                .where(*live)
                .group_by(column)
            )
            found.update({scope(key): n for key, n in rows})
    return found


def kept(database: Database, workspace_id: str, scopes: list[str]) -> dict[str, int]:
    with database.unit_of_work(write=False) as s:
        return {scope: counts.total(s, workspace_id, scope) for scope in scopes}


def test_counts_follow_creates_patches_links_and_wakes(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    rng = random.Random(7)
    with workspace.database.unit_of_work() as session:
        projects = [create_project(session, workspace.id, name=f"P{i}").id for i in range(3)]
        issues = [create_issue(session, workspace.id, title=f"I{i}").id for i in range(2)]
    made = []
    for _ in range(40):
        fields = {"state": rng.choice(STATES)}
        if rng.random() < 0.5:
            fields["projectId"] = rng.choice(projects)
        if rng.random() < 0.3:
            fields["issueId"] = rng.choice(issues)
        made.append(create(client, workspace.admin, **fields)["id"])
    for _ in range(40):
        body = {"state": rng.choice(STATES)} if rng.random() < 0.7 else {"projectId": rng.choice(projects)}
        response = client.patch(
            f"/api/v1/threads/{rng.choice(made)}", json=body, headers=workspace.admin.headers
        )
        assert response.status_code == 200
    with workspace.database.unit_of_work() as session:
        wake_snoozed(session, utcnow() + timedelta(days=2))
    truth = counted(workspace.database, workspace.id)
    assert kept(workspace.database, workspace.id, list(truth)) == truth
    listed = client.get(
        "/api/v1/threads", params={"state": "UNSNOOZED"}, headers=workspace.admin.headers
    ).json()
    assert listed["count"] == truth[counts.state_scope("UNSNOOZED")]


def test_concurrent_creates_are_all_counted(live_server: str, database: Database) -> None:
    workspace = make_workspace(database)
    responses = race(live_server, workspace.admin.headers, [thread_body(state="NEW") for _ in range(30)])
    assert [r.status_code for r in responses] == [200] * 30
    assert kept(database, workspace.id, [counts.ALL, counts.state_scope("NEW")]) == {
        counts.ALL: 30,
        counts.state_scope("NEW"): 30,
    }


def test_the_migration_backfills_counts_of_existing_threads(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="Backfilled")
    for state in ("NEW", "NEW", "COMPLETED"):
        create(client, workspace.admin, state=state, projectId=project.id)
    truth = counted(workspace.database, workspace.id)
    with workspace.database.unit_of_work() as session:
        session.execute(delete(ThreadCount).where(ThreadCount.workspace_id == workspace.id))
        for query in migration.BACKFILL:
            session.execute(
                text(
                    f"INSERT INTO thread_counts (workspace_id, scope, shard, n) "
                    f"SELECT * FROM ({query}) AS backfill WHERE workspace_id = :ws"
                ),
                {"ws": workspace.id},
            )
    assert kept(workspace.database, workspace.id, list(truth)) == truth
