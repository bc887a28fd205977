"""The thread as clients send it and as Laneway answers it (the reference page, field by field)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasChoices,
    Field,
    StrictBool,
    StrictStr,
    ValidationInfo,
    field_validator,
)

from laneway.companies.schemas import CompanyOut
from laneway.contacts.emails import Email, parse_email
from laneway.contacts.schemas import ContactOut
from laneway.kit.schema import DateTimeIn, NonBlank, OptionalText, RequestSchema, ResponseSchema, Timestamp
from laneway.kit.time import check_plausible, utcnow
from laneway.members.schemas import MemberOut
from laneway.threads.enums import Origin, PainLevel, State
from laneway.threads.models import Thread
from laneway.workspaces.schemas import WorkspaceEmbedOut

FUTURE_SKEW_SECONDS = 300


def _email(value: str) -> str:
    return parse_email(value).address


def _plausible(value: datetime) -> datetime:
    check_plausible(value, utcnow(), timedelta(seconds=FUTURE_SKEW_SECONDS))
    return value


# Validated and normalised (trimmed, lower case); the service re-parses it for the key.
EmailIn = Annotated[StrictStr, AfterValidator(_email)]
PastDateTime = Annotated[DateTimeIn, AfterValidator(_plausible)]


class Notify(RequestSchema):
    slack: StrictBool = False
    email: StrictBool = False


class CreateThread(RequestSchema):
    text: NonBlank = Field(min_length=1)
    pain_level: PainLevel
    # `email` and `actorName` are what a published MCP server sends.
    contact_email: EmailIn = Field(validation_alias=AliasChoices("contactEmail", "email"))
    title: StrictStr | None = Field(default=None, max_length=512)
    state: State | None = None
    origin: Origin | None = None
    contact_name: OptionalText = Field(
        default=None, max_length=255, validation_alias=AliasChoices("contactName", "actorName")
    )
    assignee_id: OptionalText = None
    project_id: OptionalText = None
    issue_id: OptionalText = None
    company_id: OptionalText = None
    created_at: PastDateTime | None = None
    updated_at: PastDateTime | None = None
    notify: Notify | None = None

    @field_validator("updated_at")
    @classmethod
    def _not_before_created(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None or "created_at" not in info.data:  # no value, or createdAt was invalid
            return value
        created = info.data["created_at"]
        if created is None and value < utcnow() - timedelta(seconds=FUTURE_SKEW_SECONDS):
            raise ValueError("must not be in the past when createdAt is not sent (it defaults to now)")
        if created is not None and value < created:
            raise ValueError("must not be before createdAt")
        return value

    @property
    def email(self) -> Email:
        return parse_email(self.contact_email)


class LinkedProjectOut(ResponseSchema):
    id: str
    name: str
    description: str | None
    state: str | None
    linear_project_id: str | None


class LinkedIssueOut(ResponseSchema):
    id: str
    title: str
    project_id: str | None
    state: str | None
    linear_issue_id: str | None


class ThreadOut(ResponseSchema):
    id: str
    created_at: Timestamp
    updated_at: Timestamp
    is_deleted: bool
    is_read: bool
    last_inbound_message_at: Timestamp | None
    last_outbound_message_at: Timestamp | None
    last_state_change_at: Timestamp | None
    text: str
    pain_level: PainLevel
    state: State
    origin: Origin
    title: str | None
    snoozed_until: Timestamp | None
    workspace_id: str
    contact_id: str | None
    company_id: str | None
    reporter_id: str | None
    assignee_id: str | None
    attachments: list[Any]
    recording_id: str | None
    video_id: str | None
    slack_channel_id: str | None
    linear_attachment_id: str | None
    intercom_id: str | None
    front_id: str | None
    zendesk_id: str | None
    hubspot_id: str | None
    plain_id: str | None
    productboard_id: str | None
    slack_reply_id: str | None
    unique_id: str | None
    linked_projects: list[LinkedProjectOut]
    linked_issues: list[LinkedIssueOut]

    @staticmethod
    def columns(thread: Thread) -> dict[str, Any]:
        """The thread's own fields, by attribute name."""
        return {
            name: getattr(thread, name)
            for name in ThreadOut.model_fields
            if name not in ("linked_projects", "linked_issues")
        }


class CreatedThreadOut(ThreadOut):
    """The answer to POST /threads: the thread with its workspace, company, contact, reporter."""

    workspace: WorkspaceEmbedOut
    company: CompanyOut | None
    contact: ContactOut
    reporter: MemberOut
