"""お知らせ: who a notice reaches, what it costs, how it is queued in multicast batches, and its results.

Shared by the resident's settings (bot/flows/notices.py), the staff pages
(admin/notices.py) and the worker (bot/messaging/notice_delivery.py).

Rules:
- nothing goes to a resident without a setting that asks for the notice's
  topic (and area), except notices marked essential;
- a resident receives at most ``[notices] weekly_cap`` non-essential notices in
  seven days;
- a notice to more than ``[notices] approval_over`` residents waits for a
  second staff member's approval;
- each batch holds at most 500 residents of one language and its retry key is
  stored before anything is sent.
"""
from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.flows.postbacks import NoticesTap, encode
from bot.i18n import S_, SUPPORTED_LOCALES, Translator
from bot.messaging.build import postback, text
from bot.messaging.limits import validate_messages
from bot.models import Resident, utcnow
from bot.models.events import Event, SignUp
from bot.models.notices import Notice, NoticeBatch, NoticeOpen, NoticeSetting
from bot.municipality import Municipality

BATCH_SIZE = 500  # LINE's multicast takes at most 500 recipients
FALLBACK = ("ja_Hira", "ja")  # a missing language: やさしい日本語, then Japanese
WEEK = timedelta(days=7)
MAX_TITLE = 80
MAX_TEXT = 1000


class NoticeError(Exception):
    """A notice cannot be saved, approved or sent as asked; the message says why (staff words, S_)."""


@dataclass(frozen=True)
class Recipient:
    resident_id: int
    line_user_id: str
    locale: str


@dataclass(frozen=True)
class Preview:
    """What sending costs, shown before staff send."""

    reach: int  # residents who will receive it
    capped: int  # residents left out by the weekly cap
    by_language: dict[str, int]  # the language each receives -> residents
    fallbacks: dict[str, str]  # a language without its own text -> the language it receives instead
    needs_approval: bool

    @property
    def cost(self) -> int:
        """Messages counted against the month's quota: one per recipient per multicast."""
        return self.reach


def text_language(notice_texts: dict[str, Any], locale: str) -> str:
    """The language a resident of ``locale`` reads the notice in: their own, else やさしい日本語, else Japanese."""
    for candidate in (locale, *FALLBACK):
        if (notice_texts.get(candidate) or "").strip():
            return candidate
    return "ja"


def monthly_next(after: datetime, first: datetime, tz: ZoneInfo) -> datetime:
    """The next date after ``after`` on the same weekday of the same week of the month as ``first`` (第1月曜日)."""
    local = first.astimezone(tz)
    week, weekday = (local.day - 1) // 7, local.weekday()
    year, month = after.astimezone(tz).year, after.astimezone(tz).month
    for _ in range(14):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, d).weekday() == weekday]
        if week < len(days):
            candidate = local.replace(year=year, month=month, day=days[week])
            if candidate > after:
                return candidate.astimezone(first.tzinfo)
    raise NoticeError(S_("繰り返しの日付が見つかりません。"))


class NoticeSettings:
    """A resident's お知らせ設定: topics and areas, changed one tap at a time."""

    def __init__(self, session: Session, profile: Municipality) -> None:
        self.session = session
        self.profile = profile

    def of(self, resident: Resident) -> NoticeSetting | None:
        return self.session.get(NoticeSetting, resident.id)

    def _own(self, resident: Resident) -> NoticeSetting:
        setting = self.of(resident)
        if setting is None:
            setting = NoticeSetting(resident_id=resident.id, topics=[], areas=[], stopped=False)
            self.session.add(setting)
        return setting

    def described(self, resident: Resident) -> dict[str, Any] | None:
        """A resident's settings in the staff's words (本人ページ): topic and area names, and whether stopped."""
        setting = self.of(resident)
        if setting is None:
            return None
        topics = {t.code: t.name for t in self.profile.notices.topics}
        areas = {a.code: a.name for a in self.profile.areas}
        return {"topics": [topics[c] for c in setting.topics or [] if c in topics],
                "areas": [areas[c] for c in setting.areas or [] if c in areas], "stopped": setting.stopped}

    def toggle_topic(self, resident: Resident, code: str) -> bool:
        """Choose a topic or take it off; False for a code the profile does not have."""
        if code not in {topic.code for topic in self.profile.notices.topics}:
            return False
        setting = self._own(resident)
        topics = list(setting.topics or [])
        setting.topics = [t for t in topics if t != code] if code in topics else [*topics, code]
        setting.stopped = False
        return True

    def toggle_area(self, resident: Resident, code: str) -> bool:
        """Choose an area (their own, or a parent's elsewhere in the city) or take it off."""
        if code not in {area.code for area in self.profile.areas}:
            return False
        setting = self._own(resident)
        areas = list(setting.areas or [])
        setting.areas = [a for a in areas if a != code] if code in areas else [*areas, code]
        return True

    def stop(self, resident: Resident) -> None:
        """Stop every notice but the essential ones; the choices are kept for a later restart."""
        self._own(resident).stopped = True

    def resume(self, resident: Resident) -> None:
        self._own(resident).stopped = False


class NoticeService:
    """Audience, cost, approval and queuing of notices."""

    def __init__(self, session: Session, profile: Municipality) -> None:
        self.session = session
        self.profile = profile
        self.tz = ZoneInfo(profile.timezone)

    # -- composing -----------------------------------------------------------------

    def save(self, notice: Notice, *, title: str, texts: dict[str, str], topic: str, areas: list[str],
             languages: list[str], essential: bool, event_id: int | None, image_url: str | None,
             repeat: str, send_at: datetime | None) -> Notice:
        """Check and store what staff composed; raises NoticeError with what to fix."""
        title = (title or "").strip()
        texts = {locale: (body or "").strip() for locale, body in texts.items()
                 if locale in SUPPORTED_LOCALES and (body or "").strip()}
        if not title or len(title) > MAX_TITLE:
            raise NoticeError(S_("件名を80文字以内で入力してください。"))
        if "ja" not in texts:
            raise NoticeError(S_("日本語の本文を入力してください。"))
        if any(len(body) > MAX_TEXT for body in texts.values()):
            raise NoticeError(S_("本文は1000文字以内にしてください。"))
        if topic not in {t.code for t in self.profile.notices.topics}:
            raise NoticeError(S_("お知らせの種類を選んでください。"))
        known_areas = {a.code for a in self.profile.areas}
        if any(code not in known_areas for code in areas):
            raise NoticeError(S_("地区の選択が正しくありません。"))
        if any(code not in SUPPORTED_LOCALES for code in languages):
            raise NoticeError(S_("言語の選択が正しくありません。"))
        if image_url and not (image_url.startswith("https://") and len(image_url) <= 1000 and " " not in image_url):
            raise NoticeError(S_("画像のURLは https:// で始まるものにしてください。"))
        if event_id is not None and self.session.get(Event, event_id) is None:
            raise NoticeError(S_("選んだイベントが見つかりません。"))
        if repeat not in (Notice.ONCE, Notice.MONTHLY):
            raise NoticeError(S_("繰り返しの選択が正しくありません。"))
        if repeat == Notice.MONTHLY and send_at is None:
            raise NoticeError(S_("繰り返すときは、最初に送る日時を入力してください。"))
        notice.title, notice.texts, notice.topic = title, texts, topic
        notice.areas, notice.languages, notice.essential = sorted(set(areas)), sorted(set(languages)), essential
        notice.event_id, notice.image_url = event_id, image_url or None
        notice.repeat, notice.send_at = repeat, send_at
        if notice.id is None:
            self.session.add(notice)
        self.session.flush()
        return notice

    # -- who it reaches ------------------------------------------------------------------

    def audience(self, notice: Notice, now: datetime | None = None) -> tuple[list[Recipient], int]:
        """The residents the notice goes to, and how many the weekly cap leaves out."""
        rows = self.session.execute(
            select(Resident.id, Resident.line_user_id, Resident.locale, Resident.area_code,
                   NoticeSetting.topics, NoticeSetting.areas, NoticeSetting.stopped)
            .outerjoin(NoticeSetting, NoticeSetting.resident_id == Resident.id)
            .where(Resident.is_following.is_(True), Resident.blocked_at.is_(None))
            .order_by(Resident.id)
        ).all()
        wanted_areas, wanted_languages = set(notice.areas or []), set(notice.languages or [])
        chosen = []
        for resident_id, user_id, locale, own_area, topics, areas, stopped in rows:
            if wanted_languages and locale not in wanted_languages:
                continue
            places = set(areas or []) or ({own_area} if own_area else set())
            if wanted_areas and not (places & wanted_areas):
                continue
            if not notice.essential and (topics is None or stopped or notice.topic not in topics):
                continue
            chosen.append(Recipient(resident_id, user_id, locale))
        if notice.essential:
            return chosen, 0
        received = self._received_this_week(now or utcnow(), notice.id)
        cap = self.profile.notices.weekly_cap
        kept = [r for r in chosen if received[r.resident_id] < cap]
        return kept, len(chosen) - len(kept)

    def _received_this_week(self, now: datetime, notice_id: int | None) -> Counter:
        """How many non-essential notices each resident was sent in the last seven days."""
        counts: Counter = Counter()
        batches = self.session.scalars(
            select(NoticeBatch.resident_ids)
            .join(Notice, Notice.id == NoticeBatch.notice_id)
            .where(Notice.essential.is_(False), NoticeBatch.created_at > now - WEEK,
                   NoticeBatch.status != NoticeBatch.FAILED)
        )
        for resident_ids in batches:
            counts.update(resident_ids)
        return counts

    def preview(self, notice: Notice) -> Preview:
        recipients, capped = self.audience(notice)
        by_language: Counter = Counter(text_language(notice.texts, r.locale) for r in recipients)
        fallbacks = {locale: text_language(notice.texts, locale) for locale in SUPPORTED_LOCALES
                     if text_language(notice.texts, locale) != locale}
        return Preview(len(recipients), capped, dict(by_language), fallbacks,
                       len(recipients) > self.profile.notices.approval_over)

    # -- approval and sending -----------------------------------------------------------

    def request_send(self, notice: Notice, staff_id: int, now: datetime) -> str:
        """Send now or at its time; above the profile's size it waits for a second staff member. Returns the status."""
        if notice.status not in (Notice.DRAFT,):
            raise NoticeError(S_("このお知らせはすでに送信の手続き中です。"))
        if notice.send_at is not None and notice.send_at <= now and notice.repeat == Notice.MONTHLY:
            raise NoticeError(S_("繰り返しの最初の日時は、これからの日時にしてください。"))
        notice.created_by = notice.created_by or staff_id
        if self.preview(notice).needs_approval:
            notice.status = Notice.AWAITING_APPROVAL
        else:
            self._schedule(notice, now)
        return notice.status

    def approve(self, notice: Notice, staff_id: int, now: datetime) -> None:
        """A second staff member approves a large notice; the composer cannot approve their own."""
        if notice.status != Notice.AWAITING_APPROVAL:
            raise NoticeError(S_("このお知らせは承認待ちではありません。"))
        if notice.created_by == staff_id:
            raise NoticeError(S_("作成した職員とは別の職員が承認してください。"))
        notice.approved_by = staff_id
        self._schedule(notice, now)

    def cancel(self, notice: Notice) -> None:
        if notice.status not in (Notice.DRAFT, Notice.AWAITING_APPROVAL, Notice.SCHEDULED):
            raise NoticeError(S_("送信を始めたお知らせは取り消せません。"))
        notice.status = Notice.CANCELLED

    def _schedule(self, notice: Notice, now: datetime) -> None:
        if notice.send_at is not None and notice.send_at > now:
            notice.status = Notice.SCHEDULED
        else:
            self.queue(notice, now)

    def due(self, now: datetime) -> list[Notice]:
        return list(self.session.scalars(
            select(Notice).where(Notice.status == Notice.SCHEDULED, Notice.send_at <= now).order_by(Notice.id)
        ))

    def queue(self, notice: Notice, now: datetime) -> int:
        """Store the batches (recipients and retry keys) before anything is sent; returns the recipients."""
        recipients, _ = self.audience(notice, now)
        round_ = (self.session.scalar(select(func.max(NoticeBatch.round)).where(NoticeBatch.notice_id == notice.id))
                  or 0) + 1
        by_locale: dict[str, list[Recipient]] = {}
        for recipient in recipients:
            by_locale.setdefault(recipient.locale, []).append(recipient)
        rows = []
        for locale, group in sorted(by_locale.items()):
            for start in range(0, len(group), BATCH_SIZE):
                chunk = group[start:start + BATCH_SIZE]
                rows.append({"notice_id": notice.id, "round": round_, "locale": locale,
                             "resident_ids": [r.resident_id for r in chunk],
                             "recipients": [r.line_user_id for r in chunk],
                             "status": NoticeBatch.PENDING, "attempts": 0, "next_attempt_at": now,
                             "created_at": now})
        for row in rows:
            self.session.add(NoticeBatch(**row))
        notice.reach = len(recipients)
        notice.sent_at = now
        if notice.repeat == Notice.MONTHLY and notice.send_at is not None:
            notice.send_at = monthly_next(now, notice.send_at, self.tz)
            notice.status = Notice.SCHEDULED
        else:
            notice.status = Notice.SENDING if rows else Notice.SENT
        self.session.flush()
        return len(recipients)

    # -- what residents receive ------------------------------------------------------------

    def messages(self, notice: Notice, locale: str) -> list[dict]:
        """The notice as a resident of ``locale`` reads it: a Flex card with a picture or an event, else text."""
        t = Translator(locale, self.profile.timezone)
        body = notice.texts.get(text_language(notice.texts, locale)) or notice.texts.get("ja", "")
        label = t._("【重要なお知らせ】") if notice.essential else t._("【お知らせ】")
        how = t._("お知らせの種類や地区を変える・止めるときは「お知らせ設定」と送るか、下のボタンを押してください。")
        settings = postback(t._("お知らせ設定"), encode(NoticesTap.START))
        event = self.session.get(Event, notice.event_id) if notice.event_id else None
        if event is None and not notice.image_url:
            message = text(f"{label}{notice.title}\n{body}\n\n{how}", [settings])
            validate_messages([message])
            return [message]
        contents: list[dict] = [
            {"type": "text", "text": label, "size": "xs", "color": "#B0413E" if notice.essential else "#06C755"},
            {"type": "text", "text": notice.title, "weight": "bold", "size": "lg", "wrap": True},
            {"type": "text", "text": body, "wrap": True, "size": "sm"},
        ]
        if event is not None:
            when = f"{t.format_day(event.starts_at)} {t.format_time(event.starts_at)}"
            contents.append({"type": "text", "text": f"{when}\n{event.venue_name}", "wrap": True, "size": "sm",
                             "color": "#555555"})
        bubble: dict[str, Any] = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "spacing": "sm",
                                                              "contents": contents}}
        if notice.image_url:
            bubble["hero"] = {"type": "image", "url": notice.image_url, "size": "full", "aspectRatio": "20:13",
                              "aspectMode": "cover"}
        if event is not None:
            apply = postback(t._("申し込む"), encode(NoticesTap.EVENT, f"{notice.id}.{event.id}"))
            bubble["footer"] = {"type": "box", "layout": "vertical",
                                "contents": [{"type": "button", "style": "primary", "action": apply}]}
        card = {"type": "flex", "altText": f"{label}{notice.title}"[:400], "contents": bubble}
        messages = [card, text(how, [settings])]
        validate_messages(messages)
        return messages

    def opened(self, notice_id: int, resident: Resident) -> None:
        """Count a tap on a notice's sign-up button (once per resident)."""
        if self.session.get(Notice, notice_id) is None:
            return
        seen = self.session.scalar(select(NoticeOpen.id).where(NoticeOpen.notice_id == notice_id,
                                                                NoticeOpen.resident_id == resident.id))
        if seen is None:
            self.session.add(NoticeOpen(notice_id=notice_id, resident_id=resident.id))

    # -- results ---------------------------------------------------------------------------

    def results(self, notice: Notice, now: datetime, block_days: int = 7) -> dict[str, int]:
        """Delivered, failed, pending, opened the event link, signed up, blocked within ``block_days`` after."""
        batches = self.session.execute(
            select(NoticeBatch.status, NoticeBatch.resident_ids).where(NoticeBatch.notice_id == notice.id)
        ).all()
        counts: Counter = Counter()
        reached: set[int] = set()
        for status, resident_ids in batches:
            counts[status] += len(resident_ids)
            if status == NoticeBatch.SENT:
                reached.update(resident_ids)
        opened = self.session.scalar(select(func.count()).select_from(NoticeOpen)
                                     .where(NoticeOpen.notice_id == notice.id)) or 0
        signed_up = 0
        if notice.event_id and reached and notice.sent_at:
            signed_up = len({rid for (rid,) in self.session.execute(
                select(SignUp.resident_id).where(SignUp.event_id == notice.event_id,
                                                 SignUp.created_at >= notice.sent_at))} & reached)
        blocked = 0
        if reached and notice.sent_at:
            until = min(now, notice.sent_at + timedelta(days=block_days))
            blocked = len({rid for (rid,) in self.session.execute(
                select(Resident.id).where(Resident.blocked_at >= notice.sent_at, Resident.blocked_at <= until))}
                & reached)
        return {"delivered": counts[NoticeBatch.SENT], "failed": counts[NoticeBatch.FAILED],
                "pending": counts[NoticeBatch.PENDING] + counts[NoticeBatch.SENDING],
                "opened": opened, "signed_up": signed_up, "blocked": blocked}

    def finish_if_done(self, notice_id: int) -> None:
        """A notice whose batches are all sent or failed is sent."""
        open_batches = self.session.scalar(
            select(func.count()).select_from(NoticeBatch).where(
                NoticeBatch.notice_id == notice_id,
                NoticeBatch.status.in_([NoticeBatch.PENDING, NoticeBatch.SENDING]))
        )
        notice = self.session.get(Notice, notice_id)
        if notice is not None and not open_batches and notice.status == Notice.SENDING:
            notice.status = Notice.SENT


def figures(session: Session, start: date, end: date, centre_codes: list[str] | None) -> list[tuple[str, int]]:
    """Rows for the figures page (staff words): notices sent, recipients, delivered, failed, from start to end.

    ``centre_codes``: the notices composed at those centres; None: every notice (the city's view).
    """
    tz = ZoneInfo("Asia/Tokyo")
    since = datetime.combine(start, datetime.min.time(), tz)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tz)
    query = (select(NoticeBatch.notice_id, NoticeBatch.status, NoticeBatch.resident_ids)
             .join(Notice, Notice.id == NoticeBatch.notice_id)
             .where(NoticeBatch.created_at >= since, NoticeBatch.created_at < until))
    if centre_codes is not None:
        query = query.where(Notice.centre_code.in_(centre_codes))
    notices: set[int] = set()
    counts: Counter = Counter()
    for notice_id, status, resident_ids in session.execute(query):
        notices.add(notice_id)
        counts["all"] += len(resident_ids)
        counts[status] += len(resident_ids)
    return [
        (S_("送信したお知らせ"), len(notices)),
        (S_("お知らせの宛先（人）"), counts["all"]),
        (S_("お知らせの配信済み（人）"), counts[NoticeBatch.SENT]),
        (S_("お知らせの配信失敗（人）"), counts[NoticeBatch.FAILED]),
    ]
