"""A city's structure — areas, centres, coordinator, categories, hotlines — loaded from TOML.

Each city is one data file in ``bot/profiles/``; a new city needs no code.
A broken file fails on load with a :class:`ProfileError` naming the file and
the field, e.g. ``iwaki.toml: centres[2].areas: unknown area 'foo'``.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Sequence
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal, TypeVar, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.services.phone import format_phone
from bot.text import fold

PROFILES_DIR = Path(__file__).parent / "profiles"

SupportField = Literal["elderly", "disability", "children", "livelihood", "work", "housing",
                       "health", "hikikomori", "family", "violence", "daily_help", "unknown"]
HotlineKind = Literal["emergency_medical", "police", "suicide", "child_abuse",
                      "dv", "mental_health", "consumer", "disaster"]
# The crisis path must always have somewhere to send a resident.
REQUIRED_HOTLINE_KINDS: tuple[HotlineKind, ...] = ("emergency_medical", "suicide")

_PHONE = (
    r"110|118|119|171|188|189|\#\d{4}"  # national three-digit numbers, short codes such as #7119
    r"|0120-\d{3}-\d{3}|0570-\d{3}-\d{3}|0800-\d{3}-\d{4}"  # free dial, navi dial
    r"|0[5789]0-\d{4}-\d{4}"  # mobile and IP phones: 11 digits
    r"|(?=.{12}$)0\d{1,4}-\d{1,4}-\d{4}"  # landlines: 10 digits in three groups
)
# Words residents add around a place name: 平町, 平地区, 平の方です.
_SUFFIXES = ("です", "の方", "のほう", "方面", "あたり", "辺り", "周辺", "地区", "地域", "エリア", "町")


class ProfileError(Exception):
    """A municipality profile is missing or invalid; the message names the file and the field."""


def _matching(pattern: str, expected: str) -> AfterValidator:
    """Validate a whole string against ``pattern``, saying in words what was expected."""
    regex = re.compile(pattern)

    def check(value: str) -> str:
        if not regex.fullmatch(value):
            raise ValueError(f"{value!r} is not {expected}")
        return value

    return AfterValidator(check)


Code = Annotated[str, _matching(r"[a-z][a-z0-9_]*", "a code of lowercase letters, digits and _")]
Text = Annotated[str, Field(min_length=1)]
def _written_as_shown(number: str) -> str:
    """A subscriber's number (0…) is written the way the bot shows every number (bot/services/phone.py)."""
    if number.startswith("0") and format_phone(number) != number:
        raise ValueError(f"{number!r} is grouped by its area code as {format_phone(number)!r}")
    return number


Phone = Annotated[str, _matching(_PHONE, "a Japanese phone number such as 0246-22-1111, 0120-279-338 or 189"),
                  AfterValidator(_written_as_shown)]
Language = Annotated[str, _matching(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", "a language code such as 'ja' or 'en'")]
# Japan's bounds, so swapped or mistyped coordinates are caught.
Latitude = Annotated[float, Field(ge=20, le=46)]
Longitude = Annotated[float, Field(ge=122, le=154)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# The resident languages a profile can translate its names into (Japanese is the text itself).
TranslatedLocale = Literal["ja_Hira", "en", "zh_Hans", "vi"]


class _Translated(_Model):
    """Something residents read whose texts (name, hours...) may be translated in the profile.

    ``translations = { en = { name = "Onahama" }, vi = { name = "Onahama" } }``: a
    missing language or field falls back to the Japanese text.
    """

    translations: dict[TranslatedLocale, dict[str, Text]] = {}
    _translatable: tuple[str, ...] = ("name",)

    @model_validator(mode="after")
    def _check_translations(self) -> _Translated:
        for locale, fields in self.translations.items():
            for field in fields:
                if field not in self._translatable:
                    raise ValueError(f"translations.{locale}.{field}: not a translatable field "
                                     f"(translatable: {', '.join(self._translatable)})")
        return self

    def text_in(self, locale: str, field: str = "name") -> str:
        """The field in the resident's language; the Japanese text when there is no translation."""
        return self.translations.get(locale, {}).get(field) or getattr(self, field)  # type: ignore[call-overload]

    def place_in(self, locale: str, field: str = "name", limit: int | None = None) -> str:
        """A place name residents can read and still match to Japanese signs: "Onahama 小名浜".

        Japanese alone when there is no translation; within ``limit`` characters
        (a quick-reply label) the translation alone when both do not fit.
        """
        japanese, translated = getattr(self, field), self.text_in(locale, field)
        if translated == japanese:
            return japanese[:limit] if limit else japanese
        both = f"{japanese}（{translated}）" if locale == "ja_Hira" else f"{translated} {japanese}"
        if limit is None or len(both) <= limit:
            return both
        return translated[:limit]


class Area(_Translated):
    """A district residents name when asked where they live (旧市町村圏域, 地区)."""

    code: Code
    name: Text
    kana: Text
    aliases: list[Text] = []
    lat: Latitude
    lon: Longitude


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)  # in date.weekday() order
MonthDay = Annotated[str, _matching(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", "a month and day such as '12-29'")]


class Opening(_Model):
    """When a desk answers: its days and its opening and closing time (開庁時間), e.g. weekdays 8:30–17:15.

    The city's closed days (:class:`Calendar`) come on top of these days.
    """

    days: list[Weekday] = Field(min_length=1)
    opens: time
    closes: time

    @model_validator(mode="after")
    def _check_times(self) -> Opening:
        if self.opens >= self.closes:
            raise ValueError(f"opens {self.opens:%H:%M} is not before closes {self.closes:%H:%M}")
        if self.opens >= time(12):
            # The receipt tells residents their message is read in the morning (午前中) of the next opening day.
            raise ValueError(f"opens {self.opens:%H:%M}: a desk must open before noon (the receipt promises the morning)")
        return self

    def is_open_day(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.days


class _Desk(_Translated):
    """A desk residents can call: its phone, the hours shown to them, and the hours the bot reckons with."""

    phone: Phone
    # Where staff alerts go (an urgent record, a danger message); never shown to residents.
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    hours: Text  # as residents read it ("平日 8:30〜17:15"), per language in ``translations``
    opening: Opening

    @model_validator(mode="after")
    def _hours_say_the_opening(self) -> _Desk:
        """The shown hours and the reckoned ones cannot disagree: each text names the opening and closing time."""
        times = [f"{t.hour}:{t.minute:02d}" for t in (self.opening.opens, self.opening.closes)]
        texts = {"hours": self.hours, **{f"translations.{locale}.hours": fields["hours"]
                                         for locale, fields in self.translations.items() if "hours" in fields}}
        for where, shown in texts.items():
            missing = [t for t in times if not re.search(rf"(?<![\d:]){t}(?!\d)", shown.replace(f"0{t}", t))]
            if missing:
                raise ValueError(f"{where}: {shown!r} does not say the opening time {' and '.join(missing)}")
        return self


class Centre(_Desk):
    """A consultation desk that takes any consultation from the areas it covers."""

    _translatable = ("name", "short_name", "hours", "address")

    code: Code
    name: Text
    short_name: Text
    address: Text
    areas: list[Code] = Field(min_length=1)


class Coordinator(_Desk):
    """The city office that takes escalated complex cases (多機関協働)."""

    _translatable = ("name", "hours")

    name: Text


class Calendar(_Model):
    """The days every desk of the city is closed besides its weekly days off (閉庁日)."""

    national_holidays: bool = True  # 国民の祝日と振替休日 (the jpholiday library)
    closed: list[MonthDay] = ["12-29", "12-30", "12-31", "01-01", "01-02", "01-03"]  # 年末年始 by default


class Category(_Translated):
    """A consultation category offered to residents, mapped to a support field."""

    _translatable = ("label", "chip")

    code: Code
    label: Text
    field: SupportField
    label_en: Text
    chip: Text | None = None  # a shorter label for buttons, where ``label`` would not fit

    def text_in(self, locale: str, field: str = "label") -> str:
        if locale == "en" and field == "label" and "label" not in self.translations.get("en", {}):
            return self.label_en
        return super().text_in(locale, field)

    def chip_in(self, locale: str) -> str:
        """The label on a button in the resident's language: the short form where one is given."""
        label = self.text_in(locale)
        if chip := self.translations.get(locale, {}).get("chip"):
            return chip
        return (self.chip or label) if label == self.label else label


class Outcome(_Model):
    """How a consultation ended (終結の理由), chosen by staff when they close the record; staff read it."""

    code: Code
    label: Text
    label_en: Text
    # A duplicate or a message sent by mistake may be closed straight from 新規, without triage.
    from_new: bool = False

    def text_in(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label


class Hotline(_Translated):
    """A number the bot gives when someone may be in danger."""

    _translatable = ("name", "hours")

    code: Code
    name: Text
    number: Phone
    hours: Text
    kinds: list[HotlineKind] = Field(min_length=1)
    # Resident languages the line also answers in; none: Japanese only (residents are told so).
    languages: list[TranslatedLocale] = Field(default_factory=list)


class Retention(_Model):
    """How long a finished consultation is kept (保存期間), and what happens to it then.

    The consent text residents agree to states ``years``; the daily retention
    task (bot/tasks/retention.py) applies it. ``anonymise`` keeps the codes the
    figures count (centre, categories, month, status) and removes everything
    else; ``delete`` removes the record entirely.
    """

    years: int = Field(ge=1, le=30)
    mode: Literal["anonymise", "delete"] = "anonymise"


class NoticeTopic(_Translated):
    """Something residents may ask to hear about (お知らせの種類)."""

    code: Code
    name: Text


def _default_topics() -> list[NoticeTopic]:
    topics = [
        ("salons", "サロン・イベント", "Salons and events", "沙龙和活动", "Salon và sự kiện", "さろん・いべんと"),
        ("health", "健康・介護", "Health and care", "健康和护理", "Sức khỏe và chăm sóc", "けんこう・かいご"),
        ("children", "子育て", "Raising children", "育儿", "Nuôi dạy con", "こそだて"),
        ("disaster", "防災", "Disaster preparedness", "防灾", "Phòng chống thiên tai", "さいがいの そなえ"),
        ("consultation", "相談会の日", "Consultation days", "咨询会日期", "Ngày tư vấn", "そうだんかいの ひ"),
    ]
    return [NoticeTopic(code=code, name=name, translations={"en": {"name": en}, "zh_Hans": {"name": zh},
                                                             "vi": {"name": vi}, "ja_Hira": {"name": hira}})
            for code, name, en, zh, vi, hira in topics]


class NoticeRules(_Model):
    """お知らせ: the topics residents choose from, and the limits on what staff send."""

    topics: list[NoticeTopic] = Field(default_factory=_default_topics, min_length=1)
    # A notice to more residents than this needs a second staff member's approval.
    approval_over: int = Field(default=500, ge=0)
    # At most this many non-essential notices a resident receives in seven days.
    weekly_cap: int = Field(default=3, ge=1)


class Watch(_Model):
    """見守り: how gently silence after a check-in escalates, and when no push may go out (quiet hours)."""

    reminder_after_hours: int = Field(default=6, ge=1, le=72)  # no answer -> one reminder to the resident
    contacts_after_hours: int = Field(default=6, ge=1, le=72)  # after the reminder -> the LINE contacts
    staff_after_hours: int = Field(default=12, ge=1, le=168)  # after the contacts -> a task for centre staff
    quiet_from: int = Field(default=21, ge=0, le=23)  # local hour: no push from here ...
    quiet_until: int = Field(default=8, ge=0, le=23)  # ... until here


# 住民支え合い: the small help residents ask for (生活支援体制整備事業の例).
HELP_TASKS = ("call", "shopping", "outing", "garden", "rubbish", "cleaning", "windows", "bulb",
              "laundry", "cooking", "heavy", "circular")
ServiceKind = Literal["mobile_shop", "delivery", "transport", "group", "other"]


class LocalServiceEntry(_Translated):
    """A 生活支援サービス residents can use directly (移動販売, 配達, 移送, a group)."""

    _translatable = ("name", "description")

    name: Text
    kind: ServiceKind
    areas: list[Code] = []  # none: the whole city
    description: str = ""
    phone: Phone | None = None


class MutualAid(_Model):
    """住民支え合い: which help can be asked, the points scheme, and when reminders go out."""

    tasks: list[Literal[HELP_TASKS]] = list(HELP_TASKS)  # type: ignore[valid-type]
    scheme_name: Text = "シニアボランティアポイント"
    points_per_hour: int = Field(default=100, ge=1)  # TODO(city): confirm the scheme's rate
    reminder_time: time = time(18, 0)  # the day before, in the city's time zone
    check_after_days: int = Field(default=2, ge=1)  # 「お手伝いはいかがでしたか？」
    services: list[LocalServiceEntry] = []


class Municipality(_Translated):
    """One city's profile, with the look-ups the bot and the admin view share."""

    code: Code
    name: Text
    name_en: Text
    # How far from the nearest area's centroid a shared location may be and still be
    # read as that area; farther is outside the city (a son sharing his own place in Tokyo).
    max_distance_km: float = Field(gt=0)
    receipt_prefix: Annotated[str, _matching(r"[A-Z]{2,4}", "2-4 uppercase ASCII letters")]
    timezone: Literal["Asia/Tokyo"] = "Asia/Tokyo"  # Japan has one time zone
    languages: list[Language] = Field(min_length=1)
    areas: list[Area] = Field(min_length=1)
    centres: list[Centre] = Field(min_length=1)
    coordinator: Coordinator
    calendar: Calendar = Calendar()
    categories: list[Category] = Field(min_length=1)
    hotlines: list[Hotline] = Field(min_length=1)
    retention: Retention = Retention(years=5)
    outcomes: list[Outcome] = Field(min_length=1)
    notices: NoticeRules = Field(default_factory=NoticeRules)
    watch: Watch = Watch()
    mutual_aid: MutualAid = MutualAid()
    # Figures shown at meetings hide counts from 1 to this minus one (介護DB's rule: under 10), bot/services/figures.py.
    figures_threshold: int = Field(default=10, ge=2, le=100)

    @model_validator(mode="after")
    def _check_structure(self) -> Municipality:
        """Check what single fields cannot: unique codes, and each area covered by exactly one centre."""
        problems = [
            *_duplicates("areas", self.areas, "code"),
            *_duplicates("areas", self.areas, "name"),
            *_duplicates("centres", self.centres, "code"),
            *_duplicates("categories", self.categories, "code"),
            *_duplicates("hotlines", self.hotlines, "code"),
            *_duplicates("outcomes", self.outcomes, "code"),
        ]
        owners: dict[str, dict[str, None]] = {area.code: {} for area in self.areas}  # ordered set of centres
        for i, centre in enumerate(self.centres):
            for code in centre.areas:
                if code in owners:
                    owners[code][centre.code] = None
                else:
                    problems.append(f"centres[{i}].areas: unknown area {code!r}")
        for i, area in enumerate(self.areas):
            if not owners[area.code]:
                problems.append(f"areas[{i}]: area {area.code!r} is covered by no centre")
            elif len(owners[area.code]) > 1:
                problems.append(f"areas[{i}]: area {area.code!r} is covered by several centres: "
                                + ", ".join(owners[area.code]))
        if not any(category.field == "unknown" for category in self.categories):
            problems.append("categories: no category with field 'unknown' (「わからない」 must always be a choice)")
        for kind in REQUIRED_HOTLINE_KINDS:
            if not self.hotlines_for(kind):
                problems.append(f"hotlines: no hotline of kind {kind!r}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def area(self, code: str) -> Area:
        """Return the area with this code; KeyError if there is none."""
        return _by_code(self.areas, code, "area")

    def centre(self, code: str) -> Centre:
        """Return the centre with this code; KeyError if there is none."""
        return _by_code(self.centres, code, "centre")

    def category(self, code: str) -> Category:
        """Return the consultation category with this code; KeyError if there is none."""
        return _by_code(self.categories, code, "category")

    def outcome(self, code: str) -> Outcome:
        """Raises KeyError for an unknown code."""
        return _by_code(self.outcomes, code, "outcome")

    def outcome_label(self, code: str, locale: str) -> str:
        """The outcome's label for staff; the code itself for an outcome no longer in the profile."""
        try:
            return self.outcome(code).text_in(locale)
        except KeyError:
            return code

    def category_label(self, code: str, locale: str) -> str:
        """The category's label in ``locale``; the code itself for a category no longer in the profile."""
        try:
            return self.category(code).text_in(locale)
        except KeyError:
            return code

    def text_in(self, locale: str, field: str = "name") -> str:
        """The city's name in the resident's language (``name_en`` when English has no translation)."""
        if locale == "en" and field == "name" and "name" not in self.translations.get("en", {}):
            return self.name_en
        return super().text_in(locale, field)

    def nearest_area(self, lat: float, lon: float) -> Area:
        """Return the area whose centroid is closest to a shared location (a suggestion, not a boundary test)."""
        return min(self.areas, key=lambda area: distance_km(lat, lon, area.lat, area.lon))

    def area_near(self, lat: float, lon: float) -> Area | None:
        """The nearest area to a shared location; None when farther than the city reaches (``max_distance_km``)."""
        area = self.nearest_area(lat, lon)
        return area if distance_km(lat, lon, area.lat, area.lon) <= self.max_distance_km else None

    def find_area(self, text: str) -> Area | None:
        """Return the area a resident typed ("平", "たいら", "小名浜町", "平の方"); None if unknown or ambiguous."""
        form = fold(text)
        form = form.removeprefix(fold(self.name)) or form  # いわき市平
        while form:
            matches = [area for area in self.areas if form in {fold(t) for t in (area.name, area.kana, *area.aliases, *(
                area.text_in(locale) for locale in area.translations))}]
            if matches:
                return matches[0] if len(matches) == 1 else None
            # Nothing yet: drop one suffix (平の方です → 平の方 → 平) and try again.
            form = next((form[: -len(s)] for s in _FOLDED_SUFFIXES if form.endswith(s) and form != s), "")
        return None

    def hotlines_for(self, kind: str) -> list[Hotline]:
        """Return the hotlines for a kind of emergency, in profile order; KeyError for an unknown kind."""
        if kind not in get_args(HotlineKind):
            raise KeyError(f"unknown hotline kind {kind!r}")
        return [hotline for hotline in self.hotlines if kind in hotline.kinds]


_FOLDED_SUFFIXES = tuple(fold(suffix) for suffix in _SUFFIXES)


_C = TypeVar("_C", Area, Centre, Category, Outcome)


def _by_code(items: Sequence[_C], code: str, what: str) -> _C:
    """Return the item with this code; KeyError naming what was looked for."""
    for item in items:
        if item.code == code:
            return item
    raise KeyError(f"unknown {what} {code!r}")


def _duplicates(field: str, items: Sequence[_Model], attr: str) -> Iterator[str]:
    """Describe every item whose ``attr`` repeats an earlier item's."""
    seen: set[object] = set()
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            yield f"{field}[{i}].{attr}: duplicate {attr} {value!r}"
        seen.add(value)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _describe(shown: str, error: ValidationError) -> str:
    """Turn pydantic's errors into one line per problem: ``file: centres[2].phone: message``."""
    lines = []
    for detail in error.errors(include_url=False):
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in detail["loc"]).lstrip(".")
        message = str(detail["ctx"]["error"]) if detail["type"] == "value_error" else detail["msg"]
        lines += [f"{shown}: {path}: {line}" if path else f"{shown}: {line}" for line in message.splitlines()]
    return "\n".join(lines)


def available_profiles(profiles_dir: Path | None = None) -> list[str]:
    """Return the names of the profiles in ``profiles_dir`` (the package's by default)."""
    return sorted(path.stem for path in (profiles_dir or PROFILES_DIR).glob("*.toml"))


def load_profile(name_or_path: str, profiles_dir: Path | None = None) -> Municipality:
    """Load and validate a profile by name ("iwaki") or by path to a .toml file."""
    name_or_path = str(name_or_path)
    if name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        path, shown = Path(name_or_path), name_or_path
        if not path.is_file():
            raise ProfileError(f"{shown}: no such profile file")
    else:
        path = (profiles_dir or PROFILES_DIR) / f"{name_or_path}.toml"
        shown = path.name
        if not path.is_file():
            available = ", ".join(available_profiles(profiles_dir)) or "none"
            raise ProfileError(f"no profile named {name_or_path!r} (available: {available})")
    try:
        # utf-8-sig: files saved by Windows editors may start with a byte-order mark.
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ProfileError(f"{shown}: not UTF-8 (save the file as UTF-8, not Shift_JIS)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{shown}: not valid TOML: {exc}") from None
    try:
        return Municipality.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(_describe(shown, exc)) from None
