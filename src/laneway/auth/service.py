"""API keys: made, revoked, and turned back into the member they belong to."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from laneway.auth.caller import Caller
from laneway.auth.models import ApiKey
from laneway.kit.errors import Forbidden, NotFound, Unauthorized
from laneway.kit.time import utcnow
from laneway.members.models import Membership

KEY_PREFIX = "pl_"


def hash_key(key: str) -> str:
    # Keys are 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, membership: Membership) -> tuple[ApiKey, str]:
    """A new key for `membership`; the clear key is returned once and never stored."""
    clear = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        workspace_id=membership.workspace_id,
        membership_id=membership.id,
        key_hash=hash_key(clear),
        prefix=clear[:10],
    )
    session.add(key)
    session.flush()
    return key, clear


def revoke_key(session: Session, key_id: str) -> None:
    """Revoke a key for good. Revoking a revoked key is fine; an unknown id is NotFound."""
    found = session.execute(
        update(ApiKey).where(ApiKey.id == key_id).values(revoked_at=utcnow()).returning(ApiKey.id)
    ).first()
    if found is None:
        raise NotFound(f"No API key with id {key_id}")


_KEY_HOLDER = (  # built once: every request runs it
    select(
        ApiKey.id,
        ApiKey.key_hash,
        Membership.id,
        Membership.workspace_id,
        Membership.user_id,
        Membership.role,
    )
    .join(Membership, Membership.id == ApiKey.membership_id)
    .where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None))
)


def authenticate(session: Session, authorization: str | None) -> Caller:
    """The caller behind an `Authorization: Bearer pl_...` header, or Unauthorized."""
    if not authorization:
        raise Unauthorized("Missing Authorization header; send `Authorization: Bearer <API key>`")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("The Authorization header must be `Bearer <API key>`")
    digest = hash_key(token)
    row = session.execute(_KEY_HOLDER, {"key_hash": digest}).first()
    # The lookup is by hash, so timing says nothing about the key; compare anyway, in constant time.
    if row is None or not hmac.compare_digest(row[1], digest):
        raise Unauthorized("Invalid or revoked API key")
    key_id, _, membership_id, workspace_id, user_id, role = row
    return Caller(
        workspace_id=workspace_id, user_id=user_id, membership_id=membership_id, role=role, key_id=key_id
    )


def require_writer(caller: Caller) -> None:
    """VIEWER members may read but not change anything."""
    if caller.role == "VIEWER":
        raise Forbidden("VIEWER members may read but not write; ask an admin for the USER role")


def require_admin(caller: Caller) -> None:
    """Only ADMIN members manage the workspace's team and integrations."""
    if caller.role != "ADMIN":
        raise Forbidden("Only workspace admins may do this")
