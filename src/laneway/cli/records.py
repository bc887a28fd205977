"""Operator commands that write records: workspaces, members, keys, companies, projects, issues, tags."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laneway.auth.models import ApiKey
from laneway.auth.service import create_key, revoke_key
from laneway.companies.schemas import CompanyOut
from laneway.companies.service import create_company
from laneway.issues.service import create_issue
from laneway.kit.errors import BadRequest, NotFound
from laneway.kit.time import render
from laneway.members import repository as members
from laneway.members.models import Membership, User
from laneway.members.service import add_member
from laneway.projects.service import create_project
from laneway.tags.service import create_tag
from laneway.workspaces import repository as workspaces
from laneway.workspaces.models import Workspace
from laneway.workspaces.service import create_workspace

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
        "keyId": made.key.id,
    }


def cmd_member_add(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    user, membership = add_member(session, args.workspace, args.email, args.name, args.role)
    out: Output = {"member": member_json(user, membership)}
    if args.api_key:
        key, out["apiKey"] = create_key(session, membership)
        out["keyId"] = key.id
    return out


def cmd_workspace_update(session: Session, args: argparse.Namespace) -> Output:
    workspace = _require_workspace(session, args.workspace)
    if args.name is not None:
        if not args.name.strip() or len(args.name) > 255:
            raise BadRequest("name must be 1 to 255 characters and not blank")
        workspace.name = args.name.strip()
    for option, attribute in (("domain", "domain"), ("slack_channel", "slack_notification_channel_id"),
                              ("slack_token", "slack_bot_token")):  # fmt: skip
        value = getattr(args, option)
        if value is not None:
            setattr(workspace, attribute, value or None)  # "" clears
    if args.title_quota is not None:
        if args.title_quota < 0:
            raise BadRequest("title quota must be 0 or more")
        workspace.remaining_generated_thread_titles = args.title_quota
    if args.publish is not None:
        workspace.is_published = args.publish
    session.flush()
    return {"workspace": workspace_json(workspace)}


def cmd_key_list(session: Session, args: argparse.Namespace) -> Output:
    _require_workspace(session, args.workspace)
    rows = session.execute(
        select(ApiKey, User.email)
        .join(Membership, Membership.id == ApiKey.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(ApiKey.workspace_id == args.workspace)
        .order_by(ApiKey.created_at, ApiKey.id)
    )
    return {"keys": [
        {"keyId": key.id, "prefix": key.prefix, "email": email, "createdAt": render(key.created_at),
         "revokedAt": render(key.revoked_at) if key.revoked_at else None}
        for key, email in rows
    ]}  # fmt: skip


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
