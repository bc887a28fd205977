"""The v1 company routes, under /api/v1/companies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from laneway.auth.dependencies import CurrentCaller, CurrentWriter
from laneway.companies import service
from laneway.companies.schemas import (
    CompanyDetailOut,
    CompanyListOut,
    CompanyOut,
    CreateCompany,
    LinearOptionsOut,
    ListedCompanyOut,
    UpdateCompany,
)
from laneway.idempotency.dependencies import Idempotency
from laneway.idempotency.service import once
from laneway.kit.body import json_body
from laneway.kit.openapi import LanewayRoute
from laneway.kit.pagination import Paging
from laneway.kit.schema import DeletedOut
from laneway.kit.web import Db, json_answer
from laneway.projects.schemas import PortalProjectOut

router = APIRouter(route_class=LanewayRoute)


@router.get("", response_model=CompanyListOut, summary="List companies")
async def list_companies(
    caller: CurrentCaller,
    page: Paging,
    db: Db,
    name: Annotated[
        str | None, Query(max_length=255, description="case-insensitive part of the name")
    ] = None,
    domain: Annotated[str | None, Query(max_length=255, description="one of the company's domains")] = None,
) -> Response:
    where = service.company_filter(name=name, domain=domain)

    def work(session: Session) -> str:
        found = service.list_companies(session, caller.workspace_id, where, page)
        return CompanyListOut(
            companies=[
                ListedCompanyOut.of(c, contacts=found.contact_counts.get(c.id, 0)) for c in found.companies
            ],
            total=found.total,
        ).model_dump_json()

    return json_answer(await db.run(work, write=False))


# Declared before /{company_id}, which would otherwise take "linear-options" for an id.
@router.get("/linear-options", response_model=LinearOptionsOut, summary="Linear customer statuses and tiers")
async def linear_options(caller: CurrentCaller) -> Response:
    # Laneway has no Linear connection; clients read null as "none configured".
    return json_answer(LinearOptionsOut(statuses=None, tiers=None).model_dump_json())


@router.get("/{company_id}", response_model=CompanyDetailOut, summary="Get company")
async def get_company(
    company_id: str,
    caller: CurrentCaller,
    db: Db,
    group_upvotes: Annotated[
        str | None, Query(alias="groupUpvotes", description="accepted for compatibility; no effect")
    ] = None,
) -> Response:
    def work(session: Session) -> str:
        company = service.require_company(session, caller.workspace_id, company_id)
        projects = service.past_projects(session, caller.workspace_id, company)
        return CompanyDetailOut(
            company=CompanyOut.model_validate(company),
            past_projects=[PortalProjectOut.model_validate(p) for p in projects],
        ).model_dump_json()

    return json_answer(await db.run(work, write=False))


@router.post("", response_model=CompanyOut, summary="Create company")
async def create_company(
    caller: CurrentWriter,
    body: Annotated[CreateCompany, Depends(json_body(CreateCompany))],
    idempotency: Idempotency,
    db: Db,
) -> Response:
    def create(session: Session) -> CompanyOut:
        company = service.create_company(
            session,
            caller.workspace_id,
            name=body.name,
            domains=body.domains or [],
            auto_add=body.auto_add,
            external_ids=body.external_ids or [],
            size=body.size,
            revenue=body.revenue,
            tier_id=body.tier_id,
            status_id=body.status_id,
        )
        return CompanyOut.model_validate(company)

    def work(session: Session) -> str:
        return once(session, caller.workspace_id, idempotency, lambda: create(session))

    return json_answer(await db.run(work))


@router.patch("/{company_id}", response_model=CompanyOut, summary="Update company")
async def update_company(
    company_id: str,
    caller: CurrentWriter,
    body: Annotated[UpdateCompany, Depends(json_body(UpdateCompany))],
    db: Db,
) -> Response:
    def work(session: Session) -> str:
        company = service.update_company(session, caller.workspace_id, company_id, body)
        return CompanyOut.model_validate(company).model_dump_json()

    return json_answer(await db.run(work))


@router.delete("/{company_id}", response_model=DeletedOut, summary="Delete company (soft)")
async def delete_company(company_id: str, caller: CurrentWriter, db: Db) -> Response:
    def work(session: Session) -> str:
        service.delete_company(session, caller.workspace_id, company_id)
        return DeletedOut(success=True, message="Company deleted", is_deleted=True).model_dump_json()

    return json_answer(await db.run(work))
