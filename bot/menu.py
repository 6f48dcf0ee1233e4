"""The greeting, the main menu, and answers to anything no flow claims."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.context import EventContext
from bot.i18n import N_
from bot.messaging.build import postback, text


@dataclass(frozen=True)
class MenuItem:
    code: str
    label: str  # a gettext message id
    flow: str
    words: tuple[str, ...]  # typed words that mean this item (NFKC, lower case)


MENU = (
    MenuItem("consult", N_("相談する"), "intake", ("相談", "そうだん", "consult", "help")),
    MenuItem("events", N_("イベント・サロン"), "events", ("イベント", "サロン", "いべんと", "event", "events", "salon")),
    MenuItem("mine", N_("申込の確認"), "signups", ("申込", "申し込み", "もうしこみ", "予約", "booking", "my bookings")),
    MenuItem("language", "言語/Language", "language", ("言語", "げんご", "language", "english", "英語", "日本語")),
)
MENU_WORDS = ("メニュー", "めにゅー", "menu", "はじめ", "最初", "トップ", "ヘルプ")


def menu_chips(ctx: EventContext) -> list[dict]:
    return [postback(ctx._(item.label), f"menu:{item.code}") for item in MENU]


def menu_item(code: str) -> MenuItem | None:
    return next((item for item in MENU if item.code == code), None)


def item_for_text(typed: str) -> MenuItem | None:
    """The menu item a resident's typed words ask for, if they are that short and clear."""
    word = unicodedata.normalize("NFKC", typed).strip().lower()
    if len(word) > 20:
        return None
    for item in MENU:
        if word == ctx_free_label(item) or any(w in word for w in item.words):
            return item
    return None


def ctx_free_label(item: MenuItem) -> str:
    return unicodedata.normalize("NFKC", item.label).lower()


def asks_for_menu(typed: str) -> bool:
    word = unicodedata.normalize("NFKC", typed).strip().lower()
    return any(w in word for w in MENU_WORDS) and len(word) <= 12


def greeting(ctx: EventContext) -> list[dict]:
    """Welcome a resident who (re)added the account, and say what the bot does."""
    name = ctx.resident.display_name if ctx.resident and ctx.resident.display_name else None
    hello = ctx._("{name}さん、友だち追加ありがとうございます。", name=name) if name else ctx._("友だち追加ありがとうございます。")
    body = ctx._(
        "{city}の相談窓口「つなぐ」です。\n"
        "・暮らしの困りごとの相談（どなたのことでも、どんな内容でも受け付けます）\n"
        "・地域のサロンやイベントの案内と申し込み\n"
        "ができます。下のボタンから選んでください。",
        city=ctx.profile.name,
    )
    return [text(f"{hello}\n{body}", menu_chips(ctx))]


def show_menu(ctx: EventContext) -> list[dict]:
    return [text(ctx._("ご用件を選んでください。"), menu_chips(ctx))]


def fallback(ctx: EventContext) -> list[dict]:
    """Answer words no flow understood: never silence."""
    return [
        text(
            ctx._(
                "すみません、うまく読み取れませんでした。\n"
                "下のボタンから選ぶか、「相談」「イベント」のように送ってください。"
            ),
            menu_chips(ctx),
        )
    ]


def contact_details(ctx: EventContext) -> list[dict]:
    """How to reach the city by phone, for when the resident would rather call."""
    coordinator = ctx.profile.coordinator
    lines = [ctx._("お電話でも相談を受け付けています。")]
    lines.append(f"{coordinator.name}\n☎ {coordinator.phone}（{coordinator.hours}）")
    return [text("\n".join(lines), menu_chips(ctx))]


def apology(ctx: EventContext) -> list[dict]:
    """Said when something on our side failed while handling the resident's message."""
    coordinator = ctx.profile.coordinator
    return [
        text(
            ctx._(
                "申し訳ありません。システムの不具合で、いまのメッセージを処理できませんでした。"
                "お手数ですが、もう一度お送りください。\n"
                "お急ぎの場合はお電話ください：{phone}",
                phone=coordinator.phone,
            ),
            menu_chips(ctx),
        )
    ]
