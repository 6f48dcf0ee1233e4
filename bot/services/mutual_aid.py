"""住民支え合い: help requests, supporters, open calls, done records and points.

The SC (生活支援コーディネーター) is in charge: a supporter receives nothing
until approved; an open call asks a few supporters and the first
「引き受けます」 takes the request (the request row is locked, and the
database refuses a second accepted offer); names and phone numbers go to
either side only when the SC confirms the pairing. Until then each side
reads only the area and the task. Pushes go through the outbox in the
caller's transaction, in the language of whoever receives them.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.flows.postbacks import HelpTap, encode
from bot.i18n import N_, S_, Translator
from bot.messaging.build import postback, text
from bot.messaging.outbox import Outbox
from bot.models import HelpDone, HelpOffer, HelpRequest, LocalService, Resident, Supporter, SupportGroup, utcnow
from bot.models.staff import LIFE_SUPPORT, StaffAccount
from bot.municipality import HELP_TASKS, Municipality

# The help residents can ask for, in the order offered (the profile chooses which).
TASK_LABELS: dict[str, str] = dict(zip(HELP_TASKS, (
    N_("声かけ・見守り"), N_("買い物"), N_("通院・外出の付き添い"), N_("庭の手入れ"), N_("ごみ出し"), N_("掃除"),
    N_("窓ふき"), N_("電球の交換"), N_("洗濯"), N_("調理"), N_("重い物の移動"), N_("回覧板を回す"),
), strict=True))
SERVICE_KINDS: dict[str, str] = {
    "mobile_shop": N_("移動販売"),
    "delivery": N_("配達"),
    "transport": N_("送迎・移送"),
    "group": N_("支え合いグループ"),
    "other": N_("その他"),
}
# The version of the consent texts supporters agree to; a change of wording needs a new version.
SUPPORTER_CONSENT_VERSION = "supporter-2026-12"
CONTACT_CONSENT_VERSION = "contact-2026-12"
# The SC asked the resident, who agreed to have the request taken up as a consultation.
CONSULTATION_CONSENT_VERSION = "mutual-aid-sc-2026-12"


class MutualAidError(Exception):
    """Something asked of the mutual-aid service that cannot be done."""


class NotFound(MutualAidError):
    """No such request, supporter or offer (or not the caller's)."""


@dataclass(frozen=True)
class Answer:
    """What became of a supporter's answer to an offer."""

    TAKEN = "taken"  # they have it now
    FILLED = "filled"  # someone else was first, or the request is no longer open
    DECLINED = "declined"

    outcome: str
    request: HelpRequest


@dataclass(frozen=True)
class CheckAnswer:
    """The resident's answer to the check after the help, and whether it newly tells of a problem (the SC is told)."""

    request: HelpRequest
    newly_problem: bool


@dataclass(frozen=True)
class Candidate:
    supporter: Supporter
    score: int
    load: int  # requests taken this month
    past_pairings: int


class MutualAidService:
    """Help requests and supporters in the caller's transaction."""

    def __init__(
        self,
        session: Session,
        profile: Municipality,
        clock: Callable[[], datetime] = utcnow,
        *,
        outbox: Outbox | None = None,
    ) -> None:
        self.session = session
        self.profile = profile
        self.clock = clock
        self.outbox = outbox or Outbox(session)
        self.zone = ZoneInfo(profile.timezone)

    # -- residents ---------------------------------------------------------

    def ask(
        self,
        *,
        tasks: list[str],
        area_code: str,
        resident: Resident | None = None,
        details: str = "",
        wanted_on: date | None = None,
        time_window: str = "any",
        frequency: str = HelpRequest.ONCE,
        asked_by: str = HelpRequest.SELF,
        name: str = "",
        phone: str | None = None,
        staff_id: int | None = None,
    ) -> HelpRequest:
        """Record a request, from LINE (``resident``) or entered by staff (``staff_id``) for a caller."""
        tasks = [task for task in dict.fromkeys(tasks) if task in self.profile.mutual_aid.tasks]
        if not tasks:
            raise MutualAidError("no task")
        if frequency not in (HelpRequest.ONCE, HelpRequest.WEEKLY) or asked_by not in (HelpRequest.SELF,
                                                                                        HelpRequest.FAMILY):
            raise MutualAidError("bad choice")
        request = HelpRequest(
            resident_id=resident.id if resident else None,
            source=HelpRequest.STAFF if staff_id else HelpRequest.LINE,
            asked_by=asked_by, name=name.strip()[:100], phone=phone, tasks=tasks, details=details.strip()[:2000],
            area_code=area_code, centre_code=self.centre_of(area_code), wanted_on=wanted_on,
            time_window=time_window, frequency=frequency, created_by=staff_id,
        )
        self.session.add(request)
        self.session.flush()
        return request

    def centre_of(self, area_code: str) -> str:
        try:
            self.profile.area(area_code)
        except KeyError as error:
            raise MutualAidError("unknown area") from error
        return next(centre.code for centre in self.profile.centres if area_code in centre.areas)

    def register_supporter(
        self,
        resident: Resident | None,
        *,
        name: str,
        tasks: list[str],
        area_codes: list[str],
        availability: list[str] | None = None,
        max_per_month: int = 4,
        phone: str | None = None,
        contact_consent: bool = True,
    ) -> Supporter:
        """A resident offers help (応募): the SC meets and approves them before they receive anything."""
        for code in area_codes:
            self.centre_of(code)
        now = self.clock()
        supporter = None
        if resident is not None:
            supporter = self.session.scalar(select(Supporter).where(Supporter.resident_id == resident.id))
        if supporter is None:
            supporter = Supporter(resident_id=resident.id if resident else None, status=Supporter.APPLIED)
            self.session.add(supporter)
        supporter.name = name.strip()[:100]
        supporter.phone = phone
        supporter.tasks = [task for task in dict.fromkeys(tasks) if task in self.profile.mutual_aid.tasks]
        supporter.area_codes = list(dict.fromkeys(area_codes))
        supporter.availability = list(availability or [])
        supporter.max_per_month = max(1, min(max_per_month, 31))
        supporter.consent_version = SUPPORTER_CONSENT_VERSION
        supporter.consented_at = now
        supporter.contact_consent_version = CONTACT_CONSENT_VERSION if contact_consent else None
        supporter.contact_consented_at = now if contact_consent else None
        self.session.flush()
        return supporter

    def supporter_of(self, resident: Resident) -> Supporter | None:
        return self.session.scalar(select(Supporter).where(Supporter.resident_id == resident.id))

    def points_of(self, supporter: Supporter) -> tuple[float, int]:
        """Hours given and points earned, all time."""
        hours, points = self.session.execute(
            select(func.coalesce(func.sum(HelpDone.hours), 0), func.coalesce(func.sum(HelpDone.points), 0))
            .where(HelpDone.supporter_id == supporter.id)
        ).one()
        return float(hours), int(points)

    def leave(self, resident: Resident) -> None:
        """Remove what the resident gave as a supporter and as a requester; done hours stay as figures."""
        supporter = self.supporter_of(resident)
        if supporter is not None:
            for request in self.session.scalars(select(HelpRequest).where(
                    HelpRequest.supporter_id == supporter.id, HelpRequest.status.in_(HelpRequest.WAITING))):
                request.status, request.supporter_id = HelpRequest.OPEN, None
            self.session.delete(supporter)
        for request in self.session.scalars(select(HelpRequest).where(HelpRequest.resident_id == resident.id)):
            request.details, request.name, request.phone, request.resident_id = "", "", None, None
            request.check_words = ""
            if request.status in HelpRequest.WAITING:
                request.status = HelpRequest.CANCELLED
        self.session.flush()

    # -- the SC ------------------------------------------------------------

    def get_request(self, request_id: int, *, lock: bool = False) -> HelpRequest:
        query = select(HelpRequest).where(HelpRequest.id == request_id)
        request = self.session.scalar(query.with_for_update() if lock else query)
        if request is None:
            raise NotFound(request_id)
        return request

    def get_supporter(self, supporter_id: int) -> Supporter:
        supporter = self.session.get(Supporter, supporter_id)
        if supporter is None:
            raise NotFound(supporter_id)
        return supporter

    def approve(self, supporter_id: int, staff_id: int, *, insurance: str, group_id: int | None = None) -> Supporter:
        """After the meeting (面談): insurance and group recorded, the supporter becomes 活動中."""
        supporter = self.get_supporter(supporter_id)
        if not insurance.strip():
            raise MutualAidError("insurance required")
        supporter.insurance = insurance.strip()[:200]
        supporter.group_id = group_id
        supporter.status = Supporter.ACTIVE
        supporter.approved_at = self.clock()
        supporter.approved_by = staff_id
        self.session.flush()
        return supporter

    def set_status(self, supporter_id: int, status: str) -> Supporter:
        if status not in Supporter.STATUSES:
            raise MutualAidError("bad status")
        supporter = self.get_supporter(supporter_id)
        if status == Supporter.ACTIVE and supporter.approved_at is None:
            raise MutualAidError("not approved")
        supporter.status = status
        self.session.flush()
        return supporter

    def month_start(self) -> datetime:
        local = self.clock().astimezone(self.zone)
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)

    def candidates(self, request: HelpRequest) -> list[Candidate]:
        """Active supporters who fit, best first: area, task, availability, load, past pairings."""
        since = self.month_start()
        load = dict(self.session.execute(
            select(HelpRequest.supporter_id, func.count()).where(
                HelpRequest.supporter_id.is_not(None), HelpRequest.matched_at >= since)
            .group_by(HelpRequest.supporter_id)).all())
        pairings: dict[int, int] = {}
        if request.resident_id is not None:
            pairings = dict(self.session.execute(
                select(HelpDone.supporter_id, func.count()).join(HelpRequest, HelpRequest.id == HelpDone.request_id)
                .where(HelpRequest.resident_id == request.resident_id).group_by(HelpDone.supporter_id)).all())
        found = []
        for supporter in self.session.scalars(select(Supporter).where(Supporter.status == Supporter.ACTIVE)):
            taken = load.get(supporter.id, 0)
            own = request.resident_id is not None and supporter.resident_id == request.resident_id
            if taken >= supporter.max_per_month or own:
                continue
            in_area = request.area_code in supporter.area_codes
            tasks = len(set(request.tasks) & set(supporter.tasks))
            if not in_area and not tasks:
                continue
            score = 40 * in_area + 20 * tasks + 10 * self._available(supporter, request) \
                + 15 * min(pairings.get(supporter.id, 0), 2) - 5 * taken
            found.append(Candidate(supporter, score, taken, pairings.get(supporter.id, 0)))
        return sorted(found, key=lambda c: (-c.score, c.load, c.supporter.id))

    @staticmethod
    def _available(supporter: Supporter, request: HelpRequest) -> bool:
        if not supporter.availability or request.wanted_on is None:
            return True
        day = "weekend" if request.wanted_on.weekday() >= 5 else "weekday"
        windows = ("am", "pm") if request.time_window == "any" else (request.time_window,)
        return any(f"{day}_{window}" in supporter.availability or day in supporter.availability
                   for window in windows)

    def open_call(self, request_id: int, supporter_ids: Collection[int], staff_id: int | None) -> list[HelpOffer]:
        """Ask a few approved supporters at once; each sees the area, the task and the day only."""
        request = self.get_request(request_id, lock=True)
        if request.status not in (HelpRequest.OPEN, HelpRequest.CALLING):
            raise MutualAidError("request not open")
        offers = []
        asked = set(self.session.scalars(select(HelpOffer.supporter_id).where(HelpOffer.request_id == request.id)))
        for supporter_id in dict.fromkeys(supporter_ids):
            supporter = self.get_supporter(supporter_id)
            if supporter.status != Supporter.ACTIVE or supporter.id in asked:
                continue
            offer = HelpOffer(request_id=request.id, supporter_id=supporter.id, sent_by=staff_id,
                              sent_at=self.clock())
            self.session.add(offer)
            self.session.flush()
            self._push(supporter.resident, lambda t, offer=offer: [self._offer_message(t, request, offer)],
                       "help_offer")
            offers.append(offer)
        if not offers:
            raise MutualAidError("no supporter to ask")
        request.status = HelpRequest.CALLING
        self.session.flush()
        return offers

    def assign(self, request_id: int, supporter_id: int, staff_id: int | None) -> HelpRequest:
        """The SC picks one supporter directly (they agreed by phone)."""
        request = self.get_request(request_id, lock=True)
        supporter = self.get_supporter(supporter_id)
        if request.status not in (HelpRequest.OPEN, HelpRequest.CALLING) or supporter.status != Supporter.ACTIVE:
            raise MutualAidError("cannot assign")
        offer = self.session.scalar(select(HelpOffer).where(HelpOffer.request_id == request.id,
                                                            HelpOffer.supporter_id == supporter.id))
        if offer is None:
            offer = HelpOffer(request_id=request.id, supporter_id=supporter.id, sent_by=staff_id)
            self.session.add(offer)
        self._take(request, offer)
        return request

    def answer(self, offer_id: int, resident: Resident, accept: bool) -> Answer:
        """A supporter's 「引き受けます」 or 「今回は難しい」; the first acceptance wins."""
        offer = self.session.get(HelpOffer, offer_id)
        if offer is None or offer.supporter.resident_id != resident.id:
            raise NotFound(offer_id)
        request = self.get_request(offer.request_id, lock=True)
        self.session.refresh(offer)
        if offer.status == HelpOffer.ACCEPTED:
            return Answer(Answer.TAKEN, request)
        if not accept:
            if offer.status == HelpOffer.SENT:
                offer.status, offer.answered_at = HelpOffer.DECLINED, self.clock()
            return Answer(Answer.DECLINED, request)
        if request.status != HelpRequest.CALLING or offer.status != HelpOffer.SENT:
            return Answer(Answer.FILLED, request)
        self._take(request, offer)
        return Answer(Answer.TAKEN, request)

    def _take(self, request: HelpRequest, offer: HelpOffer) -> None:
        now = self.clock()
        offer.status, offer.answered_at = HelpOffer.ACCEPTED, now
        request.status, request.supporter_id, request.matched_at = HelpRequest.MATCHED, offer.supporter_id, now
        self.session.flush()
        for other in self.session.scalars(select(HelpOffer).where(
                HelpOffer.request_id == request.id, HelpOffer.id != offer.id, HelpOffer.status == HelpOffer.SENT)):
            other.status = HelpOffer.UNANSWERED  # a non-answer, recorded; they are told it is filled
            self._push(other.supporter.resident, lambda t: [text(t._(
                "ありがとうございます。このお手伝いは、ほかの方が引き受けました。またお願いします。"))], "help_filled")
        self.session.flush()

    def confirm(self, request_id: int) -> HelpRequest:
        """The SC confirms the pairing: now, and only now, names and phone numbers are exchanged."""
        request = self.get_request(request_id, lock=True)
        if request.status != HelpRequest.MATCHED or request.supporter is None:
            raise MutualAidError("nothing to confirm")
        supporter = request.supporter
        if supporter.contact_consent_version is None:
            raise MutualAidError("the supporter has not agreed to share contact details")
        request.status, request.confirmed_at = HelpRequest.CONFIRMED, self.clock()
        self.session.flush()
        when = self._when(request)
        self._push(supporter.resident, lambda t: [text(t._(
            "お手伝いが決まりました。\n{task}（{area}）{when}\nお相手：{name}さん {phone}",
            task=self.tasks_text(t, request), area=self.area_name(t, request.area_code), when=when(t),
            name=request.name or (request.resident.display_name if request.resident else ""),
            phone=request.phone or "-"))], "help_confirmed")
        self._push(request.resident, lambda t: [text(t._(
            "お手伝いに来る方が決まりました。\n{task} {when}\n{name}さん {phone}",
            task=self.tasks_text(t, request), when=when(t), name=supporter.name, phone=supporter.phone or "-"))],
            "help_confirmed")
        return request

    def record_done(self, request_id: int, *, hours: float, by: str, resident: Resident | None = None) -> HelpDone:
        """The help was given: hours become points for the supporter (and their host organisation)."""
        request = self.to_be_done(request_id, resident, lock=True)
        if not 0 < hours <= 12:
            raise MutualAidError("bad hours")
        now = self.clock()
        done = HelpDone(request_id=request.id, supporter_id=request.supporter_id, group_id=request.supporter.group_id,
                        done_on=now.astimezone(self.zone).date(), hours=0, points=0, recorded_by=by)
        self._set_hours(done, hours)
        self.session.add(done)
        request.status, request.done_at = HelpRequest.DONE, now
        self.session.flush()
        return done

    def to_be_done(self, request_id: int, resident: Resident | None = None, *, lock: bool = False) -> HelpRequest:
        """A request whose help can be recorded as done (by its supporter, when ``resident`` is given)."""
        request = self.get_request(request_id, lock=lock)
        if resident is not None and (request.supporter is None or request.supporter.resident_id != resident.id):
            raise NotFound(request_id)
        if request.status not in (HelpRequest.MATCHED, HelpRequest.CONFIRMED) or request.supporter is None:
            raise MutualAidError("not matched")
        return request

    def done_of(self, request_id: int) -> HelpDone | None:
        return self.session.scalar(select(HelpDone).where(HelpDone.request_id == request_id))

    def correct_hours(self, request_id: int, hours: float) -> HelpDone:
        """The SC corrects the hours recorded (and so the points)."""
        done = self.done_of(request_id)
        if done is None:
            raise MutualAidError("not done")
        if not 0 < hours <= 12:
            raise MutualAidError("bad hours")
        self._set_hours(done, hours)
        self.session.flush()
        return done

    def _set_hours(self, done: HelpDone, hours: float) -> None:
        done.hours = round(hours * 4) / 4
        done.points = round(hours * self.profile.mutual_aid.points_per_hour)

    def to_consultation(self, request_id: int) -> int:
        """Turn a request into a consultation record for the area's centre (the resident agreed); its id."""
        from bot.services.intake import Answers, IntakeService

        request = self.get_request(request_id, lock=True)
        if request.resident is None or request.record_id is not None:
            raise MutualAidError("no LINE resident, or already a consultation")
        details = [{"kind": "text", "id": "", "text": request.details}] if request.details else []
        record = IntakeService(self.session, self.profile).submit(
            request.resident, Answers(area_code=request.area_code, area_source="mutual_aid", details=details),
            consent_at=self.clock(), consent_version=CONSULTATION_CONSENT_VERSION)
        record.source = "mutual_aid"
        request.record_id = record.id
        if request.status in (HelpRequest.OPEN, HelpRequest.CALLING):
            request.status = HelpRequest.CONSULTATION
        self.session.flush()
        return record.id

    # -- the worker --------------------------------------------------------

    def send_reminders(self) -> int:
        """The day before, from the profile's local time: a reminder to both sides, exactly once."""
        local = self.clock().astimezone(self.zone)
        if local.time() < self.profile.mutual_aid.reminder_time:
            return 0
        tomorrow = local.date() + timedelta(days=1)
        sent = 0
        for request in self.session.scalars(select(HelpRequest).where(
                HelpRequest.status == HelpRequest.CONFIRMED, HelpRequest.wanted_on == tomorrow,
                HelpRequest.reminded_at.is_(None)).with_for_update(skip_locked=True)):
            request.reminded_at = self.clock()
            self._push(request.resident, lambda t, request=request: [text(self._reminder(t, request))],
                       "help_reminder")
            self._push(request.supporter.resident if request.supporter else None,
                       lambda t, request=request: [text(self._reminder(t, request), [postback(
                           t._("終わりました"), encode(HelpTap.DONE, request.id), t._("終わりました"))])],
                       "help_reminder")
            sent += 1
        self.session.flush()
        return sent

    def _reminder(self, t: Translator, request: HelpRequest) -> str:
        return t._("あしたは お手伝いの日です。\n{task}（{area}）", task=self.tasks_text(t, request),
                   area=self.area_name(t, request.area_code))

    def send_checks(self) -> int:
        """Two days (the profile's) after the help: 「お手伝いはいかがでしたか？」 to the resident, once."""
        before = self.clock() - timedelta(days=self.profile.mutual_aid.check_after_days)
        sent = 0
        for request in self.session.scalars(select(HelpRequest).where(
                HelpRequest.status == HelpRequest.DONE, HelpRequest.done_at <= before,
                HelpRequest.checked_at.is_(None)).with_for_update(skip_locked=True)):
            request.checked_at = self.clock()
            self._push(request.resident, lambda t, request=request: [text(t._(
                "お手伝いはいかがでしたか？ 困ったことがあれば、このまま書いてください。"), [
                    postback(t._("良かった"), encode(HelpTap.GOOD, request.id), t._("良かった")),
                    postback(t._("問題があった"), encode(HelpTap.PROBLEM, request.id), t._("問題があった"))])],
                "help_check")
            sent += 1
        self.session.flush()
        return sent

    def check_waiting(self, resident: Resident) -> HelpRequest | None:
        """The resident's request whose check (「お手伝いはいかがでしたか？」) waits for an answer, or for the words
        after 「問題があった」: a week to answer, a day to write."""
        now = self.clock()
        return self.session.scalar(select(HelpRequest).where(
            HelpRequest.resident_id == resident.id, HelpRequest.status == HelpRequest.DONE,
            HelpRequest.checked_at >= now - timedelta(days=7),
            (HelpRequest.check_result.is_(None)) | (
                (HelpRequest.check_result == HelpRequest.PROBLEM) & (HelpRequest.check_words == "")
                & (HelpRequest.check_answered_at >= now - timedelta(days=1))),
        ).order_by(HelpRequest.checked_at.desc()).limit(1))

    def answer_check(self, request_id: int, resident: Resident, result: str, words: str = "") -> CheckAnswer:
        """The resident's answer to the check: 良かった / 問題があった, and their words (kept for the SC)."""
        request = self.get_request(request_id, lock=True)
        if request.resident_id != resident.id or request.checked_at is None:
            raise NotFound(request_id)
        return self._note_check(request, result, words)

    def record_check(self, request_id: int, result: str, words: str = "") -> CheckAnswer:
        """The answer the SC heard by phone or at the counter (a request with no LINE, or a call back)."""
        request = self.get_request(request_id, lock=True)
        if request.status != HelpRequest.DONE:
            raise MutualAidError("not done yet")
        if request.checked_at is None:  # asked by phone instead of on LINE: the LINE check is not sent
            request.checked_at = self.clock()
        return self._note_check(request, result, words)

    def _note_check(self, request: HelpRequest, result: str, words: str) -> CheckAnswer:
        if result not in (HelpRequest.GOOD, HelpRequest.PROBLEM):
            raise MutualAidError("bad answer")
        newly_problem = result == HelpRequest.PROBLEM and request.check_result != HelpRequest.PROBLEM
        if request.check_result != HelpRequest.PROBLEM:  # a problem told stays a problem
            request.check_result = result
        if words.strip():
            request.check_words = "\n".join(filter(None, [request.check_words, words.strip()[:1000]]))
        request.check_answered_at = self.clock()
        self.session.flush()
        return CheckAnswer(request, newly_problem)

    def coordinators_of(self, centre_code: str) -> list[StaffAccount]:
        """The active SCs of a centre's areas; when it has none, the city's SCs (those with no centre)."""
        life_support = list(self.session.scalars(select(StaffAccount).where(
            StaffAccount.active.is_(True), StaffAccount.role == LIFE_SUPPORT).order_by(StaffAccount.id)))
        own = [account for account in life_support if centre_code in account.centre_codes]
        return own or [account for account in life_support if not account.centre_codes]

    # -- helpers -----------------------------------------------------------

    def _push(self, resident: Resident | None, build: Callable[[Translator], list[dict]], purpose: str) -> None:
        """Push in the receiver's language; someone without LINE (or who blocked us) is phoned by the SC."""
        if resident is None or resident.is_blocked or not resident.is_following:
            return
        self.outbox.push(resident, build(Translator(resident.locale, self.profile.timezone)), purpose)

    def _offer_message(self, t: Translator, request: HelpRequest, offer: HelpOffer) -> dict:
        body = t._("お手伝いのお願いです。\n{task}（{area}）\n{when}\n引き受けていただけますか？",
                   task=self.tasks_text(t, request), area=self.area_name(t, request.area_code),
                   when=self._when(request)(t))
        return text(body, [postback(t._("引き受けます"), encode(HelpTap.ACCEPT, offer.id)),
                           postback(t._("今回は難しい"), encode(HelpTap.DECLINE, offer.id))])

    def _when(self, request: HelpRequest) -> Callable[[Translator], str]:
        def when(t: Translator) -> str:
            if request.wanted_on is None:
                return t._("いつでも")
            moment = datetime(request.wanted_on.year, request.wanted_on.month, request.wanted_on.day, 12,
                              tzinfo=self.zone)
            return t.format_day(moment)
        return when

    def tasks_text(self, t: Translator, request: HelpRequest) -> str:
        return "・".join(t._(TASK_LABELS[task]) for task in request.tasks if task in TASK_LABELS)

    def area_name(self, t: Translator, code: str) -> str:
        try:
            return self.profile.area(code).text_in(t.locale)
        except KeyError:
            return code

    def add_group(self, *, name: str, centre_code: str, area_codes: list[str], contact: str = "") -> SupportGroup:
        """A 住民支え合い活動グループ the SC registers: a name, its centre and the areas it works in."""
        known = {area.code for area in self.profile.areas}
        if not name.strip() or len(name.strip()) > 120 or not area_codes or not set(area_codes) <= known:
            raise MutualAidError("a group needs a name and areas")
        self.profile.centre(centre_code)  # KeyError for a centre the profile does not have
        group = SupportGroup(name=name.strip(), centre_code=centre_code, area_codes=sorted(set(area_codes)),
                             contact=contact.strip()[:200])
        self.session.add(group)
        self.session.flush()
        return group

    def add_service(self, *, name: str, kind: str, area_codes: list[str], description: str = "",
                    phone: str = "", staff_id: int | None = None) -> LocalService:
        """A 生活支援サービス staff enter (no areas: the whole city); residents find it on LINE at once."""
        known = {area.code for area in self.profile.areas}
        if not name.strip() or len(name.strip()) > 120 or kind not in SERVICE_KINDS or not set(area_codes) <= known:
            raise MutualAidError("a service needs a name, a kind and known areas")
        entry = LocalService(name=name.strip(), kind=kind, area_codes=sorted(set(area_codes)),
                             description=description.strip()[:300], phone=phone, created_by=staff_id)
        self.session.add(entry)
        self.session.flush()
        return entry

    def services(self, *, area_code: str | None = None, kind: str | None = None) -> list[tuple[str, str, str, str]]:
        """生活支援サービス一覧: (name, kind, description, phone) from the profile, then those staff entered."""
        rows = [(s.name, s.kind, s.description, s.phone or "", tuple(s.areas), s)
                for s in self.profile.mutual_aid.services]
        rows += [(s.name, s.kind, s.description, s.phone, tuple(s.area_codes), None)
                 for s in self.session.scalars(select(LocalService).order_by(LocalService.id))]
        return [row[:4] for row in rows  # type: ignore[misc]
                if (kind is None or row[1] == kind) and (area_code is None or not row[4] or area_code in row[4])]

    def monthly_csv(self, year: int, month: int, group_id: int | None = None) -> str:
        """Hours and points per supporter for one month, for the host organisation (受入機関) of the scheme."""
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1)
        query = (select(Supporter.name, func.count(HelpDone.id), func.sum(HelpDone.hours), func.sum(HelpDone.points))
                 .join(Supporter, Supporter.id == HelpDone.supporter_id)
                 .where(HelpDone.done_on >= start, HelpDone.done_on < end)
                 .group_by(Supporter.id, Supporter.name).order_by(Supporter.name))
        if group_id is not None:
            query = query.where(HelpDone.group_id == group_id)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([S_("支え手"), S_("回数"), S_("時間"), self.profile.mutual_aid.scheme_name])
        for name, count, hours, points in self.session.execute(query):
            writer.writerow([name, count, f"{hours:g}", points])
        return out.getvalue()


def board(session: Session, now: datetime, centre_codes: Collection[str] | None,
          area_code: str | None = None) -> dict[str, list]:
    """The SC's board: open requests (oldest first), offers waiting, done not confirmed, supporters' load."""
    def scoped(query):  # noqa: ANN001, ANN202
        if centre_codes is not None:
            query = query.where(HelpRequest.centre_code.in_(sorted(centre_codes)))
        return query.where(HelpRequest.area_code == area_code) if area_code else query

    waiting = list(session.scalars(scoped(select(HelpRequest).where(
        HelpRequest.status.in_((HelpRequest.OPEN, HelpRequest.CALLING)))).order_by(HelpRequest.created_at)))
    matched = list(session.scalars(scoped(select(HelpRequest).where(
        HelpRequest.status == HelpRequest.MATCHED)).order_by(HelpRequest.matched_at)))
    today = now.astimezone(ZoneInfo("Asia/Tokyo")).date()
    overdue = list(session.scalars(scoped(select(HelpRequest).where(
        HelpRequest.status == HelpRequest.CONFIRMED, HelpRequest.wanted_on < today)).order_by(HelpRequest.wanted_on)))
    offers = dict(session.execute(select(HelpOffer.request_id, func.count()).where(
        HelpOffer.status == HelpOffer.SENT).group_by(HelpOffer.request_id)).all())
    load = dict(session.execute(select(HelpRequest.supporter_id, func.count()).where(
        HelpRequest.status.in_((HelpRequest.MATCHED, HelpRequest.CONFIRMED))).group_by(HelpRequest.supporter_id)).all())
    supporters = [s for s in session.scalars(select(Supporter).order_by(Supporter.status, Supporter.name))
                  if area_code is None or area_code in s.area_codes]
    # The residents' answers to the check after, of the last 30 days: 問題があった first.
    checks = sorted(session.scalars(scoped(select(HelpRequest).where(
        HelpRequest.check_answered_at >= now - timedelta(days=30))).order_by(HelpRequest.check_answered_at.desc())),
        key=lambda r: r.check_result != HelpRequest.PROBLEM)
    return {"waiting": [(r, offers.get(r.id, 0)) for r in waiting], "matched": matched, "overdue": overdue,
            "load": [(s, load.get(s.id, 0)) for s in supporters], "checks": checks}


# The measures of 住民支え合い, per month and area, for the meeting figures.
FIGURE_MEASURES = [("requests", S_("支え合いの依頼")), ("matched", S_("支え手が決まった依頼")),
                   ("done", S_("お手伝い済み")), ("hours", S_("お手伝いの時間")), ("active", S_("活動した支え手"))]


def figures(session: Session, start: date, end: date, centre_codes: list[str] | None) -> list[tuple[str, int]]:
    """住民支え合い for the meeting figures: requests, matched, done, hours, supporters active from start to end
    (both days included, as the figures page's periods)."""
    _, totals = figures_by_area(session, start, end, centre_codes)
    return [(label, totals[measure]) for measure, label in FIGURE_MEASURES]


def figures_by_area(session: Session, start: date, end: date, centre_codes: list[str] | None,
                    ) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """The same per area: ({(area, measure): n}, {measure: city total}).

    The hours are summed before rounding, and a supporter active in two areas counts once in the total.
    """
    tz = ZoneInfo("Asia/Tokyo")
    begin = datetime(start.year, start.month, start.day, tzinfo=tz)
    until = datetime(end.year, end.month, end.day, tzinfo=tz) + timedelta(days=1)

    def scoped(query: Select) -> Select:
        return query if centre_codes is None else query.where(HelpRequest.centre_code.in_(centre_codes))

    counts: Counter[tuple[str, str]] = Counter()
    for measure, column in (("requests", HelpRequest.created_at), ("matched", HelpRequest.matched_at)):
        for area, n in session.execute(scoped(select(HelpRequest.area_code, func.count(HelpRequest.id)).where(
                column >= begin, column < until).group_by(HelpRequest.area_code))):
            counts[(area, measure)] = n
    done = scoped(select(HelpRequest.area_code, HelpDone.supporter_id, HelpDone.hours).join(
        HelpRequest, HelpRequest.id == HelpDone.request_id).where(HelpDone.done_on >= start, HelpDone.done_on <= end))
    hours: Counter[str] = Counter()
    active: dict[str, set[int]] = {}
    for area, supporter_id, spent in session.execute(done):
        counts[(area, "done")] += 1
        hours[area] += spent
        active.setdefault(area, set()).add(supporter_id)
    for area, spent in hours.items():
        counts[(area, "hours")] = round(spent)
    for area, supporters in active.items():
        counts[(area, "active")] = len(supporters)
    totals = {measure: sum(n for (_, m), n in counts.items() if m == measure) for measure, _ in FIGURE_MEASURES}
    totals["hours"] = round(sum(hours.values()))
    totals["active"] = len(set().union(*active.values()))
    return dict(counts), totals
