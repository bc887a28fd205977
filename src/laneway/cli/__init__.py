"""The `laneway` command: serving, migrating, and the operator commands of the CLI contract.

Every command that creates something prints one JSON object on stdout and nothing else there;
failures print one line on stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from laneway import __version__
from laneway.cli.imports import cmd_thread_import
from laneway.cli.outbox import cmd_outbox_list, cmd_outbox_purge, cmd_outbox_retry
from laneway.cli.records import (
    Output,
    cmd_company_create,
    cmd_issue_create,
    cmd_key_create,
    cmd_key_list,
    cmd_key_revoke,
    cmd_member_add,
    cmd_project_create,
    cmd_tag_create,
    cmd_workspace_create,
    cmd_workspace_update,
)
from laneway.cli.running import cmd_demo, cmd_migrate, cmd_serve, cmd_worker
from laneway.config import Settings
from laneway.kit.db import Database, make_engine
from laneway.kit.errors import AppError
from laneway.kit.migrate import upgrade
from laneway.outbox.models import DEAD, DONE, PENDING
from laneway.workspaces.service import DEFAULT_TITLE_QUOTA

# --- the parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="laneway", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"laneway {__version__}")
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

    ws = sub.add_parser("workspace", help="create and update workspaces").add_subparsers(
        dest="action", required=True
    )
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
    p = ws.add_parser("update", help="change a workspace's name, Slack settings, title quota or portal")
    p.add_argument("--workspace", required=True)
    p.add_argument("--name")
    p.add_argument("--domain", help='"" clears it')
    p.add_argument("--slack-channel", help='the notification channel id; "" clears it')
    p.add_argument("--slack-token", help='the Slack bot token (xoxb-...); "" clears it')
    p.add_argument("--title-quota", type=int, help="titles Laneway may still generate")
    p.add_argument("--publish", action=argparse.BooleanOptionalAction, default=None,
                   help="open (or, with --no-publish, close) the public portal")  # fmt: skip
    p.set_defaults(write=cmd_workspace_update)

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

    key = sub.add_parser("key", help="create, list and revoke API keys").add_subparsers(
        dest="action", required=True
    )
    p = key.add_parser("create", help="a new key for a member")
    p.add_argument("--workspace", required=True)
    p.add_argument("--email", required=True)
    p.set_defaults(write=cmd_key_create)
    p = key.add_parser("list", help="the workspace's keys (prefixes only) and who holds them")
    p.add_argument("--workspace", required=True)
    p.set_defaults(write=cmd_key_list)
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

    thread = sub.add_parser("thread", help="import threads").add_subparsers(dest="action", required=True)
    p = thread.add_parser(
        "import",
        help="threads from JSON lines, one POST /threads body per line (no notifications are sent)",
    )
    p.add_argument("--workspace", required=True)
    p.add_argument("--email", help="the member who reports them (default: the workspace's first admin)")
    p.add_argument(
        "--batch",
        type=_at_least(1),
        default=20_000,
        help="threads per transaction (default 20000; fewer hold SQLite's write lock for less time "
        "when a server is taking writes meanwhile)",
    )
    p.add_argument(
        "--skip", type=_at_least(0), default=0, help="skip this many lines first (to go on after a fix)"
    )
    p.add_argument("file", help="a file of JSON lines, or - for standard input")
    p.set_defaults(run=cmd_thread_import)
    return parser


def _at_least(least: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be {least} or more")
        return value

    return parse


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
