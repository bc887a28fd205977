from __future__ import annotations

from laneway.kit.schema import ResponseSchema, Timestamp


class SlackSettingsOut(ResponseSchema):
    notification_channel_id: str | None


class WorkspaceEmbedOut(ResponseSchema):
    """The workspace as a created thread embeds it."""

    id: str
    name: str
    domain: str | None
    remaining_generated_thread_titles: int
    slack_settings: SlackSettingsOut


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
