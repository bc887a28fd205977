from __future__ import annotations

from laneway.kit.schema import ResponseSchema, Timestamp
from laneway.workspaces.models import Workspace


class SlackSettingsOut(ResponseSchema):
    notification_channel_id: str | None


class WorkspaceEmbedOut(ResponseSchema):
    """The workspace as a created thread embeds it."""

    id: str
    name: str
    domain: str | None
    remaining_generated_thread_titles: int
    slack_settings: SlackSettingsOut

    @classmethod
    def of(cls, workspace: Workspace) -> WorkspaceEmbedOut:
        return cls(
            id=workspace.id,
            name=workspace.name,
            domain=workspace.domain,
            remaining_generated_thread_titles=workspace.remaining_generated_thread_titles,
            slack_settings=SlackSettingsOut(notification_channel_id=workspace.slack_notification_channel_id),
        )


class PublicWorkspaceOut(ResponseSchema):
    """The workspace as its public portal shows it: no settings, no secrets."""

    id: str
    name: str
    slug: str | None
    domain: str | None
    logo: str | None
    primary_color: str | None
    secondary_color: str | None
    is_published: bool
    created_at: Timestamp
    updated_at: Timestamp


class PublicWorkspaceAnswer(ResponseSchema):
    """GET /workspaces/{id}. Changelogs are not served yet, so `latestChangelog` is always null."""

    workspace: PublicWorkspaceOut
    latest_changelog: None = None
