"""Input a client can send that must be refused with a clear 4xx, writing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from laneway.contacts.models import Contact
from laneway.outbox.models import OutboxMessage
from laneway.threads.models import Thread
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import OMIT, post_thread, thread_body, unique_email


def assert_nothing_written(workspace: WorkspaceFixture) -> None:
    assert (workspace.count(Thread), workspace.count(Contact), workspace.count(OutboxMessage)) == (0, 0, 0)


def assert_rejected(response: Any, field: str | None, status: int = 400) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["message"], str)
    assert body["message"]
    if field is not None:
        assert any(field in issue["path"] for issue in body["issues"]), body


FIELD_CASES: list[tuple[str, dict[str, Any]]] = [
    ("text", {"text": OMIT}),
    ("text", {"text": ""}),
    ("text", {"text": " \n\t\u3000"}),
    ("text", {"text": 42}),
    ("text", {"text": "bad \x00 byte"}),
    ("painLevel", {"painLevel": OMIT}),
    ("painLevel", {"painLevel": "high"}),
    ("contactEmail", {"contactEmail": OMIT}),
    ("contactEmail", {"contactEmail": "no-at-sign"}),
    ("contactEmail", {"contactEmail": "a@b@c.example"}),
    ("contactEmail", {"contactEmail": "Name <a@b.example>"}),
    ("contactEmail", {"contactEmail": "x" * 250 + "@b.example"}),
    ("contactEmail", {"contactEmail": ["a@b.example"]}),
    ("contactEmail", {"contactEmail": "nul\x00@b.example"}),
    ("title", {"title": "t" * 513}),
    ("title", {"title": 7}),
    ("state", {"state": "DONE"}),
    ("origin", {"origin": "api"}),
    ("contactName", {"contactName": "n" * 256}),
    ("createdAt", {"createdAt": "2024-05-01T09:30:00"}),
    ("createdAt", {"createdAt": "2024-05-01"}),
    ("createdAt", {"createdAt": "2024-02-30T00:00:00Z"}),
    ("createdAt", {"createdAt": "2024-05-01T24:00:00Z"}),
    ("createdAt", {"createdAt": 1700000000}),
    ("createdAt", {"createdAt": "9999-12-31T23:59:59Z"}),
    ("createdAt", {"createdAt": "2999-01-01T00:00:00Z"}),
    ("createdAt", {"createdAt": "1969-12-31T23:59:59Z"}),
    ("updatedAt", {"createdAt": "2022-01-02T00:00:00Z", "updatedAt": "2022-01-01T00:00:00Z"}),
    ("updatedAt", {"updatedAt": "3000-01-01T00:00:00+14:00"}),
    ("updatedAt", {"updatedAt": "2020-01-01T00:00:00Z"}),
    ("createdAt", {"createdAt": "0001-01-01T00:00:00+23:59"}),
    ("createdAt", {"createdAt": "9999-12-31T23:59:59-23:59"}),
    ("updatedAt", {"updatedAt": "0001-01-01T00:00:00+01:00"}),
    ("createdAt", {"createdAt": "2020-01-01T00:00:00Z\n"}),
    ("notify", {"notify": "yes"}),
    ("notify", {"notify": {"slack": "true"}}),
    ("notify", {"notify": {"email": 1}}),
    ("assigneeId", {"assigneeId": 123}),
    ("projectId", {"projectId": {"id": "x"}}),
    ("companyId", {"companyId": True}),
]


@pytest.mark.parametrize(
    ("field", "change"), FIELD_CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(FIELD_CASES)]
)
def test_invalid_field_is_400_naming_it(
    client: TestClient, workspace: WorkspaceFixture, field: str, change: dict[str, Any]
) -> None:
    assert_rejected(post_thread(client, workspace.admin, **change), field)
    assert_nothing_written(workspace)


def raw_post(client: TestClient, workspace: WorkspaceFixture, content: bytes, **headers: str) -> Any:
    return client.post(
        "/api/v1/threads",
        content=content,
        headers={**workspace.admin.headers, "Content-Type": "application/json", **headers},
    )


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   ",
        b"null",
        b"[]",
        b'"text"',
        b"42",
        b"true",
        b"not json",
        b"{",
        b'{"text": "a",}',
        b"\xff\xfe{}",
        b'{"text": "caf\xe9"}',
        b"\xef\xbb\xbf{}",
    ],
    ids=lambda c: repr(c)[:20],
)
def test_bodies_that_are_not_a_json_object_are_400(
    client: TestClient, workspace: WorkspaceFixture, content: bytes
) -> None:
    response = raw_post(client, workspace, content)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "BAD_REQUEST"
    assert_nothing_written(workspace)


def test_lone_surrogate_escapes_are_400(client: TestClient, workspace: WorkspaceFixture) -> None:
    body = json.dumps(thread_body()).replace('"Checkout fails on the last step"', '"broken \\ud800 text"')
    assert_rejected(raw_post(client, workspace, body.encode()), "text")
    assert_nothing_written(workspace)


def test_deeply_nested_json_is_400(client: TestClient, workspace: WorkspaceFixture) -> None:
    for depth in (40, 5_000, 200_000):
        body = json.dumps(thread_body())[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
        response = raw_post(client, workspace, body.encode())
        assert response.status_code == 400, (depth, response.text[:200])
    assert_nothing_written(workspace)


def test_huge_numbers_are_400_not_500(client: TestClient, workspace: WorkspaceFixture) -> None:
    body = json.dumps(thread_body())[:-1] + ', "extra": ' + "9" * 10_000 + "}"
    response = raw_post(client, workspace, body.encode())
    assert response.status_code == 400
    assert response.json()["message"].endswith("not valid JSON: a number has more than 100 digits")
    assert_nothing_written(workspace)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(
    client: TestClient, workspace: WorkspaceFixture, constant: str
) -> None:
    body = json.dumps(thread_body())[:-1] + f', "extra": {constant}' + "}"
    response = raw_post(client, workspace, body.encode())
    assert response.status_code == 400, response.text
    assert response.json()["message"] == f"The request body is not valid JSON: {constant} is not a JSON value"
    assert_nothing_written(workspace)


@pytest.mark.parametrize("number", ["1e999", "-1E400"])
def test_numbers_beyond_a_float_are_400(client: TestClient, workspace: WorkspaceFixture, number: str) -> None:
    body = json.dumps(thread_body())[:-1] + f', "extra": {number}' + "}"
    response = raw_post(client, workspace, body.encode())
    assert response.status_code == 400, response.text
    assert (
        response.json()["message"] == f"The request body is not valid JSON: the number {number} is too large"
    )
    assert_nothing_written(workspace)


def test_body_over_the_limit_is_413(client: TestClient, workspace: WorkspaceFixture) -> None:
    big = json.dumps(thread_body(text="x" * (1_048_576 + 10))).encode()
    response = raw_post(client, workspace, big)
    assert response.status_code == 413
    assert response.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert_nothing_written(workspace)


def test_body_over_the_limit_without_content_length_is_413(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    def chunks() -> Any:
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 65_536
        yield b'", "painLevel": "LOW", "contactEmail": "' + unique_email().encode() + b'"}'

    response = client.post(
        "/api/v1/threads",
        content=chunks(),
        headers={**workspace.admin.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert_nothing_written(workspace)


def test_body_just_under_the_limit_is_accepted(client: TestClient, workspace: WorkspaceFixture) -> None:
    body = thread_body(text="")
    room = 1_048_576 - len(json.dumps(body).encode())
    body["text"] = "y" * room
    response = raw_post(client, workspace, json.dumps(body).encode())
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["text"]) == room


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong",
        "Basic abc",
        "pl_abc",
        "Bearer pl_" + "a" * 43,
        b"Bearer pl_\xc3\xa9",
        b"Bearer \xff\xfe",
    ],
)
def test_bad_keys_are_401_before_the_body_is_read(
    client: TestClient, workspace: WorkspaceFixture, header: str | bytes | None
) -> None:
    headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
    if header is not None:
        headers["Authorization"] = header
    response = client.post("/api/v1/threads", content=b"not even json", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"
    assert_nothing_written(workspace)


def test_lone_surrogate_in_a_field_name_is_400(client: TestClient, workspace: WorkspaceFixture) -> None:
    body = json.dumps(thread_body())[:-1] + ', "\\udfff": 1}'
    response = raw_post(client, workspace, body.encode())
    assert response.status_code == 400
    assert response.json()["issues"][0]["path"] == ["\\udfff"]
    assert_nothing_written(workspace)


def test_viewer_keys_may_not_create(client: TestClient, workspace: WorkspaceFixture) -> None:
    viewer = workspace.add_member(unique_email("viewer"), role="VIEWER")
    response = post_thread(client, viewer)
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert_nothing_written(workspace)


def test_oversized_headers_are_431(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = client.post(
        "/api/v1/threads", json=thread_body(), headers={**workspace.admin.headers, "X-Junk": "j" * 40_000}
    )
    assert response.status_code == 431
    assert_nothing_written(workspace)


def test_not_found_messages_do_not_echo_huge_ids(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = post_thread(client, workspace.admin, projectId="p" * 100_000)
    assert response.status_code == 404
    assert len(response.text) < 2_000
