from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdMixin, TimestampMixin


class Workspace(IdMixin, TimestampMixin, Base):
    __tablename__ = "workspaces"

    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str | None] = mapped_column(String(255), unique=True)
    domain: Mapped[str | None] = mapped_column(String(255))
    logo: Mapped[str | None] = mapped_column(String(2048))
    primary_color: Mapped[str | None] = mapped_column(String(32))
    secondary_color: Mapped[str | None] = mapped_column(String(32))
    # The public portal (projects, issues, changelogs) answers only once published.
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    slack_notification_channel_id: Mapped[str | None] = mapped_column(String(255))
    slack_bot_token: Mapped[str | None] = mapped_column(String(512))
    remaining_generated_thread_titles: Mapped[int] = mapped_column(Integer, default=0)
