from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdColumn, IdMixin, TimestampMixin


class Contact(IdMixin, TimestampMixin, Base):
    """A customer who sends feedback, unique by normalised email within a workspace."""

    __tablename__ = "contacts"
    # The database, not the code, keeps one contact per address: concurrent creates upsert.
    __table_args__ = (
        UniqueConstraint("workspace_id", "email_key"),
        Index("ix_contacts_workspace_domain", "workspace_id", "email_domain"),
        Index("ix_contacts_workspace_created", "workspace_id", "created_at", "id"),
    )

    workspace_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    # Lower case, domain in IDNA (ASCII) form: what makes two spellings one address.
    email_key: Mapped[str] = mapped_column(String(320))
    email_domain: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    image_url: Mapped[str | None] = mapped_column(String(2048))
    company_id: Mapped[str | None] = mapped_column(
        IdColumn, ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    intercom_id: Mapped[str | None] = mapped_column(String(255))
    hubspot_id: Mapped[str | None] = mapped_column(String(255))
    productboard_id: Mapped[str | None] = mapped_column(String(255))
    zendesk_id: Mapped[str | None] = mapped_column(String(255))
