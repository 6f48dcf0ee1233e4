"""言語/Language: the resident chooses the language the bot speaks.

    choosing --choose--> done

Diagram: language.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

from bot.flows.base import Flow, Step
from bot.flows.postbacks import LanguageTap, Postback, encode
from bot.i18n import LANGUAGE_NAMES, SUPPORTED_LOCALES
from bot.messaging.build import postback, text
from bot.tasks.richmenu import sync_rich_menu
from bot.understanding.answers import answer_word
from bot.understanding.normalise import normalise

STATES = ["choosing", "done"]
TRANSITIONS = [
    {"trigger": "choose", "source": "choosing", "dest": "done", "before": "store_locale"},
]
# What each state asks, and the taps and words it reads: LanguageFlow.steps, at the end of the class.

# What residents type for each language, besides its own name.
TYPED_NAMES = {
    "ja": {"ja", "japanese", "日本語", "にほんご", "nihongo", "日语", "日文", "tiếng nhật", "tieng nhat"},
    "ja_Hira": {"やさしい日本語", "やさしいにほんご", "優しい日本語", "易しい日本語", "やさしい にほんご",
                "easy japanese", "simple japanese", "plain japanese", "简单日语", "简单的日语",
                "tiếng nhật dễ hiểu", "tieng nhat de hieu"},
    "en": {"en", "english", "英語", "えいご", "eigo", "英语", "英文", "tiếng anh", "tieng anh"},
    "zh_Hans": {"zh", "chinese", "中文", "中国語", "ちゅうごくご", "汉语", "中文简体", "简体中文", "簡体中文",
                "普通话", "中国话", "tiếng trung", "tieng trung", "zhongwen"},
    "vi": {"vi", "vietnamese", "ベトナム語", "べとなむご", "越南语", "越南文", "tiếng việt", "tieng viet",
           "tiengviet"},
}


def locale_from_text(typed: str) -> str | None:
    """The language named, alone or politely (「英語でお願いします」「Tiếng Việt ạ」)."""
    for word in (normalise(typed, spaces=True), answer_word(typed)):
        for locale in SUPPORTED_LOCALES:
            names = (*TYPED_NAMES.get(locale, ()), LANGUAGE_NAMES[locale])
            if word in {normalise(name, spaces=True) for name in names} | {normalise(name) for name in names}:
                return locale
    return None


class LanguageFlow(Flow):
    name = "language"
    taps = LanguageTap
    states = STATES
    transitions = TRANSITIONS
    initial = "choosing"

    def on_begin(self) -> None:
        self.ask_language()

    def ask_language(self) -> None:
        """Asks which language to use."""
        chips = [postback(LANGUAGE_NAMES[code], encode(LanguageTap.SET, code)) for code in SUPPORTED_LOCALES]
        self.ctx.answer(text(self._("どの言語で表示しますか？\nWhich language would you like?"), chips))

    def tap_language(self, tap: Postback) -> bool:
        if tap.action == LanguageTap.SET and tap.arg in SUPPORTED_LOCALES:
            self.choose(locale=tap.arg)
            return True
        return False

    def type_language(self, typed: str) -> bool:
        locale = locale_from_text(typed)
        if locale is None:
            return False
        self.choose(locale=locale)
        return True

    def store_locale(self, locale: str) -> None:
        """Stores the chosen language; the worker then shows the rich menu in it."""
        self.ctx.resident.locale = locale
        self.ctx.enqueue_after_commit(sync_rich_menu, self.ctx.resident.line_user_id)

    def on_enter_done(self, locale: str) -> None:
        from bot.flows.menu import menu_chips

        self.ctx.answer(
            text(self._("表示する言語を日本語にしました。"), menu_chips(self.ctx))
        )

    steps = {"choosing": Step(ask=ask_language, on_tap=tap_language, on_text=type_language)}
