"""POST /api/v1/threads: the reference page's contract and our rules, on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from laneway.companies.service import create_company
from laneway.contacts.models import Contact
from laneway.issues.service import create_issue
from laneway.outbox.models import OutboxMessage
from laneway.projects.service import create_project
from laneway.threads.models import Thread, ThreadIssue, ThreadProject
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import OMIT, create, post_thread, unique_email

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SEED_KEYS = {
    "id",
    "createdAt",
    "updatedAt",
    "isDeleted",
    "isRead",
    "lastInboundMessageAt",
    "lastOutboundMessageAt",
    "lastStateChangeAt",
    "text",
    "painLevel",
    "state",
    "origin",
    "title",
    "snoozedUntil",
    "workspaceId",
    "contactId",
    "companyId",
    "reporterId",
    "assigneeId",
    "attachments",
    "recordingId",
    "videoId",
    "slackChannelId",
    "linearAttachmentId",
    "intercomId",
    "frontId",
    "zendeskId",
    "hubspotId",
    "plainId",
    "productboardId",
    "slackReplyId",
    "uniqueId",
    "linkedProjects",
    "linkedIssues",
    "workspace",
    "company",
    "contact",
    "reporter",
}


def test_response_has_every_seed_key_with_defaults(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin, title=OMIT)
    assert set(t) == SEED_KEYS
    assert (t["state"], t["origin"], t["isRead"], t["isDeleted"]) == ("NEW", "API", False, False)
    assert t["attachments"] == []
    assert t["linkedProjects"] == []
    assert t["linkedIssues"] == []
    assert t["lastOutboundMessageAt"] is None
    assert t["snoozedUntil"] is None
    for key in ("createdAt", "updatedAt", "lastInboundMessageAt", "lastStateChangeAt"):
        assert DATE.match(t[key]), (key, t[key])
    assert t["lastInboundMessageAt"] == t["createdAt"] == t["updatedAt"]
    assert t["workspace"]["slackSettings"] == {"notificationChannelId": "C0123"}
    assert set(t["contact"]) >= {"id", "email", "name", "companyId", "workspaceId", "version", "isDeleted"}
    assert t["reporter"]["id"] == workspace.admin.user_id == t["reporterId"]
    assert t["reporter"]["role"] == "ADMIN"
    assert t["reporter"]["selectedTeamIds"] == []


def test_thread_is_stored_as_answered(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin, text="Stored text", title="Stored title")
    with workspace.database.unit_of_work(write=False) as session:
        row = session.get(Thread, t["id"])
        assert row is not None
        assert (row.workspace_id, row.text, row.title, row.contact_id) == (
            workspace.id,
            "Stored text",
            "Stored title",
            t["contactId"],
        )


def test_full_body_is_echoed_and_dates_converted_to_utc(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    user = workspace.add_member(unique_email("assignee"))
    with workspace.database.unit_of_work() as session:
        project = create_project(session, workspace.id, name="Roadmap")
        issue = create_issue(session, workspace.id, title="Bug", project_id=project.id)
    t = create(
        client,
        workspace.admin,
        painLevel="HIGH",
        state="PROCESSED",
        origin="SLACK",
        contactName="Full Person",
        assigneeId=user.user_id,
        projectId=project.id,
        issueId=issue.id,
        createdAt="2021-03-04T10:00:00Z",
        updatedAt="2021-03-05T10:00:00+02:00",
    )
    assert (t["painLevel"], t["state"], t["origin"], t["assigneeId"]) == (
        "HIGH",
        "PROCESSED",
        "SLACK",
        user.user_id,
    )
    assert t["createdAt"] == "2021-03-04T10:00:00.000Z"
    assert t["updatedAt"] == "2021-03-05T08:00:00.000Z"
    assert t["lastStateChangeAt"] == t["createdAt"]
    assert [p["id"] for p in t["linkedProjects"]] == [project.id]
    assert [i["id"] for i in t["linkedIssues"]] == [issue.id]
    assert t["contact"]["name"] == "Full Person"
    assert workspace.count(ThreadProject, thread_id=t["id"]) == 1
    assert workspace.count(ThreadIssue, thread_id=t["id"]) == 1


def test_fractional_seconds_are_kept_to_the_millisecond(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    t = create(client, workspace.admin, createdAt="2021-06-07T08:09:10.123456789+00:00")
    assert t["createdAt"] == "2021-06-07T08:09:10.123Z"


def test_snoozed_thread_gets_a_snooze_end_a_day_ahead(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    t = create(client, workspace.admin, state="SNOOZED")
    until = datetime.strptime(t["snoozedUntil"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert timedelta(hours=23) < until - datetime.now(UTC) <= timedelta(hours=24)


def test_email_and_actorName_aliases(client: TestClient, workspace: WorkspaceFixture) -> None:
    email = unique_email("alias")
    t = create(client, workspace.admin, contactEmail=OMIT, email=email, actorName="Alias Name")
    assert (t["contact"]["email"], t["contact"]["name"]) == (email, "Alias Name")


def test_contact_is_one_per_address_whatever_the_spelling(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    first = create(client, workspace.admin, contactEmail="  Mixed.Case@Bücher.Example ", contactName="First")
    assert first["contact"]["email"] == "mixed.case@bücher.example"
    for spelling in (
        "mixed.case@bücher.example",
        "MIXED.CASE@BÜCHER.EXAMPLE",
        "mixed.case@xn--bcher-kva.example",
    ):
        again = create(client, workspace.admin, contactEmail=spelling, contactName="Other")
        assert again["contactId"] == first["contactId"], spelling
        assert again["contact"]["name"] == "First"
    assert workspace.count(Contact) == 1


def test_same_address_in_two_workspaces_is_two_contacts(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    email = unique_email("shared")
    mine = create(client, workspace.admin, contactEmail=email)
    theirs = create(client, other_workspace.admin, contactEmail=email)
    assert mine["contactId"] != theirs["contactId"]
    assert theirs["contact"]["workspaceId"] == other_workspace.id


def test_company_by_domain_links_contact_and_thread(client: TestClient, workspace: WorkspaceFixture) -> None:
    with workspace.database.unit_of_work() as session:
        acme = create_company(session, workspace.id, name="Acme", domains=["acme.example"])
    t = create(client, workspace.admin, contactEmail="kim@ACME.example")
    assert t["companyId"] == acme.id == t["contact"]["companyId"] == t["company"]["id"]
    assert t["company"]["domains"] == ["acme.example"]


def test_free_mail_domains_never_match_a_company(client: TestClient, workspace: WorkspaceFixture) -> None:
    with workspace.database.unit_of_work() as session:
        create_company(session, workspace.id, name="Gmail lovers", domains=["gmail.com"])
    t = create(client, workspace.admin, contactEmail=unique_email("free", "gmail.com"))
    assert t["companyId"] is None
    assert t["company"] is None


def test_company_precedence_sent_then_contacts_then_domain(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    with workspace.database.unit_of_work() as session:
        by_domain = create_company(session, workspace.id, name="Domain Co", domains=["domain-co.example"])
        chosen = create_company(session, workspace.id, name="Chosen Co")
    email = unique_email("prec", "domain-co.example")
    first = create(client, workspace.admin, contactEmail=email, companyId=chosen.id)
    assert first["companyId"] == chosen.id
    # The contact had no company, so the sent one became theirs and now wins over the domain.
    assert first["contact"]["companyId"] == chosen.id
    second = create(client, workspace.admin, contactEmail=email)
    assert second["companyId"] == chosen.id
    third = create(client, workspace.admin, contactEmail=email, companyId=by_domain.id)
    assert third["companyId"] == by_domain.id
    assert third["contact"]["companyId"] == chosen.id


def test_ids_of_another_workspace_answer_404_and_write_nothing(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    with other_workspace.database.unit_of_work() as session:
        project = create_project(session, other_workspace.id, name="Theirs")
        issue = create_issue(session, other_workspace.id, title="Theirs")
        company = create_company(session, other_workspace.id, name="Theirs")
    foreign = {
        "projectId": project.id,
        "issueId": issue.id,
        "companyId": company.id,
        "assigneeId": other_workspace.admin.user_id,
    }
    for field, value in foreign.items():
        foreign_answer = post_thread(client, workspace.admin, **{field: value})
        unknown_answer = post_thread(client, workspace.admin, **{field: value[:-4] + "zzzz"})
        assert foreign_answer.status_code == unknown_answer.status_code == 404, field
        assert foreign_answer.json()["code"] == "NOT_FOUND"
        # Same words for "someone else's" and "nobody's": existence does not leak.
        assert foreign_answer.json()["message"].replace(value, "X") == unknown_answer.json()[
            "message"
        ].replace(value[:-4] + "zzzz", "X")
    assert workspace.count(Thread) == 0
    assert workspace.count(Contact) == 0


def test_generated_titles_spend_the_quota_then_stop(client: TestClient, workspace: WorkspaceFixture) -> None:
    titled = create(client, workspace.admin, title="Sent title")
    assert titled["workspace"]["remainingGeneratedThreadTitles"] == 5
    left = 5
    while left:
        t = create(client, workspace.admin, title=OMIT, text="the app crashes on start. It worked yesterday")
        left -= 1
        assert t["title"] == "The app crashes on start"
        assert t["workspace"]["remainingGeneratedThreadTitles"] == left
    t = create(client, workspace.admin, title=OMIT)
    assert t["title"] is None
    assert t["workspace"]["remainingGeneratedThreadTitles"] == 0


def test_blank_title_counts_as_no_title(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin, title="   ", text="Dark mode please")
    assert t["title"] == "Dark mode please"


def test_notify_writes_outbox_rows_in_the_same_transaction(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    t = create(client, workspace.admin, notify={"slack": True, "email": True})
    with workspace.database.unit_of_work(write=False) as session:
        rows = session.query(OutboxMessage).filter(OutboxMessage.workspace_id == workspace.id).all()
    assert sorted(r.kind for r in rows) == ["email.thread_received", "slack.thread_created"]
    assert all(r.payload["threadId"] == t["id"] and r.status == "PENDING" for r in rows)


def test_notify_with_one_key_and_none(client: TestClient, workspace: WorkspaceFixture) -> None:
    create(client, workspace.admin, notify={"email": True})
    create(client, workspace.admin)
    create(client, workspace.admin, notify=None)
    assert workspace.count(OutboxMessage) == 1
    assert workspace.count(OutboxMessage, kind="email.thread_received") == 1


def test_imports_with_a_past_createdAt_notify_nobody(client: TestClient, workspace: WorkspaceFixture) -> None:
    create(client, workspace.admin, createdAt="2023-11-07T05:31:56Z", notify={"slack": True, "email": True})
    assert workspace.count(OutboxMessage) == 0


def test_insights_prefix_creates_too(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = post_thread(client, workspace.admin, path="/api/v1/insights")
    assert response.status_code == 200
    assert response.json()["workspaceId"] == workspace.id


def test_user_member_is_the_reporter_of_its_threads(client: TestClient, workspace: WorkspaceFixture) -> None:
    user = workspace.add_member(unique_email("user"))
    t = create(client, user)
    assert t["reporterId"] == user.user_id
    assert t["reporter"]["role"] == "USER"


def test_blank_optional_fields_count_as_not_sent(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(
        client, workspace.admin, assigneeId="", projectId=" ", issueId="", companyId="", contactName="  "
    )
    assert (t["assigneeId"], t["linkedProjects"], t["linkedIssues"], t["companyId"]) == (None, [], [], None)
    assert t["contact"]["name"] is None


def test_quoted_local_parts_are_valid_addresses(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin, contactEmail='"John Doe"@Example.com')
    assert t["contact"]["email"] == '"john doe"@example.com'


def test_updatedAt_a_little_behind_our_clock_is_clamped_to_createdAt(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    behind = (datetime.now(UTC) - timedelta(seconds=30)).isoformat()
    t = create(client, workspace.admin, updatedAt=behind)
    assert t["updatedAt"] == t["createdAt"]
