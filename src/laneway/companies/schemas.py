from __future__ import annotations

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
