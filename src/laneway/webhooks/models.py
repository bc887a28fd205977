from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdColumn, IdMixin, JSONValue, TimestampMixin


class Webhook(IdMixin, TimestampMixin, Base):
    """An endpoint of the workspace's that hears about changes, signed with its secret."""

    __tablename__ = "webhooks"

    workspace_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[Any]] = mapped_column(JSONValue)  # patterns such as "thread.*"
    # Kept readable: it signs each delivery (HMAC), it is not a credential to Laneway.
    secret: Mapped[str] = mapped_column(String(80))
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
