"""Bulk import: each item becomes the thread POST /threads would make, with nothing sent."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laneway.companies.service import create_company
from laneway.contacts.models import Contact
from laneway.issues.service import create_issue
from laneway.kit.ahead import map_ahead
from laneway.kit.body import validate
from laneway.kit.errors import NotFound
from laneway.outbox.models import OutboxMessage
from laneway.projects.service import create_project
from laneway.threads.imports import ImportItem, import_threads, prepare, write
from laneway.threads.models import Thread, ThreadProject
from laneway.threads.schemas import CreateThread
from tests.conftest import WorkspaceFixture, make_workspace
from tests.threads.helpers import create, unique_email
from tests.threads.test_counts import counted, kept


def items(*bodies: dict[str, Any]) -> list[ImportItem]:
    return [ImportItem.of(validate(CreateThread, {"painLevel": "LOW", **body})) for body in bodies]


def run_import(workspace: WorkspaceFixture, batch: list[ImportItem]) -> list[str]:
    with workspace.database.unit_of_work() as session:
        return import_threads(session, workspace.id, workspace.admin.user_id, batch).thread_ids


def stamp(days_ago: float) -> str:
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def test_imported_threads_read_back_like_created_ones(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="Imports").id
        issue = create_issue(session, workspace.id, title="CSV", project_id=project).id
    email = unique_email("imported")
    (thread_id,) = run_import(
        workspace,
        items(
            {"text": "Old feedback", "contactEmail": f"  {email.upper()} ", "contactName": "Ida",
             "title": "Old", "state": "PROCESSED", "origin": "EMAIL", "projectId": project, "issueId": issue,
             "assigneeId": workspace.admin.user_id, "createdAt": stamp(400), "updatedAt": stamp(300)}
        ),
    )  # fmt: skip
    got = client.get(f"/api/v1/threads/{thread_id}", headers=workspace.admin.headers).json()
    assert got["text"] == "Old feedback"
    assert (got["title"], got["state"], got["origin"], got["painLevel"]) == (
        "Old",
        "PROCESSED",
        "EMAIL",
        "LOW",
    )
    assert got["createdAt"] == stamp(400)[:10] + got["createdAt"][10:]
    assert got["createdAt"] < got["updatedAt"]
    assert got["lastStateChangeAt"] == got["createdAt"] == got["lastInboundMessageAt"]
    assert got["contact"]["email"] == email
    assert got["contact"]["name"] == "Ida"
    assert got["reporterId"] == got["assigneeId"] == workspace.admin.user_id
    assert [p["id"] for p in got["linkedProjects"]] == [project]
    assert [i["id"] for i in got["linkedIssues"]] == [issue]
    assert workspace.count(OutboxMessage) == 0, "an import notifies nobody"


def test_import_reuses_contacts_and_matches_companies_by_domain(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    domain = f"{unique_email().split('@')[0].replace('.', '-')}.example"
    with workspace.database.unit_of_work() as session:
        company = create_company(session, workspace.id, name="Globex", domains=[domain]).id
    existing = create(client, workspace.admin, contactEmail=f"known@{domain}", contactName="Known")
    ids = run_import(
        workspace,
        items(
            {"text": "a", "contactEmail": f"KNOWN@{domain}", "contactName": "Renamed?"},
            {"text": "b", "contactEmail": f"new@{domain}", "contactName": "New"},
            {"text": "c", "contactEmail": f"new@{domain}"},
            {"text": "d", "contactEmail": "someone@gmail.com"},
        ),
    )
    assert workspace.count(Contact) == 3
    with workspace.database.unit_of_work(write=False) as session:
        threads = {t.id: t for t in session.scalars(select(Thread).where(Thread.id.in_(ids)))}
        contacts = {
            c.email: c for c in session.scalars(select(Contact).where(Contact.workspace_id == workspace.id))
        }
    assert threads[ids[0]].contact_id == existing["contactId"]
    assert contacts[f"known@{domain}"].name == "Known", "an import does not rename a contact"
    assert threads[ids[1]].contact_id == threads[ids[2]].contact_id == contacts[f"new@{domain}"].id
    assert contacts[f"new@{domain}"].name == "New"
    assert [threads[i].company_id for i in ids] == [company, company, company, None]
    assert contacts[f"new@{domain}"].company_id == company


def test_import_keeps_counts_exact_and_lists_in_created_order(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="Ordered").id
    recent = create(client, workspace.admin, projectId=project)
    old = run_import(
        workspace,
        items(
            *(
                {"text": f"t{n}", "contactEmail": unique_email(), "createdAt": stamp(10 + n),
                 "state": ["NEW", "COMPLETED", "SNOOZED"][n % 3], "projectId": project if n % 2 else None}
                for n in range(6)
            )
        ),
    )  # fmt: skip
    truth = counted(workspace.database, workspace.id)
    assert kept(workspace.database, workspace.id, list(truth)) == truth
    listed = client.get(
        "/api/v1/threads", params={"projectId": project}, headers=workspace.admin.headers
    ).json()
    assert [t["id"] for t in listed["threads"]] == [recent["id"], old[1], old[3], old[5]]
    assert listed["count"] == 4
    everything = client.get("/api/v1/threads", params={"take": 100}, headers=workspace.admin.headers).json()
    assert [t["id"] for t in everything["threads"]][:7] == [recent["id"], *old]
    with workspace.database.unit_of_work(write=False) as session:
        links = session.scalars(select(ThreadProject).where(ThreadProject.project_id == project)).all()
        created = {t.id: t.created_at for t in session.scalars(select(Thread).where(Thread.id.in_(old)))}
    assert all(
        link.thread_created_at == created.get(link.thread_id, link.thread_created_at) for link in links
    )


def test_a_foreign_project_fails_the_whole_batch_and_writes_nothing(
    workspace: WorkspaceFixture, database: Any
) -> None:
    other = make_workspace(database)
    with database.unit_of_work() as session:
        foreign = create_project(session, other.id, name="Theirs").id
    batch = items(
        {"text": "ok", "contactEmail": unique_email()},
        {"text": "x", "contactEmail": unique_email(), "projectId": foreign},
    )
    with pytest.raises(NotFound):
        run_import(workspace, batch)
    assert workspace.count(Thread) == 0
    assert workspace.count(Contact) == 0


def test_imported_snoozed_threads_wake_like_created_ones(workspace: WorkspaceFixture) -> None:
    (thread_id,) = run_import(
        workspace, items({"text": "later", "contactEmail": unique_email(), "state": "SNOOZED"})
    )
    with workspace.database.unit_of_work(write=False) as session:
        thread = session.get(Thread, thread_id)
    assert thread is not None
    assert thread.snoozed_until is not None
    assert thread.snoozed_until > datetime.now(UTC) + timedelta(hours=23)


def test_an_import_refreshes_table_statistics_as_it_doubles(workspace: WorkspaceFixture) -> None:
    from sqlalchemy import event

    from laneway.threads.imports import keep_statistics

    sent: list[str] = []
    engine = workspace.database.engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for before, now in ((0, 5000), (5000, 6000), (6000, 10_000), (10_000, 15_000), (15_000, 20_000)):
            sent.clear()
            with workspace.database.unit_of_work() as session:
                keep_statistics(session, before, now)
            analysed = any(s.startswith("ANALYZE") for s in sent)
            assert analysed == (before in (0, 6000, 15_000)), (before, now)
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_batch_prepared_in_another_process_writes_what_the_items_say(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="Prepared").id
    email = unique_email("prepared")
    batch = items(
        {"text": "first", "contactEmail": email, "contactName": "Pre", "projectId": project,
         "state": "SNOOZED", "createdAt": stamp(30)},
        {"text": "second", "contactEmail": email.upper(), "title": "Two", "createdAt": stamp(20)},
    )  # fmt: skip
    # What `laneway thread import` and bench/seed.py do: prepare in a child, write here.
    (prepared,) = map_ahead(
        partial(prepare, workspace_id=workspace.id, reporter_id=workspace.admin.user_id), [batch]
    )
    with workspace.database.unit_of_work() as session:
        written = write(session, prepared)
    assert written.contacts_created == 1
    first, second = (
        client.get(f"/api/v1/threads/{i}", headers=workspace.admin.headers).json() for i in written.thread_ids
    )
    assert (first["text"], first["state"], first["contact"]["name"]) == ("first", "SNOOZED", "Pre")
    assert [p["id"] for p in first["linkedProjects"]] == [project]
    assert (second["text"], second["title"], second["linkedProjects"]) == ("second", "Two", [])
    assert first["contactId"] == second["contactId"]
    assert first["createdAt"] < second["createdAt"]
    truth = counted(workspace.database, workspace.id)
    assert kept(workspace.database, workspace.id, list(truth)) == truth


def test_two_imports_sharing_new_addresses_in_opposite_orders_both_finish(
    workspace: WorkspaceFixture,
) -> None:
    """On PostgreSQL each waits for the other's new contacts instead of deadlocking: both write
    them in one order, the addresses'."""
    addresses = [f"shared{n}@{workspace.id}.example" for n in range(3000)]
    forward = items(*({"text": f"a {a}", "contactEmail": a} for a in addresses))
    backward = items(*({"text": f"b {a}", "contactEmail": a.upper()} for a in reversed(addresses)))
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def importer(batch: list[ImportItem]) -> None:
        prepared = prepare(batch, workspace.id, workspace.admin.user_id)
        start.wait()
        try:
            with workspace.database.unit_of_work() as session:
                write(session, prepared)
        except BaseException as exc:
            failures.append(exc)

    runs = [threading.Thread(target=importer, args=(batch,)) for batch in (forward, backward)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert failures == []
    assert workspace.count(Thread) == 6000
    assert workspace.count(Contact) == 3000
