"""The thread as clients send it and as Laneway answers it (the reference page, field by field)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BeforeValidator,
    Field,
    JsonValue,
    StrictBool,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from laneway.companies.schemas import CompanyOut
from laneway.contacts.emails import Email, parse_email
from laneway.contacts.schemas import ContactOut
from laneway.kit.schema import (
    DateTimeIn,
    NonBlank,
    OptionalText,
    RequestSchema,
    ResponseSchema,
    Timestamp,
    drop_blank,
)
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
    contact_email: EmailIn = Field(
        validation_alias=AliasChoices("contactEmail", "email"),
        max_length=254,
        json_schema_extra={"format": "email"},
    )
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


def _recipient(value: Any) -> Any:
    # A bare address is as good as {"email": address}.
    return {"email": value} if isinstance(value, str) else value


class Recipient(RequestSchema):
    email: EmailIn
    name: OptionalText = Field(default=None, max_length=255)


RecipientIn = Annotated[Recipient, BeforeValidator(_recipient)]


_PATCH_BLANK_IS_ABSENT = frozenset({"title", "assigneeId", "projectId", "contactId", "companyId"})


class UpdateThread(RequestSchema):
    """PATCH /threads/{id}: only the fields sent change."""

    text: NonBlank | None = None
    title: StrictStr | None = Field(default=None, max_length=512)
    pain_level: PainLevel | None = None
    assignee_id: OptionalText = None
    project_id: OptionalText = None
    notify: Notify | None = None
    state: State | None = None
    contact_id: OptionalText = None
    company_id: OptionalText = None
    tag_ids: list[StrictStr] | None = Field(default=None, max_length=100)
    updated_at: PastDateTime | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        # "" is what automation tools send for unmapped fields: it must not unassign or unlink.
        return drop_blank(data, _PATCH_BLANK_IS_ABSENT)

    @model_validator(mode="after")
    def _no_nulls_where_a_value_is_needed(self) -> UpdateThread:
        for name in ("text", "pain_level", "state", "contact_id"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise PydanticCustomError("null", "{field} must not be null", {"field": to_camel(name)})
        return self


class SendMessage(RequestSchema):
    """POST /threads/{id}/messages: a reply to the customer."""

    content: NonBlank = Field(max_length=200_000, validation_alias=AliasChoices("content", "text"))
    cc: list[RecipientIn] = Field(default_factory=list, max_length=50)
    bcc: list[RecipientIn] = Field(default_factory=list, max_length=50)
    attachments: list[JsonValue] = Field(default_factory=list, max_length=20)
    channel_id: OptionalText = Field(default=None, max_length=255)
    thread_id: OptionalText = None


class TagOut(ResponseSchema):
    id: str
    name: str
    color: str | None


class RecipientOut(ResponseSchema):
    email: str
    name: str | None = None


class AuthorOut(ResponseSchema):
    type: Literal["contact", "member"]
    id: str | None
    name: str | None
    email: str | None


class MessageOut(ResponseSchema):
    id: str
    thread_id: str
    direction: Literal["INBOUND", "OUTBOUND"]
    content: str
    created_at: Timestamp
    author: AuthorOut
    cc: list[RecipientOut]
    bcc: list[RecipientOut]


class MessageSentOut(ResponseSchema):
    message_id: str
    thread_id: str


class ThreadDetailOut(ThreadOut):
    """GET /threads/{id}: the thread with the people and tags around it."""

    contact: ContactOut | None
    company: CompanyOut | None
    assignee: MemberOut | None
    reporter: MemberOut | None
    tags: list[TagOut]


class ThreadConversationOut(ThreadDetailOut):
    """GET /threads/{id}?includeConversation=true: with its messages, oldest first."""

    conversation: list[MessageOut]


class NextPageOut(ResponseSchema):
    skip: int
    take: int
    cursor: str | None = None


class ThreadListOut(ResponseSchema):
    threads: list[ThreadOut]
    count: int
    has_more: bool
    next_page: NextPageOut | None
