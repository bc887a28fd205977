from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdColumn, IdMixin, JSONValue, TimestampMixin


class Company(IdMixin, TimestampMixin, Base):
    __tablename__ = "companies"

    workspace_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    # Also kept row by row in company_domains, which is what matching by domain reads.
    domains: Mapped[list[Any]] = mapped_column(JSONValue, default=list)
    auto_add: Mapped[bool] = mapped_column(Boolean, default=False)
    external_ids: Mapped[list[Any]] = mapped_column(JSONValue, default=list)
    size: Mapped[int | None] = mapped_column(BigInteger)
    revenue: Mapped[int | None] = mapped_column(BigInteger)
    status_id: Mapped[str | None] = mapped_column(String(255))
    status_name: Mapped[str | None] = mapped_column(String(255))
    status_color: Mapped[str | None] = mapped_column(String(64))
    tier_id: Mapped[str | None] = mapped_column(String(255))
    tier_name: Mapped[str | None] = mapped_column(String(255))
    logo_url: Mapped[str | None] = mapped_column(String(2048))
    linear_customer_id: Mapped[str | None] = mapped_column(String(255))
    intercom_id: Mapped[str | None] = mapped_column(String(255))
    hubspot_id: Mapped[str | None] = mapped_column(String(255))
    productboard_id: Mapped[str | None] = mapped_column(String(255))
    slug_id: Mapped[str | None] = mapped_column(String(255))
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)


class CompanyDomain(Base):
    """One row per (company, domain): the index that email-domain matching uses."""

    __tablename__ = "company_domains"
    __table_args__ = (Index("ix_company_domains_workspace_domain", "workspace_id", "domain"),)

    company_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[str] = mapped_column(String(255), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"))
