"""The greeting, the main menu, and answers to anything no flow claims."""
from __future__ import annotations

from dataclasses import dataclass

from bot.flows.context import EventContext
from bot.flows.postbacks import CallbackTap, MenuTap, Tap, encode
from bot.i18n import N_
from bot.messaging.build import postback, text
from bot.services.hours import OpeningHours
from bot.services.routing import centre_for_area
from bot.understanding.normalise import normalise


@dataclass(frozen=True)
class MenuItem:
    code: MenuTap  # what its chip and rich menu tile send: menu:<code>
    label: str  # a gettext message id
    flow: str
    words: tuple[str, ...]  # typed words that mean this item (compared normalised: bot/understanding/normalise.py)


MENU = (
    MenuItem(MenuTap.CONSULT, N_("相談する"), "intake", ("相談", "そうだん", "consult", "help", "咨询", "商量", "tư vấn",
                                                        "tu van")),
    MenuItem(MenuTap.EVENTS, N_("イベント・サロン"), "events", ("イベント", "サロン", "いべんと", "event", "events", "salon",
                                                            "活动", "沙龙", "sự kiện", "hoạt động", "su kien")),
    MenuItem(MenuTap.MINE, N_("申込の確認"), "signups", ("申込", "申し込み", "もうしこみ", "予約", "booking", "my bookings",
                                                    "我的报名", "报名确认", "预约", "đăng ký của tôi", "đã đăng ký")),
    MenuItem(MenuTap.LANGUAGE, "言語/Language", "language", ("言語", "げんご", "language", "english", "英語", "日本語",
                                                             "语言", "中文", "ngôn ngữ", "tiếng việt", "ngon ngu")),
)
# Items on the rich menu but not among the quick-reply chips.
RICH_MENU_ONLY = (
    MenuItem(MenuTap.STATUS, N_("相談の状況"), "status", ("相談の状況", "受付番号", "状況", "そうだんのじょうきょう", "咨询状况",
                                                       "受理编号", "tình trạng tư vấn")),
    MenuItem(MenuTap.PHONE, N_("電話で相談"), "", ("電話", "でんわ", "phone", "call", "电话", "điện thoại")),
)
MENU_WORDS = ("メニュー", "めにゅー", "menu", "はじめ", "最初", "トップ", "ヘルプ", "菜单", "主菜单", "thực đơn", "trang chủ")


def menu_chips(ctx: EventContext) -> list[dict]:
    return [postback(ctx._(item.label), encode(item.code)) for item in MENU]


def menu_item(code: Tap | None) -> MenuItem | None:
    return next((item for item in MENU + RICH_MENU_ONLY if item.code == code), None)


def item_for_text(typed: str) -> MenuItem | None:
    """The menu item a resident's typed words ask for, if they are that short and clear."""
    word = normalise(typed, spaces=True)
    if len(word) > 20:
        return None
    items = RICH_MENU_ONLY + MENU  # the more specific words (相談の状況) before 相談
    exact = next((item for item in items if word == normalise(item.label, spaces=True)), None)
    return exact or next((item for item in items if any(normalise(w, spaces=True) in word for w in item.words)), None)


def asks_for_menu(typed: str) -> bool:
    word = normalise(typed, spaces=True)
    return any(normalise(w, spaces=True) in word for w in MENU_WORDS) and len(word) <= 12


def greeting(ctx: EventContext) -> list[dict]:
    """Welcome a resident who (re)added the account, and say what the bot does."""
    name = ctx.resident.display_name if ctx.resident and ctx.resident.display_name else None
    hello = ctx._("{name}さん、友だち追加ありがとうございます。", name=name) if name else ctx._("友だち追加ありがとうございます。")
    body = ctx._(
        "{city}の相談窓口「つなぐ」です。\n"
        "・暮らしの困りごとの相談（どなたのことでも、どんな内容でも受け付けます）\n"
        "・地域のサロンやイベントの案内と申し込み\n"
        "ができます。下のボタンから選んでください。",
        city=ctx.profile.text_in(ctx.t.locale),
    )
    return [text(f"{hello}\n{body}", menu_chips(ctx))]


def welcome_back(ctx: EventContext) -> list[dict]:
    """Greet a resident who unblocked the account: briefly, as someone we know."""
    name = ctx.resident.display_name if ctx.resident and ctx.resident.display_name else None
    hello = ctx._("{name}さん、おかえりなさい。", name=name) if name else ctx._("おかえりなさい。")
    return [text(hello + "\n" + ctx._("ご用件があれば、下のボタンから選んでください。"), menu_chips(ctx))]


def show_menu(ctx: EventContext, lead: str | None = None) -> list[dict]:
    """The menu's chips, after ``lead`` (what an ended flow had to say) in the same bubble."""
    return [text("\n".join(filter(None, [lead, ctx._("ご用件を選んでください。")])), menu_chips(ctx))]


def hello(ctx: EventContext) -> list[dict]:
    """Answer 「こんにちは」 with a short word of welcome and the menu."""
    return [text(ctx._("こんにちは。「つなぐ」です。困りごとは、そのまま書いて送ってください。下のボタンからも選べます。"),
                 menu_chips(ctx))]


def welcome(ctx: EventContext) -> list[dict]:
    """Answer 「ありがとう」 kindly, with the menu."""
    return [text(ctx._("どういたしまして。またいつでも声をかけてください。"), menu_chips(ctx))]


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
    """How to reach the city by phone, with each desk's hours: the resident's own centre when we know their area.

    Desks that share a number are shown once under it, not once each.
    """
    profile, locale = ctx.profile, ctx.t.locale
    own = centre_for_area(profile, ctx.resident.area_code if ctx.resident else None)
    centres = [own] if own is not None else list(profile.centres)
    numbers: dict[tuple[str, str], list[str]] = {}  # (phone, hours) -> the desks answering it
    for centre in centres:
        numbers.setdefault((centre.phone, centre.text_in(locale, "hours")), []).append(centre.place_in(locale))
    lines = [ctx._("お電話でも相談を受け付けています。")]
    if len(numbers) == 1 and len(centres) > 1:
        (phone, hours), _desks = next(iter(numbers.items()))
        lines += [ctx._("☎ {phone}（{hours}）", phone=phone, hours=hours),
                  ctx._("どの地区のご相談も、この番号で受け付けています。お住まいの地区をお伝えください。")]
    else:
        comma = ctx._("、")
        lines += ["・" + comma.join(desks) + " " + ctx._("☎ {phone}（{hours}）", phone=phone, hours=hours)
                  for (phone, hours), desks in numbers.items()]
    coordinator = profile.coordinator
    if coordinator.phone not in {phone for phone, _hours in numbers}:
        lines.append(ctx._("どこに相談すればよいかわからないときは：{name} ☎ {phone}",
                           name=coordinator.text_in(locale), phone=coordinator.phone))
    opening = OpeningHours.of(ctx.config, profile)
    desk = own or coordinator
    if not opening.is_open(desk):
        opens = opening.next_opening(desk)
        lines.append(ctx._("いまは受付時間外です。次は{day} {time}からです。", day=ctx.t.format_day(opens),
                           time=ctx.t.format_time(opens)))
    return [text("\n".join(lines), [callback_chip(ctx), *menu_chips(ctx)])]


def callback_chip(ctx: EventContext) -> dict:
    """「電話してほしい」: be called back instead of calling (bot/flows/callback.py)."""
    label = ctx._("電話してほしい")
    return postback(label, encode(CallbackTap.START), label)


def apology(ctx: EventContext) -> list[dict]:
    """Said when something on our side failed while handling the resident's message."""
    coordinator = ctx.profile.coordinator
    return [
        text(
            ctx._(
                "すみません。システムの不具合で、いまのメッセージを処理できませんでした。"
                "お手数ですが、もう一度お送りください。\n"
                "お急ぎの場合はお電話ください：{phone}",
                phone=coordinator.phone,
            ),
            menu_chips(ctx),
        )
    ]
