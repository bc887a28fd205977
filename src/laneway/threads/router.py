"""The v1 thread routes, served under /api/v1/threads and the older /api/v1/insights."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from laneway.auth.dependencies import CurrentCaller, CurrentWriter
from laneway.idempotency.dependencies import Idempotency
from laneway.idempotency.service import once
from laneway.kit.body import json_body
from laneway.kit.openapi import LanewayRoute
from laneway.kit.pagination import Paging, given, next_page, require_enum
from laneway.kit.shapes import columns_of, to_json
from laneway.kit.web import AppSettings, Db, json_answer
from laneway.threads import replies, service, triage, views
from laneway.threads.enums import STATES
from laneway.threads.repository import ThreadFilter
from laneway.threads.schemas import (
    CreatedThreadOut,
    CreateThread,
    MessageSentOut,
    SendMessage,
    ThreadConversationOut,
    ThreadDetailOut,
    ThreadListOut,
    UpdateThread,
)

router = APIRouter(route_class=LanewayRoute)


def _rules(settings: AppSettings) -> service.ThreadRules:
    return service.ThreadRules(
        snooze_period=settings.snooze_period, import_threshold=settings.import_threshold
    )


Rules = Annotated[service.ThreadRules, Depends(_rules)]


@router.post("", response_model=CreatedThreadOut, summary="Create thread")
async def create_thread(
    caller: CurrentWriter,
    body: Annotated[CreateThread, Depends(json_body(CreateThread))],
    idempotency: Idempotency,
    db: Db,
    rules: Rules,
) -> Response:
    if idempotency is None:
        created = await db.run(lambda session: service.create_thread(session, caller, body, rules))
        # Shaped once committed: outside the transaction, which on SQLite holds the write lock.
        return json_answer(to_json(views.created_out(created)))

    def work(session: Session) -> str:
        # With a key, the answer is stored with the thread, in its transaction.
        return once(
            session, caller.workspace_id, idempotency,
            lambda: to_json(views.created_out(service.create_thread(session, caller, body, rules))).decode(),
        )  # fmt: skip

    return json_answer(await db.run(work))


@router.get("", response_model=ThreadListOut, summary="List threads")
async def list_threads(
    caller: CurrentCaller,
    page: Paging,
    db: Db,
    state: Annotated[str | None, Query(description="only threads in this state")] = None,
    project_id: Annotated[str | None, Query(alias="projectId")] = None,
    issue_id: Annotated[str | None, Query(alias="issueId")] = None,
) -> Response:
    where = ThreadFilter(
        state=require_enum("state", state, STATES), project_id=given(project_id), issue_id=given(issue_id)
    )

    def work(session: Session) -> bytes:
        found = triage.list_threads(session, caller.workspace_id, where, page)
        return to_json(
            {
                "threads": views.thread_outs(session, caller.workspace_id, found.threads),
                "count": found.count,
                "hasMore": found.has_more,
                "nextPage": next_page(page, found.has_more, found.last),
            }
        )

    return json_answer(await db.run(work, write=False))


@router.get("/{thread_id}", response_model=ThreadDetailOut | ThreadConversationOut, summary="Get thread")
async def get_thread(
    thread_id: str,
    caller: CurrentCaller,
    db: Db,
    include_conversation: Annotated[bool, Query(alias="includeConversation")] = False,
) -> Response:
    def work(session: Session) -> bytes:
        thread = triage.require_thread_row(session, caller.workspace_id, thread_id)
        return to_json(
            views.thread_detail(session, caller.workspace_id, thread, conversation=include_conversation)
        )

    return json_answer(await db.run(work, write=False))


@router.patch("/{thread_id}", response_model=ThreadDetailOut, summary="Update thread")
async def update_thread(
    thread_id: str,
    caller: CurrentWriter,
    body: Annotated[UpdateThread, Depends(json_body(UpdateThread))],
    db: Db,
    rules: Rules,
) -> Response:
    def work(session: Session) -> bytes:
        thread = triage.update_thread(session, caller, thread_id, body, rules)
        return to_json(views.thread_detail(session, caller.workspace_id, columns_of(thread)))

    return json_answer(await db.run(work))


@router.post("/{thread_id}/messages", response_model=MessageSentOut, summary="Reply to the customer")
async def send_message(
    thread_id: str,
    caller: CurrentWriter,
    body: Annotated[SendMessage, Depends(json_body(SendMessage))],
    idempotency: Idempotency,
    db: Db,
) -> Response:
    def work(session: Session) -> str:
        def reply() -> MessageSentOut:
            message = replies.send_message(session, caller, thread_id, body)
            return MessageSentOut(message_id=message.id, thread_id=message.thread_id)

        return once(session, caller.workspace_id, idempotency, reply)

    return json_answer(await db.run(work))
