"""GET /metrics: the outbox in Prometheus text format."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from laneway.kit.time import utcnow
from laneway.kit.web import Db
from laneway.outbox import repository
from laneway.outbox.worker import DELIVERIES

router = APIRouter()


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_metrics(session: Session) -> str:
    now = utcnow()
    lines = [
        "# HELP laneway_outbox_rows Outbox rows by kind and status.",
        "# TYPE laneway_outbox_rows gauge",
    ]
    lines += [
        f'laneway_outbox_rows{{kind="{_label(kind)}",status="{_label(status)}"}} {n}'
        for kind, status, n in sorted(repository.counts(session))
    ]
    oldest = repository.oldest_due(session, now)
    age = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
    lines += [
        "# HELP laneway_outbox_oldest_due_age_seconds How long the oldest due row has waited.",
        "# TYPE laneway_outbox_oldest_due_age_seconds gauge",
        f"laneway_outbox_oldest_due_age_seconds {age}",
        "# HELP laneway_outbox_deliveries_total Delivery attempts by this process, by kind and outcome.",
        "# TYPE laneway_outbox_deliveries_total counter",
    ]
    lines += [
        f'laneway_outbox_deliveries_total{{kind="{_label(kind)}",outcome="{outcome}"}} {n}'
        for (kind, outcome), n in sorted(DELIVERIES.items())
    ]
    return "\n".join(lines) + "\n"


@router.get("/metrics", include_in_schema=False)
async def metrics(db: Db) -> Response:
    body = await db.run(render_metrics, write=False)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")
