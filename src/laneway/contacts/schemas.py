"""Contacts as clients send them and as Laneway answers them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictStr, field_validator, model_validator
from pydantic.alias_generators import to_camel

from laneway.companies.models import Company
from laneway.companies.schemas import CompanyOut
from laneway.contacts.emails import Email, parse_email
from laneway.contacts.models import Contact
from laneway.kit.errors import Issue, validation_error
from laneway.kit.schema import OptionalText, RequestSchema, ResponseSchema, Timestamp, drop_blank

COMPANY_FIELDS = ("company_id", "company_name", "company_external_id")


def _email(value: str) -> str:
    return parse_email(value).address


# Validated and normalised (trimmed, lower case); `.email` re-parses it for the key.
EmailIn = Annotated[StrictStr, AfterValidator(_email)]


def _one_company_field(sent: list[str]) -> None:
    if len(sent) > 1:
        message = "send at most one of companyId, companyName and companyExternalId"
        # Not a ValueError: pydantic lets it through, so the issues can name the fields.
        raise validation_error([Issue([to_camel(field)], message) for field in sent])


class CreateContact(RequestSchema):
    email: EmailIn
    name: OptionalText = Field(default=None, max_length=255)
    company_id: OptionalText = None
    company_name: OptionalText = Field(default=None, max_length=255)
    company_external_id: OptionalText = None

    @model_validator(mode="after")
    def _at_most_one_company(self) -> CreateContact:
        _one_company_field([f for f in COMPANY_FIELDS if getattr(self, f) is not None])
        return self

    @property
    def parsed_email(self) -> Email:
        return parse_email(self.email)


# PATCH fields where "" means "not sent" (automation tools send it for unmapped fields);
# null in these clears the value (a null company field unlinks the company).
_BLANK_IS_ABSENT = frozenset(("name", "companyId", "companyName", "companyExternalId"))


class UpdateContact(RequestSchema):
    """Every field optional; only the fields sent change (see `model_fields_set`)."""

    name: OptionalText = Field(default=None, max_length=255)
    email: EmailIn | None = None
    company_id: OptionalText = None
    company_name: OptionalText = Field(default=None, max_length=255)
    company_external_id: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        return drop_blank(data, _BLANK_IS_ABSENT)

    @field_validator("email", mode="before")
    @classmethod
    def _email_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null: a contact always has an address")
        return value

    @model_validator(mode="after")
    def _at_most_one_company(self) -> UpdateContact:
        _one_company_field([f for f in COMPANY_FIELDS if f in self.model_fields_set])
        return self

    @property
    def company_sent(self) -> bool:
        return any(f in self.model_fields_set for f in COMPANY_FIELDS)


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


class ContactObjectOut(ContactOut):
    """The contact as the contact routes show it: with its company."""

    company: CompanyOut | None

    @classmethod
    def of(cls, contact: Contact, company: Company | None) -> ContactObjectOut:
        fields = {name: getattr(contact, name) for name in ContactOut.model_fields}
        return cls.model_validate(
            {**fields, "company": CompanyOut.model_validate(company) if company is not None else None}
        )


class ContactListOut(ResponseSchema):
    contacts: list[ContactObjectOut]
    count: int
    total: int
    has_more: bool
    next_page: dict[str, Any] | None
