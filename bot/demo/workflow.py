"""Demo data for the staff workflow: response templates (定型文) per category. Idempotent."""
from __future__ import annotations

from bot.services.response_templates import load_demo_templates


def load(app) -> list[str]:  # noqa: ANN001
    """Create a few response templates unless the city already has some."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        created = load_demo_templates(session, tsunagu.profile)
    return [f"workflow: {created} response templates" if created else "workflow: response templates already present"]
