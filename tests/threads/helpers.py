from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Member

OMIT: Any = object()


def unique_email(tag: str = "customer", domain: str = "mail.example") -> str:
    return f"{tag}.{uuid.uuid4().hex[:10]}@{domain}"


def thread_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": "Checkout fails on the last step",
        "painLevel": "MEDIUM",
        "contactEmail": unique_email(),
        "title": "Checkout fails",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not OMIT}


def post_thread(client: TestClient, member: Member, path: str = "/api/v1/threads", **fields: Any) -> Any:
    return client.post(path, json=thread_body(**fields), headers=member.headers)


def create(client: TestClient, member: Member, **fields: Any) -> dict[str, Any]:
    response = post_thread(client, member, **fields)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
