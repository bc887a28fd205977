from __future__ import annotations

from pydantic import Field

from laneway.kit.schema import ResponseSchema, Timestamp
from laneway.members.models import Membership, User


class MemberOut(ResponseSchema):
    """A workspace member as threads show them (reporter, assignee): `id` is the user id."""

    id: str
    name: str | None
    email: str
    role: str
    image_url: str | None
    selected_team_ids: list[str] = Field(default_factory=list)
    created_at: Timestamp
    updated_at: Timestamp

    @classmethod
    def of(cls, user: User, membership: Membership) -> MemberOut:
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            role=membership.role,
            image_url=user.image_url,
            selected_team_ids=[],
            created_at=user.created_at,
            updated_at=user.updated_at,
        )
