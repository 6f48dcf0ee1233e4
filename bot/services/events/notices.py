"""What residents read about their sign-ups when they did not ask: pushes.

Each push is written in the language of the resident who receives it (not
of whoever caused it: a cancellation by one resident promotes another), and
goes through the outbox in the caller's transaction.
"""
from __future__ import annotations

from datetime import datetime

from bot.flows.postbacks import MenuTap, SignupsTap, encode
from bot.i18n import Translator
from bot.messaging.build import postback, text
from bot.messaging.outbox import Outbox
from bot.models import Event, SignUp


def describe_day(t: Translator, moment: datetime) -> str:
    """A date the way the resident reads it: 12月3日(木) / Thu, Dec 3."""
    return t.format_day(moment)


def describe_when(t: Translator, starts_at: datetime, ends_at: datetime | None = None) -> str:
    """Date and times in the city's time zone: 12月3日(木) 10:00〜11:30."""
    day = describe_day(t, starts_at)
    start = t.format_time(starts_at)
    if ends_at is None:
        return t._("{day} {start}〜", day=day, start=start)
    end = t.format_time(ends_at)
    return t._("{day} {start}〜{end}", day=day, start=start, end=end)


def describe_moment(t: Translator, moment: datetime) -> str:
    """A deadline: 12月2日(水) 17:00."""
    return t._("{day} {time}", day=describe_day(t, moment), time=t.format_time(moment))


def cancel_chips(t: Translator, signup: SignUp, now: datetime) -> list[dict]:
    """取り消す (while the deadline allows) and 申込の確認."""
    chips = []
    if now < signup.event.cancellable_until:
        chips.append(postback(t._("取り消す"), encode(SignupsTap.CANCEL, signup.id), t._("申し込みを取り消したい")))
    chips.append(postback(t._("申込の確認"), encode(MenuTap.MINE)))
    return chips


class EventNotices:
    """Queues the pushes about sign-ups: promotion, changes, cancellation, restoration, reminders."""

    def __init__(self, outbox: Outbox, timezone: str) -> None:
        self.outbox = outbox
        self.timezone = timezone

    def _reachable(self, signup: SignUp) -> bool:
        # Sign-ups taken by phone have no LINE account; blocked residents must not be pushed.
        return signup.resident is not None and not signup.resident.is_blocked

    def _translator(self, signup: SignUp) -> Translator:
        return Translator(signup.resident.locale, self.timezone)

    def promoted(self, signup: SignUp, now: datetime) -> bool:
        """Tell a resident from the waiting list that their place is now confirmed."""
        if not self._reachable(signup):
            return False
        t = self._translator(signup)
        event = signup.event
        body = t._(
            "キャンセル待ちでお待ちいただいていた\n「{title}」\n{when}\nのお席が空き、参加が確定しました（{party}名）。\n"
            "ご都合が悪くなった場合は、下のボタンから取り消してください。",
            title=event.title,
            when=describe_when(t, event.starts_at, event.ends_at),
            party=signup.party_size,
        )
        self.outbox.push(signup.resident, [text(body, cancel_chips(t, signup, now))], "event_promoted")
        return True

    def changed(self, signup: SignUp, before: dict, now: datetime) -> bool:
        """Tell a signed-up resident that the time or the place has changed."""
        if not self._reachable(signup):
            return False
        t = self._translator(signup)
        event = signup.event
        lines = [t._("【変更のお知らせ】\nお申し込みの「{title}」の内容が変わりました。", title=event.title)]
        if "starts_at" in before or "ends_at" in before:
            old_when = describe_when(t, before.get("starts_at", event.starts_at), before.get("ends_at", event.ends_at))
            lines.append(
                t._("日時：{when}（変更前：{old}）", when=describe_when(t, event.starts_at, event.ends_at), old=old_when)
            )
        if "venue_name" in before or "venue_address" in before:
            lines.append(
                t._("会場：{venue}（変更前：{old}）", venue=_place(event.venue_name, event.venue_address),
                    old=_place(before.get("venue_name", event.venue_name), before.get("venue_address", event.venue_address)))
            )
        lines.append(t._("ご都合が合わなくなった場合は、下のボタンから取り消してください。"))
        self.outbox.push(signup.resident, [text("\n".join(lines), cancel_chips(t, signup, now))], "event_changed")
        return True

    def cancelled(self, signup: SignUp) -> bool:
        """Tell a signed-up resident that the event will not take place."""
        if not self._reachable(signup):
            return False
        t = self._translator(signup)
        event = signup.event
        lines = [
            t._(
                "【中止のお知らせ】\n{when}の「{title}」は中止になりました。",
                when=describe_when(t, event.starts_at, event.ends_at),
                title=event.title,
            )
        ]
        if event.cancel_reason:
            lines.append(t._("理由：{reason}", reason=event.cancel_reason))
        lines.append(t._("せっかくお申し込みいただいたのに、すみません。"))
        self.outbox.push(signup.resident, [text("\n".join(lines), [postback(t._("ほかのイベントを探す"), encode(MenuTap.EVENTS))])], "event_cancelled")
        return True

    def restored(self, signup: SignUp, now: datetime) -> bool:
        """Tell a signed-up resident that a cancelled event takes place after all, and that their place is kept."""
        if not self._reachable(signup):
            return False
        t = self._translator(signup)
        event = signup.event
        lines = [
            t._(
                "【開催のお知らせ】\n中止とお知らせした{when}の「{title}」は、予定どおり開催することになりました。",
                when=describe_when(t, event.starts_at, event.ends_at),
                title=event.title,
            )
        ]
        if signup.status == SignUp.WAITING:
            lines.append(t._("キャンセル待ちの順番（{position}番目）はそのままです。", position=signup.waiting_position))
        else:
            lines.append(t._("お申し込み（{party}名）はそのまま有効です。", party=signup.party_size))
        lines.append(t._("ご都合が合わなくなった場合は、下のボタンから取り消してください。"))
        self.outbox.push(signup.resident, [text("\n".join(lines), cancel_chips(t, signup, now))], "event_restored")
        return True

    def reminder(self, signup: SignUp, now: datetime) -> bool:
        """Remind a confirmed resident of the event (the day before)."""
        if not self._reachable(signup):
            return False
        t = self._translator(signup)
        event: Event = signup.event
        lines = [
            t._("【開催のご案内】\nお申し込みの「{title}」が近づいてきました。", title=event.title),
            t._("日時：{when}", when=describe_when(t, event.starts_at, event.ends_at)),
            t._("会場：{venue}", venue=_place(event.venue_name, event.venue_address)),
            t._("人数：{party}名", party=signup.party_size),
        ]
        if event.what_to_bring:
            lines.append(t._("持ち物：{items}", items=event.what_to_bring))
        lines.append(t._("お気をつけてお越しください。参加できなくなった場合はお知らせください。"))
        self.outbox.push(signup.resident, [text("\n".join(lines), cancel_chips(t, signup, now))], "event_reminder")
        return True


def _place(name: str, address: str) -> str:
    return f"{name}（{address}）" if address else name
