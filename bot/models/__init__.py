"""The data model shared by the bot, the worker and the admin view.

Each domain keeps its models in its own module; importing this package
registers them all (Alembic and the tests rely on that).
"""
from bot.models.base import Base, JSONType, UTCDateTime, utcnow
from bot.models.core import Conversation, InboxEvent, OutboundMessage, Resident, new_retry_key
from bot.models.events import Event, EventSeries, SignUp  # noqa: F401
from bot.models.households import Household, HouseholdMember  # noqa: F401
from bot.models.intake import IntakeAttachment, IntakeMessage, IntakeRecord, ReceiptCounter  # noqa: F401
from bot.models.mutual_aid import (  # noqa: F401
    HelpDone, HelpOffer, HelpRequest, LocalService, Supporter, SupportGroup,
)
from bot.models.staff import (  # noqa: F401
    AuditLog, FormStash, LoginThrottle, RecoveryCode, StaffAccount, StaffCentre, StaffSession,
)
from bot.models.figures import FigureCount, FigureStaleDay  # noqa: F401
from bot.models.workflow import (  # noqa: F401
    RecordEvent, RecordHolder, RecordNote, RecordRead, RecordWorkflow, ResponseTemplate, StaffMessage, SupportPlan,
)
from bot.models.notices import Notice, NoticeBatch, NoticeOpen, NoticeSetting  # noqa: F401

__all__ = [
    "Base",
    "Conversation",
    "InboxEvent",
    "JSONType",
    "OutboundMessage",
    "Resident",
    "UTCDateTime",
    "new_retry_key",
    "utcnow",
]
from bot.models.watch import WatchConsent, WatchContact, WatchPlan, WatchSlot, WatchStep  # noqa: E402, F401
