from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdColumn, IdMixin, JSONValue


class Thread(IdMixin, Base):
    """One piece of customer feedback: the customer's first message and its triage state."""

    __tablename__ = "threads"
    __table_args__ = (
        # Newest-first listing, whole workspace and by state (created_at desc, id desc). Each
        # index holds every column the page query filters and sorts on, so a deep skip walks
        # the index alone and reads only the rows of the page.
        Index("ix_threads_workspace_live_created", "workspace_id", "is_deleted", "created_at", "id"),
        Index(
            "ix_threads_workspace_live_state_created",
            "workspace_id",
            "is_deleted",
            "state",
            "created_at",
            "id",
        ),
        # The snooze clock looks for SNOOZED threads whose time is up.
        Index("ix_threads_state_snoozed_until", "state", "snoozed_until"),
    )

    workspace_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_read: Mapped[bool] = mapped_column(Boolean, default=False)
    last_inbound_message_at: Mapped[datetime | None] = mapped_column()
    last_outbound_message_at: Mapped[datetime | None] = mapped_column()
    last_state_change_at: Mapped[datetime | None] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    pain_level: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(512))
    snoozed_until: Mapped[datetime | None] = mapped_column()
    contact_id: Mapped[str | None] = mapped_column(
        IdColumn, ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    company_id: Mapped[str | None] = mapped_column(
        IdColumn, ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    # reporter and assignee are users (the member ids the API shows), checked to be members.
    reporter_id: Mapped[str | None] = mapped_column(IdColumn, ForeignKey("users.id", ondelete="SET NULL"))
    assignee_id: Mapped[str | None] = mapped_column(IdColumn, ForeignKey("users.id", ondelete="SET NULL"))
    attachments: Mapped[list[Any]] = mapped_column(JSONValue, default=list)
    recording_id: Mapped[str | None] = mapped_column(String(255))
    video_id: Mapped[str | None] = mapped_column(String(255))
    slack_channel_id: Mapped[str | None] = mapped_column(String(255))
    linear_attachment_id: Mapped[str | None] = mapped_column(String(255))
    intercom_id: Mapped[str | None] = mapped_column(String(255))
    front_id: Mapped[str | None] = mapped_column(String(255))
    zendesk_id: Mapped[str | None] = mapped_column(String(255))
    hubspot_id: Mapped[str | None] = mapped_column(String(255))
    plain_id: Mapped[str | None] = mapped_column(String(255))
    productboard_id: Mapped[str | None] = mapped_column(String(255))
    slack_reply_id: Mapped[str | None] = mapped_column(String(255))
    unique_id: Mapped[str | None] = mapped_column(String(255))


class ThreadProject(Base):
    """A thread linked to a roadmap project."""

    __tablename__ = "thread_projects"
    # A project's threads newest first, read from this table alone.
    __table_args__ = (
        Index(
            "ix_thread_projects_project_recent",
            "workspace_id",
            "project_id",
            "thread_created_at",
            "thread_id",
        ),
    )

    thread_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column()
    # The thread's createdAt (which never changes), so that listing by project sorts here.
    thread_created_at: Mapped[datetime] = mapped_column()


class ThreadIssue(Base):
    """A thread linked to a roadmap issue."""

    __tablename__ = "thread_issues"
    # A issue's threads newest first, read from this table alone.
    __table_args__ = (
        Index("ix_thread_issues_issue_recent", "workspace_id", "issue_id", "thread_created_at", "thread_id"),
    )

    thread_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    issue_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column()
    thread_created_at: Mapped[datetime] = mapped_column()


class ThreadMessage(IdMixin, Base):
    """A message in a thread's conversation after the opening one (which is the thread's text)."""

    __tablename__ = "thread_messages"
    __table_args__ = (Index("ix_thread_messages_thread_created", "thread_id", "created_at", "id"),)

    workspace_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"))
    thread_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("threads.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(16))  # INBOUND or OUTBOUND
    content: Mapped[str] = mapped_column(Text)  # HTML
    author_type: Mapped[str] = mapped_column(String(16))  # member or contact
    author_id: Mapped[str | None] = mapped_column(IdColumn)
    cc: Mapped[list[Any]] = mapped_column(JSONValue, default=list)
    bcc: Mapped[list[Any]] = mapped_column(JSONValue, default=list)
    attachments: Mapped[list[Any]] = mapped_column(JSONValue, default=list)
    channel_id: Mapped[str | None] = mapped_column(String(255))
    # The RFC 5322 Message-ID the reply is mailed with, so the customer's answers thread.
    email_message_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column()


class ThreadTag(Base):
    """A tag on a thread."""

    __tablename__ = "thread_tags"

    thread_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"))


class ThreadCount(Base):
    """How many live threads a workspace has in one scope ("all", "state:NEW", "project:<id>",
    "issue:<id>"), kept exactly by the transactions that change them, so that listing does not
    count rows. Each scope is split over a few shards (summed on read) so that concurrent
    writers on PostgreSQL rarely wait for one another's row."""

    __tablename__ = "thread_counts"

    workspace_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
