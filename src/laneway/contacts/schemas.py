from __future__ import annotations

from laneway.kit.schema import ResponseSchema, Timestamp


class ContactOut(ResponseSchema):
    id: str
    email: str
    name: str | None
    image_url: str | None
    company_id: str | None
    workspace_id: str
    created_at: Timestamp
    updated_at: Timestamp
    is_deleted: bool
    version: int
    intercom_id: str | None
    hubspot_id: str | None
    productboard_id: str | None
    zendesk_id: str | None
