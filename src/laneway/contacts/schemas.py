from __future__ import annotations

from laneway.contacts.models import Contact
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

    @classmethod
    def of(cls, contact: Contact) -> ContactOut:
        return cls(
            id=contact.id,
            email=contact.email,
            name=contact.name,
            image_url=contact.image_url,
            company_id=contact.company_id,
            workspace_id=contact.workspace_id,
            created_at=contact.created_at,
            updated_at=contact.updated_at,
            is_deleted=contact.is_deleted,
            version=contact.version,
            intercom_id=contact.intercom_id,
            hubspot_id=contact.hubspot_id,
            productboard_id=contact.productboard_id,
            zendesk_id=contact.zendesk_id,
        )
