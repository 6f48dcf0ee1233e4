"""Routing: which desk takes a consultation, and whether it needs the coordinator.

Pure functions of the municipality profile, shared by the intake
conversation and the admin view (when staff re-route a record):

- an area goes to the one centre that covers it (地区保健福祉センター);
- an unknown area goes to the city coordinator's triage queue;
- a household with needs across different fields, family matters
  (8050・ダブルケア), or an urgent situation is a candidate for
  多機関協働 (the coordinator), with the reasons spelled out for staff.

A flag is stored as a code with what it refers to (category and danger
codes), never as text: :func:`flag_reason` words it in the reading staff
member's language when the record is shown.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import S_
from bot.municipality import Area, Centre, Municipality

# Support fields that do not make a household's needs "several fields" by
# themselves: 「わからない」 says nothing about the field, and small everyday
# help (ごみ出し・買物) is arranged alongside any other need by the centre's
# 生活支援コーディネーター, without other agencies.
NOT_A_SEPARATE_FIELD = frozenset({"unknown", "daily_help"})


class Flag:
    """Codes of the flags a record carries; :func:`flag_reason` words them for staff."""

    MULTI_FIELD = "multi_field"
    FAMILY = "family"
    URGENT = "urgent"
    DANGER = "danger"
    OUTREACH = "outreach"

    # Any of these makes the record a candidate for 多機関協働.
    COLLABORATION = frozenset({MULTI_FIELD, FAMILY, URGENT, DANGER})


# Why a record is urgent (the ``cause`` of an URGENT flag).
URGENT_CAUSES = {
    "danger": S_("緊急：危険のサインあり"),
    "now": S_("緊急：今すぐの連絡を希望"),
    "staff": S_("緊急：職員の判断"),
}
# What staff read for each danger kind (see bot.services.safety).
DANGER_LABELS = {
    "suicide": S_("自殺の危険"),
    "violence": S_("暴力"),
    "dv": S_("DV"),
    "child_abuse": S_("子どもへの虐待"),
    "medical": S_("急病・けが"),
}


def flag(code: str, **refers_to: Any) -> dict[str, Any]:
    return {"code": code, **refers_to}


def flag_reason(item: dict[str, Any], profile: Municipality, translate: Callable[[str], str],
                locale: str = "ja") -> str:
    """The reason for a flag in the reader's language: ``translate`` (gettext) and ``locale`` are the staff member's.

    Records flagged before flags were stored as codes carry their reason as
    Japanese text; it is shown as it is.
    """
    code = item.get("code")
    comma = translate(S_("、"))
    if code == Flag.MULTI_FIELD and "categories" in item:
        labels = comma.join(profile.category_label(c, locale) for c in item["categories"])
        return translate(S_("複数の分野にまたがる相談（{labels}）")).format(labels=labels)
    if code == Flag.FAMILY:
        return translate(S_("世帯全体の支援が必要な可能性（8050・ダブルケアなど家族のこと）"))
    if code == Flag.DANGER and "kinds" in item:
        kinds = comma.join(translate(DANGER_LABELS[k]) if k in DANGER_LABELS else k for k in item["kinds"])
        return translate(S_("危険のサインがあるメッセージ（{kinds}）")).format(kinds=kinds)
    if code == Flag.URGENT and item.get("cause") in URGENT_CAUSES:
        return translate(URGENT_CAUSES[item["cause"]])
    if code == Flag.OUTREACH:
        return translate(S_("近所・知り合いの方からの気がかり（アウトリーチ：訪問での確認を検討）"))
    return str(item.get("reason") or code)


def centre_for_area(profile: Municipality, area_code: str | None) -> Centre | None:
    """The district centre that takes consultations from an area (地区保健福祉センター).

    None when no area is given or the profile no longer has it (a merged
    district): the coordinator then decides, so nothing gets lost. Every
    place that needs an area's desk asks here, so the bot, the admin view and
    the events cannot disagree.
    """
    area = area_of(profile, area_code)
    if area is None:
        return None
    # The profile is checked on loading: each area is covered by exactly one centre.
    return next(centre for centre in profile.centres if area.code in centre.areas)


def area_of(profile: Municipality, area_code: str | None) -> Area | None:
    """The profile's area with this code; None for no code or an area the profile no longer has."""
    if not area_code:
        return None
    try:
        return profile.area(area_code)
    except KeyError:
        return None


def is_collaboration_candidate(flags: Iterable[dict]) -> bool:
    """True when any flag asks for the coordinator (多機関協働の候補)."""
    return any(item.get("code") in Flag.COLLABORATION for item in flags)


@dataclass(frozen=True)
class Route:
    """Where a record goes: a centre, or the coordinator's triage queue."""

    centre: Centre | None
    area: Area | None
    flags: list[dict[str, Any]] = field(default_factory=list)

    @property
    def to_triage(self) -> bool:
        return self.centre is None

    @property
    def centre_code(self) -> str | None:
        return self.centre.code if self.centre else None

    @property
    def collaboration_candidate(self) -> bool:
        return is_collaboration_candidate(self.flags)


class Router:
    """Routes consultations by one city's profile."""

    def __init__(self, profile: Municipality) -> None:
        self.profile = profile

    def route(
        self,
        area_code: str | None,
        categories: Iterable[str] = (),
        *,
        urgency: str | None = None,
        urgent: bool = False,
        subject: str | None = None,
        danger_kinds: Iterable[str] = (),
    ) -> Route:
        """Return the desk for an area (None: triage) and the flags staff should see."""
        area = area_of(self.profile, area_code)
        centre = centre_for_area(self.profile, area_code)
        flags = self.flags(categories, urgency=urgency, urgent=urgent, subject=subject, danger_kinds=danger_kinds)
        return Route(centre, area, flags)

    def centre(self, centre_code: str | None) -> Centre | None:
        """The centre staff re-route to; None means the coordinator. KeyError for an unknown code."""
        return None if centre_code is None else self.profile.centre(centre_code)

    def desk_name(self, centre_code: str | None, locale: str = "ja") -> str:
        """The name residents (in their language) and staff see for a record's desk."""
        centre = self.centre(centre_code)
        return centre.place_in(locale) if centre else self.profile.coordinator.text_in(locale)

    def desk_contact(self, centre_code: str | None, locale: str = "ja") -> tuple[str, str, str]:
        """(name, phone, hours) of the desk in the resident's language, for telling them whom to call."""
        centre = self.centre(centre_code)
        if centre is not None:
            return centre.place_in(locale), centre.phone, centre.text_in(locale, "hours")
        coordinator = self.profile.coordinator
        return coordinator.text_in(locale), coordinator.phone, coordinator.text_in(locale, "hours")

    def flags(
        self,
        categories: Iterable[str],
        *,
        urgency: str | None = None,
        urgent: bool = False,
        subject: str | None = None,
        danger_kinds: Iterable[str] = (),
    ) -> list[dict[str, Any]]:
        """Flags with what they refer to: 多機関協働 candidates first, then the outreach lead.

        A record is urgent when the resident wants contact now (``urgency ==
        "now"``), when a message signalled danger, or when staff said so
        (``urgent=True``).
        """
        chosen = [self._category(code) for code in dict.fromkeys(categories)]
        chosen = [category for category in chosen if category is not None]
        flags = []
        fields = {category.field for category in chosen} - NOT_A_SEPARATE_FIELD
        if len(fields) >= 2:
            flags.append(flag(Flag.MULTI_FIELD, categories=[c.code for c in chosen if c.field in fields]))
        if any(c.field == "family" for c in chosen):
            flags.append(flag(Flag.FAMILY))
        kinds = sorted(set(danger_kinds))
        if kinds:
            flags.append(flag(Flag.DANGER, kinds=kinds))
        if kinds:
            flags.append(flag(Flag.URGENT, cause="danger"))
        elif urgency == "now":
            flags.append(flag(Flag.URGENT, cause="now"))
        elif urgent:
            flags.append(flag(Flag.URGENT, cause="staff"))
        if subject == "neighbour":
            flags.append(flag(Flag.OUTREACH))
        return flags

    def _category(self, code: str):  # noqa: ANN202
        try:
            return self.profile.category(code)
        except KeyError:
            return None

