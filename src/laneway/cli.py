"""The `laneway` command: serving, migrating, and the operator commands of the CLI contract.

Every command that creates something prints one JSON object on stdout and nothing else there;
failures print one line on stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from laneway.auth.service import create_key, revoke_key
from laneway.companies.schemas import CompanyOut
from laneway.companies.service import create_company
from laneway.config import Settings
from laneway.issues.service import create_issue
from laneway.kit.db import Database, make_engine
from laneway.kit.errors import AppError, BadRequest, NotFound
from laneway.kit.migrate import upgrade
from laneway.kit.time import render, utcnow
from laneway.members import repository as members
from laneway.members.models import Membership, User
from laneway.members.service import add_member
from laneway.outbox import repository as outbox
from laneway.outbox.models import DEAD, DONE, PENDING, OutboxMessage
from laneway.projects.service import create_project
from laneway.tags.service import create_tag
from laneway.workspaces import repository as workspaces
from laneway.workspaces.models import Workspace
from laneway.workspaces.service import DEFAULT_TITLE_QUOTA, create_workspace

Output = dict[str, Any]


def workspace_json(workspace: Workspace) -> Output:
    return {
        "id": workspace.id,
        "name": workspace.name,
        "slug": workspace.slug,
        "domain": workspace.domain,
        "isPublished": workspace.is_published,
        "remainingGeneratedThreadTitles": workspace.remaining_generated_thread_titles,
        "slackSettings": {"notificationChannelId": workspace.slack_notification_channel_id},
        "createdAt": render(workspace.created_at),
        "updatedAt": render(workspace.updated_at),
    }


def member_json(user: User, membership: Membership) -> Output:
    return {
        "id": user.id,
        "membershipId": membership.id,
        "email": user.email,
        "name": user.name,
        "role": membership.role,
        "workspaceId": membership.workspace_id,
    }


def _require_workspace(session: Session, workspace_id: str) -> Workspace:
    workspace = workspaces.get(session, workspace_id)
    if workspace is None:
        raise NotFound(f"No workspace with id {workspace_id}")
    return workspace


# --- commands that write: each gets a session inside one transaction ---------------------------


def cmd_workspace_create(session: Session, args: argparse.Namespace) -> Output:
    made = create_workspace(
        session,
        name=args.name,
        admin_email=args.admin_email,
        admin_name=args.admin_name,
        domain=args.domain,
        slack_channel=args.slack_channel,
        slack_token=args.slack_token,
        title_quota=args.title_quota,
        publish=args.publish,
    )
    return {
        "workspace": workspace_json(made.workspace),
        "member": member_json(made.admin, made.membership),
        "apiKey": made.clear_key,
    }


def cmd_member_add(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    user, membership = add_member(session, args.workspace, args.email, args.name, args.role)
    out: Output = {"member": member_json(user, membership)}
    if args.api_key:
        out["apiKey"] = create_key(session, membership)[1]
    return out


def cmd_key_create(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    membership = members.membership_by_email(session, args.workspace, args.email.strip().lower())
    if membership is None:
        raise NotFound(f"{args.email} is not a member of workspace {args.workspace}")
    key, clear = create_key(session, membership)
    return {"apiKey": clear, "keyId": key.id}


def cmd_key_revoke(session: Session, args: argparse.Namespace) -> Output:
    revoke_key(session, args.key_id)
    return {"revoked": args.key_id}


def cmd_company_create(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    company = create_company(
        session, args.workspace, name=args.name, domains=args.domain or [], auto_add=args.auto_add
    )
    return {"company": CompanyOut.model_validate(company).model_dump(mode="json")}


def cmd_project_create(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    project = create_project(session, args.workspace, name=args.name, description=args.description)
    return {
        "project": {
            "id": project.id,
            "name": project.name,
            "description": project.description,
            "workspaceId": project.workspace_id,
            "createdAt": render(project.created_at),
        }
    }


def cmd_issue_create(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    issue = create_issue(session, args.workspace, title=args.title, project_id=args.project)
    return {
        "issue": {
            "id": issue.id,
            "title": issue.title,
            "projectId": issue.project_id,
            "workspaceId": issue.workspace_id,
            "createdAt": render(issue.created_at),
        }
    }


def cmd_tag_create(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    tag = create_tag(session, args.workspace, name=args.name, color=args.color)
    return {"tag": {"id": tag.id, "name": tag.name, "color": tag.color, "workspaceId": tag.workspace_id}}


# --- commands that run things ------------------------------------------------------------------


def cmd_migrate(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    print(json.dumps({"migrated": True}))
    return 0


def cmd_serve(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    if not args.worker:
        os.environ["LANEWAY_RUN_WORKER"] = "false"  # read by each server process's Settings
    database.dispose()  # the server's processes open their own connections
    uvicorn.run(
        "laneway.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        proxy_headers=True,
    )
    return 0


def cmd_worker(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    """Only the delivery loop and the clock jobs, for deployments with several API servers."""
    import anyio

    from laneway.app import run_worker, start_clock_jobs

    async def main() -> None:
        async with anyio.create_task_group() as jobs:
            start_clock_jobs(jobs, database, settings)
            jobs.start_soon(run_worker, database, settings)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with suppress(KeyboardInterrupt):
        anyio.run(main)
    return 0


def _outbox_row(row: OutboxMessage) -> Output:
    return {
        "id": row.id, "workspaceId": row.workspace_id, "kind": row.kind, "status": row.status,
        "attempts": row.attempts, "createdAt": render(row.created_at),
        "nextAttemptAt": render(row.next_attempt_at),
        "deliveredAt": render(row.delivered_at) if row.delivered_at else None, "lastError": row.last_error,
    }  # fmt: skip


def cmd_outbox_list(session: Session, args: argparse.Namespace) -> Output:
    rows = outbox.listing(session, status=args.status, limit=args.limit)
    return {"rows": [_outbox_row(r) for r in rows]}


def cmd_outbox_retry(session: Session, args: argparse.Namespace) -> Output:
    if not args.ids and not args.all_dead:
        raise BadRequest("name the rows to retry, or pass --all-dead")
    return {"retried": outbox.retry(session, None if args.all_dead else args.ids, utcnow())}


def cmd_outbox_purge(session: Session, args: argparse.Namespace) -> Output:
    statuses = [DONE, DEAD] if args.include_dead else [DONE]
    before = utcnow() - timedelta(days=args.older_than_days)
    return {"purged": outbox.purge(session, before, statuses)}


def cmd_demo(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    """A ready workspace and a fresh key, a curl to try, then the server."""
    with database.unit_of_work() as session:
        found = session.scalars(select(Workspace).where(Workspace.slug == "demo")).first()
        if found is None:
            made = create_workspace(
                session,
                name="Demo",
                admin_email="admin@demo.example",
                admin_name="Demo Admin",
                title_quota=DEFAULT_TITLE_QUOTA,
            )
            clear = made.clear_key
        else:
            membership = session.scalars(
                select(Membership)
                .where(Membership.workspace_id == found.id, Membership.role == "ADMIN")
                .order_by(Membership.created_at)
            ).first()
            if membership is None:
                raise NotFound("The demo workspace has no admin")
            clear = create_key(session, membership)[1]
    url = f"http://{args.host}:{args.port}/api/v1/threads"
    body = json.dumps(
        {
            "text": "The export button does nothing",
            "painLevel": "HIGH",
            "contactEmail": "jsmith@example.com",
            "title": "Export broken",
            "origin": "API",
            "contactName": "J Smith",
            "notify": {"slack": False, "email": False},
        }
    )
    print(
        f"\nLaneway is starting on http://{args.host}:{args.port} (database: {settings.database_url})\n"
        f"API key of the demo workspace's admin: {clear}\n\nCreate a thread:\n\n"
        f"curl -sS -X POST {url} \\\n  -H 'Authorization: Bearer {clear}' \\\n"
        f"  -H 'Content-Type: application/json' \\\n  -d {shlex.quote(body)}\n",
        flush=True,
    )
    return cmd_serve(database, settings, args)


# --- the parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="laneway", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)

    def server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=1)
        p.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True)
        p.add_argument("--worker", action=argparse.BooleanOptionalAction, default=True,
                       help="run the outbox delivery loop in the server (--no-worker: not)")  # fmt: skip

    serve = sub.add_parser("serve", help="serve the API (and deliver the outbox)")
    server_args(serve)
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("worker", help="only deliver the outbox (and run the clock jobs)").set_defaults(
        run=cmd_worker
    )
    demo = sub.add_parser("demo", help="make a demo workspace and key, print a curl example, serve")
    server_args(demo)
    demo.set_defaults(run=cmd_demo)
    sub.add_parser("migrate", help="apply pending migrations").set_defaults(run=cmd_migrate)

    ws = sub.add_parser("workspace", help="create workspaces").add_subparsers(dest="action", required=True)
    p = ws.add_parser("create", help="a workspace, its first admin and an API key")
    p.add_argument("--name", required=True)
    p.add_argument("--admin-email", required=True)
    p.add_argument("--admin-name")
    p.add_argument("--domain")
    p.add_argument("--slack-channel")
    p.add_argument("--slack-token")
    p.add_argument("--title-quota", type=int, default=DEFAULT_TITLE_QUOTA, help="titles Laneway may generate")
    p.add_argument("--publish", action="store_true", help="publish the public portal")
    p.set_defaults(write=cmd_workspace_create)

    member = sub.add_parser("member", help="add members to a workspace").add_subparsers(
        dest="action", required=True
    )
    p = member.add_parser("add", help="make someone a member (optionally with a key)")
    p.add_argument("--workspace", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--name")
    p.add_argument("--role", default="USER", choices=["ADMIN", "USER", "VIEWER"])
    p.add_argument("--api-key", action="store_true", help="also create an API key for the member")
    p.set_defaults(write=cmd_member_add)

    key = sub.add_parser("key", help="create and revoke API keys").add_subparsers(
        dest="action", required=True
    )
    p = key.add_parser("create", help="a new key for a member")
    p.add_argument("--workspace", required=True)
    p.add_argument("--email", required=True)
    p.set_defaults(write=cmd_key_create)
    p = key.add_parser("revoke", help="revoke a key for good (revoking twice is fine)")
    p.add_argument("key_id")
    p.set_defaults(write=cmd_key_revoke)

    company = sub.add_parser("company", help="create companies").add_subparsers(dest="action", required=True)
    p = company.add_parser("create", help="a company, matched to contacts by domain")
    p.add_argument("--workspace", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--domain", action="append", help="a bare lower-case domain (repeatable)")
    p.add_argument("--auto-add", action="store_true", help="link existing contacts at its domains")
    p.set_defaults(write=cmd_company_create)

    project = sub.add_parser("project", help="create roadmap projects").add_subparsers(
        dest="action", required=True
    )
    p = project.add_parser("create", help="a project threads can link to")
    p.add_argument("--workspace", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--description")
    p.set_defaults(write=cmd_project_create)

    issue = sub.add_parser("issue", help="create roadmap issues").add_subparsers(dest="action", required=True)
    p = issue.add_parser("create", help="an issue threads can link to")
    p.add_argument("--workspace", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--project")
    p.set_defaults(write=cmd_issue_create)

    box = sub.add_parser("outbox", help="see and recover deliveries").add_subparsers(
        dest="action", required=True
    )
    p = box.add_parser("list", help="the newest rows, of one status or all")
    p.add_argument("--status", choices=[PENDING, DONE, DEAD])
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(write=cmd_outbox_list)
    p = box.add_parser("retry", help="give DEAD rows another round of attempts")
    p.add_argument("ids", nargs="*")
    p.add_argument("--all-dead", action="store_true")
    p.set_defaults(write=cmd_outbox_retry)
    p = box.add_parser("purge", help="delete delivered rows (and with --include-dead, dead ones)")
    p.add_argument("--older-than-days", type=float, default=7.0)
    p.add_argument("--include-dead", action="store_true")
    p.set_defaults(write=cmd_outbox_purge)

    tag = sub.add_parser("tag", help="create tags for threads")
    p = tag.add_subparsers(dest="action", required=True).add_parser(
        "create", help="a tag (PATCH tagIds uses it)"
    )
    p.add_argument("--workspace", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--color")
    p.set_defaults(write=cmd_tag_create)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    try:
        database = Database(
            make_engine(settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        )
        upgrade(database.engine)
        write: Callable[[Session, argparse.Namespace], Output] | None = getattr(args, "write", None)
        if write is not None:
            with database.unit_of_work() as session:
                out = write(session, args)
            print(json.dumps(out, ensure_ascii=False))
            return 0
        code: int = args.run(database, settings, args)
        return code
    except AppError as exc:
        print(f"laneway: {exc.message}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, OSError) as exc:
        print(
            f"laneway: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130
