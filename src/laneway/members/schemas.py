"""Members as threads show them, and the /users routes' bodies and answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self, get_args

from pydantic import AfterValidator, BeforeValidator, Field, StrictStr, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from laneway.contacts.emails import parse_email
from laneway.kit.schema import OptionalText, RequestSchema, ResponseSchema, Timestamp
from laneway.members.models import ROLES, Membership, User

Role = Literal["ADMIN", "USER", "VIEWER"]
assert get_args(Role) == ROLES, "Role and members.models.ROLES must list the same roles"


def _email(value: str) -> str:
    return parse_email(value).address


def _blank_to_none(value: Any) -> Any:
    # Automation tools (Zapier and the like) send "" for fields the user left unmapped.
    if isinstance(value, str) and not value.strip():
        return None
    return value


# Validated and normalised (trimmed, lower case), so that a bad address is a 400 naming `email`.
EmailIn = Annotated[StrictStr, AfterValidator(_email)]
OptionalRole = Annotated[Role | None, BeforeValidator(_blank_to_none)]


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


class MembershipUserOut(ResponseSchema):
    id: str
    email: str
    name: str | None
    image_url: str | None


class MembershipOut(ResponseSchema):
    """One membership as GET /users lists it: `id` is the membership id, `userId` the user's."""

    id: str
    created_at: Timestamp
    updated_at: Timestamp
    role: str
    user_id: str
    workspace_id: str
    user: MembershipUserOut

    @classmethod
    def of(cls, membership: Membership, user: User) -> MembershipOut:
        return cls(
            id=membership.id,
            created_at=membership.created_at,
            updated_at=membership.updated_at,
            role=membership.role,
            user_id=membership.user_id,
            workspace_id=membership.workspace_id,
            user=MembershipUserOut.model_validate(user),
        )


class Invite(RequestSchema):
    """POST /users/invite: `name` names a new user only; `role` defaults to USER."""

    email: EmailIn
    name: OptionalText = Field(default=None, max_length=255)
    role: OptionalRole = None


class InvitedOut(ResponseSchema):
    """The invite answers `{}`, as the hosted API did."""


class ChangeRole(RequestSchema):
    """PATCH /users/role: the member is named by exactly one of `membershipId` and `userId`."""

    membership_id: OptionalText = None
    user_id: OptionalText = None
    role: Role

    @model_validator(mode="after")
    def _exactly_one_id(self) -> Self:
        if (self.membership_id is None) == (self.user_id is None):
            # A ValidationError (not a ValueError) so that the issues name both fields.
            problem = PydanticCustomError("exactly_one", "send exactly one of membershipId and userId")
            raise ValidationError.from_exception_data(
                "ChangeRole",
                [
                    InitErrorDetails(type=problem, loc=(name,), input=None)
                    for name in ("membershipId", "userId")
                ],
            )
        return self
