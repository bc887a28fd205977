"""The operator commands: their JSON outputs are a contract (spec/cli.md)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from sqlalchemy import select

from laneway.cli import imports as imports_cli
from laneway.cli import main
from laneway.kit.db import Database
from laneway.threads.models import Thread


@pytest.fixture
def run(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], workdir: Path
) -> Any:
    monkeypatch.setenv("LANEWAY_DATABASE_URL", database_url)

    def invoke(*args: str, ok: bool = True) -> Any:
        code = main(list(args))
        out, err = capsys.readouterr()
        if not ok:
            assert code != 0, (out, err)
            assert out == ""
            assert len(err.strip().splitlines()) == 1, err
            return err
        assert code == 0, err
        return json.loads(out)

    return invoke


def test_workspace_member_key_company_project_issue(run: Any) -> None:
    made = run(
        "workspace",
        "create",
        "--name",
        "CLI Co",
        "--admin-email",
        "Boss@CLI.example",
        "--admin-name",
        "Boss",
        "--domain",
        "cli.example",
        "--slack-channel",
        "C9",
        "--title-quota",
        "3",
        "--publish",
    )
    ws = made["workspace"]
    assert made["apiKey"].startswith("pl_")
    assert (ws["name"], ws["domain"], ws["isPublished"], ws["remainingGeneratedThreadTitles"]) == (
        "CLI Co",
        "cli.example",
        True,
        3,
    )
    assert ws["slackSettings"] == {"notificationChannelId": "C9"}
    assert (made["member"]["email"], made["member"]["role"]) == ("boss@cli.example", "ADMIN")
    assert made["member"]["membershipId"] != made["member"]["id"]

    user = run(
        "member", "add", "--workspace", ws["id"], "--email", "u@cli.example", "--role", "VIEWER", "--api-key"
    )
    assert user["member"]["role"] == "VIEWER"
    assert user["apiKey"].startswith("pl_")
    plain = run("member", "add", "--workspace", ws["id"], "--email", "p@cli.example")
    assert "apiKey" not in plain
    assert plain["member"]["role"] == "USER"

    key = run("key", "create", "--workspace", ws["id"], "--email", "boss@cli.example")
    assert key["apiKey"].startswith("pl_")
    assert key["apiKey"] != made["apiKey"]
    assert run("key", "revoke", key["keyId"]) == {"revoked": key["keyId"]}

    company = run(
        "company",
        "create",
        "--workspace",
        ws["id"],
        "--name",
        "Acme",
        "--domain",
        "acme.example",
        "--domain",
        "acme.test",
        "--auto-add",
    )["company"]
    assert (company["domains"], company["autoAdd"], company["workspaceId"]) == (
        ["acme.example", "acme.test"],
        True,
        ws["id"],
    )
    project = run("project", "create", "--workspace", ws["id"], "--name", "Roadmap", "--description", "Q1")[
        "project"
    ]
    issue = run("issue", "create", "--workspace", ws["id"], "--title", "Bug", "--project", project["id"])[
        "issue"
    ]
    assert issue["projectId"] == project["id"]


def test_failures_exit_non_zero_with_one_line(run: Any) -> None:
    assert "No workspace" in run("member", "add", "--workspace", "nope", "--email", "a@b.example", ok=False)
    assert "No API key" in run("key", "revoke", "nope", ok=False)
    ws = run("workspace", "create", "--name", "Fail Co", "--admin-email", "f@fail.example")["workspace"]
    assert "domains" in run(
        "company", "create", "--workspace", ws["id"], "--name", "X", "--domain", "HTTPS://X", ok=False
    )
    assert "already a member" in run(
        "member", "add", "--workspace", ws["id"], "--email", "F@fail.example", ok=False
    )
    assert "not a member" in run(
        "key", "create", "--workspace", ws["id"], "--email", "x@fail.example", ok=False
    )
    run("issue", "create", "--workspace", ws["id"], "--title", "T", "--project", "missing", ok=False)


def test_migrate_reports_success(run: Any) -> None:
    assert run("migrate")["migrated"] is True


def test_every_printed_key_can_be_listed_and_revoked(run: Any) -> None:
    made = run("workspace", "create", "--name", "Keys Co", "--admin-email", "k@keys.example")
    ws = made["workspace"]["id"]
    member = run("member", "add", "--workspace", ws, "--email", "m@keys.example", "--api-key")
    listed = run("key", "list", "--workspace", ws)["keys"]
    assert {k["keyId"] for k in listed} == {made["keyId"], member["keyId"]}
    assert {k["email"] for k in listed} == {"k@keys.example", "m@keys.example"}
    assert all(made["apiKey"] != k["prefix"] and k["revokedAt"] is None for k in listed)
    run("key", "revoke", member["keyId"])
    revoked = {k["keyId"]: k["revokedAt"] for k in run("key", "list", "--workspace", ws)["keys"]}
    assert revoked[member["keyId"]] is not None
    assert revoked[made["keyId"]] is None


def test_workspace_update_changes_only_what_is_given(run: Any) -> None:
    ws = run("workspace", "create", "--name", "Upd Co", "--admin-email", "u@upd.example",
             "--slack-channel", "C1")["workspace"]  # fmt: skip
    updated = run("workspace", "update", "--workspace", ws["id"], "--slack-token", "xoxb-1", "--publish",
                  "--title-quota", "7")["workspace"]  # fmt: skip
    assert (updated["isPublished"], updated["remainingGeneratedThreadTitles"]) == (True, 7)
    assert updated["slackSettings"] == {"notificationChannelId": "C1"}
    assert updated["name"] == "Upd Co"
    closed = run("workspace", "update", "--workspace", ws["id"], "--no-publish", "--slack-channel", "")[
        "workspace"
    ]
    assert (closed["isPublished"], closed["slackSettings"]["notificationChannelId"]) == (False, None)


def test_version_and_migrate_revision(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("laneway ")
    assert run("migrate")["revision"]


def test_thread_import_takes_json_lines_and_says_where_to_go_on_after_a_bad_one(
    run: Any, workdir: Path, database: Database
) -> None:
    made = run("workspace", "create", "--name", "Importer", "--admin-email", "boss@import.example")
    workspace = made["workspace"]["id"]
    project = run("project", "create", "--workspace", workspace, "--name", "Old roadmap")["project"]["id"]
    lines = [
        json.dumps({"text": f"feedback {n}", "painLevel": "LOW", "contactEmail": f"c{n % 2}@old.example",
                    "createdAt": f"2024-0{n}-01T10:00:00Z", "projectId": project, "notify": {"email": True}})
        for n in range(1, 6)
    ]  # fmt: skip
    broken = [*lines[:3], '{"text": "no pain level", "contactEmail": "c@old.example"}', *lines[3:]]
    (workdir / "broken.jsonl").write_text("\n".join(broken) + "\n", encoding="utf-8")
    err = run("thread", "import", "--workspace", workspace, "--batch", "2", "broken.jsonl", ok=False)
    assert "line 4: painLevel" in err
    assert "This run imported 2 threads, none from line 3 on" in err
    assert "--skip 2" in err

    broken[3] = lines[0].replace("feedback 1", "feedback 1b")
    (workdir / "fixed.jsonl").write_text("\n\n".join(broken) + "\n", encoding="utf-8")  # blank lines are fine
    out = run("thread", "import", "--workspace", workspace, "--batch", "2", "--skip", "4", "fixed.jsonl")
    assert out["imported"] == 4
    assert out["contactsCreated"] == 0, "both addresses came with the first two lines"

    with database.unit_of_work(write=False) as session:
        texts = sorted(session.scalars(select(Thread.text).where(Thread.workspace_id == workspace)))
    assert texts == ["feedback 1", "feedback 1b", "feedback 2", "feedback 3", "feedback 4", "feedback 5"]


def _workspace(run: Any, name: str, admin_email: str) -> str:
    return str(run("workspace", "create", "--name", name, "--admin-email", admin_email)["workspace"]["id"])


_prepare = imports_cli._prepare


def _die_on_line_five(batch: list[tuple[int, bytes]]) -> Any:
    if batch[0][0] == 5:
        os._exit(9)  # in the forked preparing process, as the OOM killer would end it
    return _prepare(batch)


def test_thread_import_says_where_to_go_on_when_its_preparing_process_dies(
    run: Any, workdir: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _workspace(run, "Killed", "boss@killed.example")
    lines = [json.dumps({"text": f"feedback {n}", "painLevel": "LOW", "contactEmail": "c@killed.example"})
             for n in range(1, 8)]  # fmt: skip
    (workdir / "seven.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(imports_cli, "_prepare", _die_on_line_five)
    err = run("thread", "import", "--workspace", workspace, "--batch", "2", "seven.jsonl", ok=False)
    # Batches 1-2 and 3-4 may or may not have come back before the child died preparing 5-6.
    stopped = re.search(
        r"preparing the lines from (\d+) on stopped unexpectedly .*This run imported (\d+) thread", err
    )
    assert stopped, err
    line, imported = int(stopped[1]), int(stopped[2])
    assert line in (1, 3, 5)
    assert imported == line - 1
    assert f"go on with --skip {line - 1}" in err
    assert _texts(database, workspace) == [f"feedback {n}" for n in range(1, line)]

    monkeypatch.setattr(imports_cli, "_prepare", _prepare)
    out = run(
        "thread", "import", "--workspace", workspace, "--batch", "2", "--skip", str(line - 1), "seven.jsonl"
    )
    assert out["imported"] == 8 - line
    assert _texts(database, workspace) == [f"feedback {n}" for n in range(1, 8)]


def _texts(database: Database, workspace: str) -> list[str]:
    with database.unit_of_work(write=False) as session:
        return sorted(session.scalars(select(Thread.text).where(Thread.workspace_id == workspace)))


@pytest.mark.parametrize("batch", ["1", "2", "3"])
def test_thread_import_reads_past_runs_of_blank_lines_longer_than_a_batch(
    run: Any, workdir: Path, database: Database, batch: str
) -> None:
    workspace = _workspace(run, "Blanks", "boss@blanks.example")
    line = '{"text": "feedback %d", "painLevel": "LOW", "contactEmail": "c@blanks.example"}'
    text = (
        "\n".join([line % 1, "", line % 2, "", "  ", "\r", "", line % 3, "", "", "", "", line % 4]) + "\n\n"
    )
    (workdir / "blanks.jsonl").write_text(text, encoding="utf-8")
    assert (
        run("thread", "import", "--workspace", workspace, "--batch", batch, "blanks.jsonl")["imported"] == 4
    )
    assert _texts(database, workspace) == [f"feedback {n}" for n in range(1, 5)]


def test_thread_import_names_the_bad_line_by_its_own_position(run: Any, workdir: Path) -> None:
    workspace = _workspace(run, "Bad JSON", "boss@badjson.example")
    good = '{"text": "fine", "painLevel": "LOW", "contactEmail": "c@badjson.example"}'
    (workdir / "bad.jsonl").write_text(
        good + "\n" + '{"text": "x" "painLevel": "LOW"}' + "\r\n", encoding="utf-8"
    )
    err = run("thread", "import", "--workspace", workspace, "bad.jsonl", ok=False)
    assert "line 2: The request body is not valid JSON: Expecting ',' delimiter: line 1 column 14" in err
    assert "This run imported 0 threads, none from line 1 on: fix the line and go on with --skip 0" in err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_thread_import_interrupted_says_where_to_go_on_and_leaves_no_process_behind(
    run: Any, workdir: Path, database: Database, database_url: str, signum: int
) -> None:
    workspace = _workspace(run, "Ctrl-C", "boss@ctrlc.example")
    line = '{"text": "feedback %d", "painLevel": "LOW", "contactEmail": "c%d@ctrlc.example"}\n'
    (workdir / "many.jsonl").write_text(
        "".join(line % (n, n % 500) for n in range(200_000)), encoding="utf-8"
    )
    laneway = Path(sys.executable).with_name("laneway")
    importer = subprocess.Popen(
        [str(laneway), "thread", "import", "--workspace", workspace, "--batch", "500", "many.jsonl"],
        cwd=workdir, env={**os.environ, "LANEWAY_DATABASE_URL": database_url}, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while _texts(database, workspace) == [] and importer.poll() is None:
        assert time.monotonic() < deadline, "the import wrote nothing in 60 s"
        time.sleep(0.05)
    os.killpg(importer.pid, signum)  # SIGINT as Ctrl-C in a terminal sends it: to the whole group
    out, err = importer.communicate(timeout=60)  # returns only once the child has let go of the pipes
    assert importer.returncode == 128 + signum, err
    assert out == ""
    stopped = re.fullmatch(
        r"laneway: interrupted\. This run imported (\d+) threads?, none from line (\d+) on: "
        r"go on with --skip (\d+)\n",
        err,
    )
    assert stopped, err
    imported, line, skip = map(int, stopped.groups())
    assert imported == skip == line - 1
    assert len(_texts(database, workspace)) == imported


def test_thread_import_takes_a_byte_order_mark_and_refuses_a_line_over_the_body_limit(
    run: Any, workdir: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _workspace(run, "Limits", "boss@limits.example")
    line = '{"text": "%s", "painLevel": "LOW", "contactEmail": "c@limits.example"}'
    (workdir / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + (line % "first").encode() + b"\r\n")
    assert run("thread", "import", "--workspace", workspace, "bom.jsonl")["imported"] == 1
    monkeypatch.setenv("LANEWAY_MAX_BODY_BYTES", "200")
    (workdir / "long.jsonl").write_text(line % "fits" + "\n" + line % ("x" * 200) + "\n", encoding="utf-8")
    err = run("thread", "import", "--workspace", workspace, "long.jsonl", ok=False)
    assert (
        "line 2: larger than 200 bytes, the most a POST /threads body may have (LANEWAY_MAX_BODY_BYTES)"
        in err
    )
    assert _texts(database, workspace) == ["first"]


def test_thread_import_refuses_an_unknown_workspace_and_bad_numbers(run: Any, workdir: Path) -> None:
    (workdir / "empty.jsonl").write_text("", encoding="utf-8")
    assert "No workspace" in run("thread", "import", "--workspace", "nope", "empty.jsonl", ok=False)
    with pytest.raises(SystemExit):
        run("thread", "import", "--workspace", "nope", "--batch", "0", "empty.jsonl")


def test_demo_prints_a_curl_that_creates_a_thread_and_the_workspace_to_manage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `./dev serve` runs: the printed curl works as printed, against the server it starts."""
    port = _free_port()
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LANEWAY_")},
        "LANEWAY_DATABASE_URL": url,
    }
    laneway = Path(sys.executable).with_name("laneway")
    server = subprocess.Popen(
        [str(laneway), "demo", "--port", str(port)], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        printed = "".join(_lines_until(server.stdout, "-d "))
        workspace = re.search(r"Demo workspace: (\S+)", printed)
        assert workspace is not None, printed
        curl = printed[printed.index("curl ") :]
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        answer = subprocess.run(
            ["bash", "-c", curl.strip() + " -w '\\n%{http_code}'"], capture_output=True, text=True, timeout=30
        )
        body, status = answer.stdout.rsplit("\n", 1)
        assert status == "200", answer
        thread = json.loads(body)
        assert thread["workspaceId"] == workspace.group(1)
        assert thread["title"] == "Export broken"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    monkeypatch.setenv("LANEWAY_DATABASE_URL", url)
    capsys.readouterr()
    assert main(["project", "create", "--workspace", workspace.group(1), "--name", "From the demo"]) == 0
    assert json.loads(capsys.readouterr().out)["project"]["id"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lines_until(stream: IO[str], marker: str) -> Iterator[str]:
    for line in stream:
        yield line
        if line.lstrip().startswith(marker):
            return


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_thread_import_names_a_line_that_is_not_utf8_or_a_batch_with_an_unknown_id(
    run: Any, workdir: Path
) -> None:
    workspace = _workspace(run, "Bytes", "b@bytes.example")
    good = b'{"text": "fine", "painLevel": "LOW", "contactEmail": "ok@bytes.example"}'
    (workdir / "bytes.jsonl").write_bytes(good + b"\n" + b'{"text": "a\xff\xfeb", "painLevel": "LOW"}\n')
    err = run("thread", "import", "--workspace", workspace, "--batch", "1", "bytes.jsonl", ok=False)
    assert "line 2: The request body is not valid UTF-8" in err
    assert "This run imported 1 thread, none from line 2 on" in err
    assert "--skip 1" in err

    unknown = b'{"text": "x", "painLevel": "LOW", "contactEmail": "u@bytes.example", "projectId": "nope"}'
    (workdir / "unknown.jsonl").write_bytes(good + b"\n" + unknown + b"\n")
    err = run("thread", "import", "--workspace", workspace, "--batch", "1", "unknown.jsonl", ok=False)
    assert "lines 2-2: No project with id nope" in err
    assert "--skip 1" in err
