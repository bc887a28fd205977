"""Operator commands that run things: migrate, serve, worker, demo."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from contextlib import suppress

from sqlalchemy import select

from laneway.auth.service import create_key
from laneway.config import Settings
from laneway.kit.db import Database
from laneway.kit.errors import NotFound
from laneway.kit.migrate import current_revision
from laneway.members.models import Membership
from laneway.workspaces.models import Workspace
from laneway.workspaces.service import DEFAULT_TITLE_QUOTA, create_workspace

# --- commands that run things ------------------------------------------------------------------


def cmd_migrate(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    # main() has applied any pending migration before this runs.
    print(json.dumps({"migrated": True, "revision": current_revision(database.engine)}))
    return 0


def cmd_serve(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    if not args.worker:
        os.environ["LANEWAY_RUN_WORKER"] = "false"  # read by each server process's Settings
    database.dispose()  # the server's processes open their own connections
    where = database.engine.url.render_as_string(hide_password=True)
    print(f"laneway: serving on http://{args.host}:{args.port} with {where}"
          f"{'' if args.worker else ' (no delivery worker)'}", file=sys.stderr, flush=True)  # fmt: skip
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
    where = database.engine.url.render_as_string(hide_password=True)
    logging.getLogger("laneway.worker").info("delivering the outbox of %s (Ctrl-C or SIGTERM stops)", where)
    with suppress(KeyboardInterrupt):
        anyio.run(main)
    logging.getLogger("laneway.worker").info("stopped")
    return 0


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
            clear, workspace_id = made.clear_key, made.workspace.id
        else:
            membership = session.scalars(
                select(Membership)
                .where(Membership.workspace_id == found.id, Membership.role == "ADMIN")
                .order_by(Membership.created_at)
            ).first()
            if membership is None:
                raise NotFound("The demo workspace has no admin")
            clear, workspace_id = create_key(session, membership)[1], found.id
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
        f"Demo workspace: {workspace_id} (the --workspace of the laneway commands)\n"
        f"API key of its admin: {clear}\n\nCreate a thread:\n\n"
        f"curl -sS -X POST {url} \\\n  -H 'Authorization: Bearer {clear}' \\\n"
        f"  -H 'Content-Type: application/json' \\\n  -d {shlex.quote(body)}\n",
        flush=True,
    )
    return cmd_serve(database, settings, args)
