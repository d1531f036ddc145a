"""Publishing internal openings for tests, through the real JD workflow (four eyes: one HR admin writes, another
approves and publishes)."""
from __future__ import annotations

from core.domain import Role
from core.jd.model import JdDraft


def hr_admins(app) -> list:
    return sorted(app.store.employees_with_role(Role.HR_ADMIN.value), key=lambda e: e.id)


def publish_opening(app, title: str, requirements: list[str], *, level: str = "L4", company: str = "hanbit-pay",
                    family: str = "1000229", lang: str = "en", summary: str = "", preferred: list[str] | None = None,
                    origin: dict | None = None, author=None, approver=None):
    """An approved, published opening; returns the Opening."""
    admins = hr_admins(app)
    author = author or admins[0]
    approver = approver or next(a for a in admins if a.id != author.id)
    flow = app.jd_service.workflow
    draft = JdDraft(title=title, summary=summary or f"Join us as {title}.", requirements=list(requirements),
                    preferred=list(preferred or []), company_id=company, family=family, level=level,
                    style="concise", lang=lang)
    record = flow.create(draft, author, origin=origin).record
    assert flow.decide(record.id, record.version, "submit", author).ok
    result = flow.approve_and_publish(record.id, record.version, approver)
    assert result.ok, result.outcome
    return result.opening
