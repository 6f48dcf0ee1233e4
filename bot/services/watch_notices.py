"""What residents and their contacts read about 見守り when they did not ask: pushes, in the reader's language."""
from __future__ import annotations

from datetime import datetime

from bot.flows.postbacks import WatchTap, encode
from bot.i18n import N_, Translator
from bot.messaging.build import postback, text
from bot.models import Resident
from bot.models.watch import WatchSlot

ANSWER_LABELS = {
    WatchSlot.FINE: N_("元気です"),
    WatchSlot.WORRIED: N_("少し心配なことがある"),
    WatchSlot.TALK: N_("話したい"),
}


class WatchNotices:
    """Builds the 見守り messages for one reader."""

    def __init__(self, t: Translator) -> None:
        self.t = t

    def answer_chips(self) -> list[dict]:
        return [postback(self.t._(label), encode(WatchTap.ANSWER, answer), self.t._(label))
                for answer, label in ANSWER_LABELS.items()]

    def check_in(self) -> list[dict]:
        return [text(self.t._("「つなぐ」の見守りです。お元気ですか？下のボタンから選んでください。"), self.answer_chips())]

    def reminder(self) -> list[dict]:
        return [text(self.t._("見守りのお知らせです。まだお返事がありません。お元気ですか？下のボタンから選んでください。"),
                     self.answer_chips())]

    def no_answer(self, resident: Resident) -> list[dict]:
        """To a contact: the resident has not answered today (「ご登録の方」 without a LINE name)."""
        if resident.display_name:
            body = self.t._("{name}さんから今日の返事がありません。ご様子を確かめていただけますか。", name=resident.display_name)
        else:
            body = self.t._("見守りにご登録の方から今日の返事がありません。ご様子を確かめていただけますか。")
        return [text(body)]

    def all_clear(self, resident: Resident) -> list[dict]:
        """To a contact who was alerted: the resident has answered."""
        if resident.display_name:
            body = self.t._("{name}さんから返事がありました。ご協力ありがとうございました。", name=resident.display_name)
        else:
            body = self.t._("見守りにご登録の方から返事がありました。ご協力ありがとうございました。")
        return [text(body)]

    def thanks_fine(self) -> str:
        return self.t._("お返事ありがとうございます。安心しました。また様子をうかがいます。")

    def passed_on(self, first_look: datetime | None) -> str:
        """Not fine: the centre was told, and when someone will reply (hours-aware)."""
        if first_look is None:
            return self.t._("お返事ありがとうございます。センターに伝えました。今日のうちに担当者からご連絡します。")
        return self.t._("お返事ありがとうございます。センターに伝えました。{day}に担当者からご連絡します。",
                        day=self.t.format_day(first_look))
