from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdColumn, IdMixin
from laneway.kit.time import utcnow


class ApiKey(IdMixin, Base):
    """A bearer key of one member. Only its SHA-256 is kept; the key itself is shown once."""

    __tablename__ = "api_keys"

    workspace_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so that operators can tell keys apart without the secret.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
