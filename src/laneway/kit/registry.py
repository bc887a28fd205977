"""Imports every model so that Base.metadata knows all tables (for migrations and tests)."""

from laneway.auth.models import ApiKey
from laneway.companies.models import Company, CompanyDomain
from laneway.contacts.models import Contact
from laneway.idempotency.models import IdempotencyKey
from laneway.issues.models import Issue
from laneway.kit.models import Base
from laneway.members.models import Membership, User
from laneway.outbox.models import OutboxMessage
from laneway.projects.models import Project
from laneway.tags.models import Tag
from laneway.threads.models import Thread, ThreadIssue, ThreadMessage, ThreadProject, ThreadTag
from laneway.webhooks.models import Webhook
from laneway.workspaces.models import Workspace

metadata = Base.metadata

__all__ = [
    "ApiKey", "Company", "CompanyDomain", "Contact", "IdempotencyKey", "Issue", "Membership",
    "OutboxMessage", "Project", "Tag", "Thread", "ThreadIssue", "ThreadMessage", "ThreadProject",
    "ThreadTag", "User", "Webhook", "Workspace", "metadata",
]  # fmt: skip
