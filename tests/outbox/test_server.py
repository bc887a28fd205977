"""The worker inside `laneway serve`: woken by the commit that queues work, not by its poll."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from laneway.app import create_app
from laneway.config import Settings
from tests.outbox.conftest import PUBLIC_URL, SlackWorkspace
from tests.outbox.neighbours import Receiver, SmtpServer, wait_for
from tests.threads.helpers import create, unique_email


def test_the_worker_in_the_server_delivers_right_after_the_commit(
    database_url: str, slack_workspace: SlackWorkspace, receiver: Receiver, smtp: SmtpServer
) -> None:
    settings = Settings(
        database_url=database_url,
        slack_api_url=receiver.url + "/api",
        smtp_url=smtp.url,
        public_url=PUBLIC_URL,
        run_worker=True,
        run_clock_jobs=False,
        outbox_poll_seconds=60,  # only the commit's wake-up can explain a prompt delivery
    )
    email = unique_email("served")
    with TestClient(create_app(settings)) as server:
        time.sleep(0.2)  # the worker's first look (at whatever was due already) is over
        create(server, slack_workspace.ws.admin, contactEmail=email, notify={"slack": True, "email": True})
        wait_for(
            lambda: len(receiver.slack_posts(slack_workspace.channel)) == 1 and len(smtp.to(email)) == 1,
            5,  # far less than the 60 s poll
            "the Slack post and the mail",
        )
