from __future__ import annotations

from laneway.companies.models import Company
from laneway.kit.schema import ResponseSchema, Timestamp


class CompanyOut(ResponseSchema):
    id: str
    name: str
    workspace_id: str
    created_at: Timestamp
    updated_at: Timestamp
    is_deleted: bool
    version: int
    linear_customer_id: str | None
    size: int | None
    revenue: int | None
    status_id: str | None
    status_name: str | None
    status_color: str | None
    tier_id: str | None
    tier_name: str | None
    logo_url: str | None
    domains: list[str]
    auto_add: bool
    intercom_id: str | None
    hubspot_id: str | None
    productboard_id: str | None
    external_ids: list[str]
    slug_id: str | None

    @classmethod
    def of(cls, company: Company) -> CompanyOut:
        return cls(
            id=company.id,
            name=company.name,
            workspace_id=company.workspace_id,
            created_at=company.created_at,
            updated_at=company.updated_at,
            is_deleted=company.is_deleted,
            version=company.version,
            linear_customer_id=company.linear_customer_id,
            size=company.size,
            revenue=company.revenue,
            status_id=company.status_id,
            status_name=company.status_name,
            status_color=company.status_color,
            tier_id=company.tier_id,
            tier_name=company.tier_name,
            logo_url=company.logo_url,
            domains=list(company.domains),
            auto_add=company.auto_add,
            intercom_id=company.intercom_id,
            hubspot_id=company.hubspot_id,
            productboard_id=company.productboard_id,
            external_ids=list(company.external_ids),
            slug_id=company.slug_id,
        )
