"""Companies as clients send them and as Laneway answers them (the seed's company object)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictBool, StrictInt, StrictStr, field_validator, model_validator

from laneway.companies.domains import parse_domain
from laneway.companies.models import Company
from laneway.kit.schema import NonBlank, OptionalText, RequestSchema, ResponseSchema, Timestamp, drop_blank
from laneway.projects.schemas import PortalProjectOut

MAX_AMOUNT = 2**63 - 1  # size and revenue are BIGINT columns
MAX_ITEMS = 100  # domains or externalIds on one company


def _domain(value: str) -> str:
    return parse_domain(value).name


# Each a bare lower-case domain; the service re-parses it for its IDNA form.
DomainIn = Annotated[StrictStr, AfterValidator(_domain)]
ExternalId = Annotated[NonBlank, Field(max_length=255)]
Amount = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)]
CompanyName = Annotated[NonBlank, Field(min_length=1, max_length=255)]


class CreateCompany(RequestSchema):
    name: CompanyName
    # null is taken as "none", like an empty list.
    domains: list[DomainIn] | None = Field(default=None, max_length=MAX_ITEMS)
    external_ids: list[ExternalId] | None = Field(default=None, max_length=MAX_ITEMS)
    auto_add: StrictBool = False
    size: Amount | None = None
    revenue: Amount | None = None
    tier_id: OptionalText = Field(default=None, max_length=255)
    status_id: OptionalText = Field(default=None, max_length=255)


# PATCH fields where "" means "not sent" (what automation tools send for unmapped fields);
# null in these clears the value.
_BLANK_IS_ABSENT = frozenset(("tierId", "statusId", "tierName", "statusName", "statusColor"))


class UpdateCompany(RequestSchema):
    """Every field optional; only the fields sent change (see `model_fields_set`)."""

    name: CompanyName | None = None
    domains: list[DomainIn] | None = Field(default=None, max_length=MAX_ITEMS)
    external_ids: list[ExternalId] | None = Field(default=None, max_length=MAX_ITEMS)
    auto_add: StrictBool | None = None
    size: Amount | None = None
    revenue: Amount | None = None
    tier_id: OptionalText = Field(default=None, max_length=255)
    tier_name: OptionalText = Field(default=None, max_length=255)
    status_id: OptionalText = Field(default=None, max_length=255)
    status_name: OptionalText = Field(default=None, max_length=255)
    status_color: OptionalText = Field(default=None, max_length=64)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        return drop_blank(data, _BLANK_IS_ABSENT)

    @field_validator("name", "auto_add", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # A company always has a name and an autoAdd flag; null would not say what to set.
        if value is None:
            raise ValueError("must not be null")
        return value


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


class ContactCountOut(ResponseSchema):
    contacts: int


class ListedCompanyOut(CompanyOut):
    count: ContactCountOut = Field(alias="_count")

    @classmethod
    def of(cls, company: Company, *, contacts: int) -> ListedCompanyOut:
        fields = {name: getattr(company, name) for name in CompanyOut.model_fields}
        return cls.model_validate({**fields, "count": {"contacts": contacts}})


class CompanyListOut(ResponseSchema):
    companies: list[ListedCompanyOut]
    total: int


class CompanyDetailOut(ResponseSchema):
    company: CompanyOut
    # Projects the company's feedback is linked to, with the fields the portal shows.
    past_projects: list[PortalProjectOut]


class LinearOptionsOut(ResponseSchema):
    """Linear's customer statuses and tiers; null while no Linear connection exists."""

    statuses: list[Any] | None
    tiers: list[Any] | None
