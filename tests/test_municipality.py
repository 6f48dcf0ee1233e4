"""The municipality profile: shipped cities load, residents' answers find their area, bad files fail clearly."""

import json
import tomllib
from pathlib import Path

import pytest

from bot.municipality import PROFILES_DIR, ProfileError, available_profiles, load_profile
from bot.services.routing import centre_for_area


@pytest.fixture
def iwaki():
    return load_profile("iwaki")


@pytest.fixture
def iwaki_data():
    """The shipped Iwaki profile as plain data, for a test to break one thing in."""
    return tomllib.loads((PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8"))


def dump_toml(profile):
    """Write profile data back as TOML (JSON scalars and lists are valid TOML values)."""
    def is_table_array(value):
        return isinstance(value, list) and value and all(isinstance(item, dict) for item in value)

    def toml_value(item):
        if isinstance(item, dict):  # an inline table: opening = { days = [...], opens = "08:30", ... }
            return "{ " + ", ".join(f"{key} = {toml_value(inner)}" for key, inner in item.items()) + " }"
        return json.dumps(item, ensure_ascii=False)

    def key_values(table, inline=True):
        return [f"{key} = {toml_value(item)}" for key, item in table.items()
                if (inline or not isinstance(item, dict)) and not is_table_array(item)]

    lines = key_values(profile, inline=False)
    for key, value in profile.items():
        if isinstance(value, dict):
            lines += [f"[{key}]", *key_values(value)]
        elif is_table_array(value):
            for item in value:
                lines += [f"[[{key}]]", *key_values(item)]
    return "\n".join(lines) + "\n"


# --- the shipped cities ---------------------------------------------------------------------------

def test_both_shipped_profiles_load():
    assert {"iwaki", "takamatsu"} <= set(available_profiles())
    assert load_profile("iwaki").receipt_prefix == "IW"
    assert load_profile("takamatsu").receipt_prefix == "TK"


def test_iwaki_has_its_seven_centres_and_thirteen_areas(iwaki):
    assert iwaki.name == "いわき市"
    assert len(iwaki.centres) == 7
    assert all(centre.name.endswith("地区保健福祉センター") for centre in iwaki.centres)
    assert len(iwaki.areas) == 13


@pytest.mark.parametrize(("area", "centre"), [
    ("平", "平"),
    ("小名浜", "小名浜"),
    ("勿来", "勿来・田人"),
    ("田人", "勿来・田人"),
    ("常磐", "常磐・遠野"),
    ("遠野", "常磐・遠野"),
    ("内郷", "内郷・好間・三和"),
    ("好間", "内郷・好間・三和"),
    ("三和", "内郷・好間・三和"),
    ("四倉", "四倉・久之浜大久"),
    ("久之浜大久", "四倉・久之浜大久"),
    ("小川", "小川・川前"),
    ("川前", "小川・川前"),
])
def test_each_iwaki_area_is_served_by_its_district_centre(iwaki, area, centre):
    served_by = centre_for_area(iwaki, iwaki.find_area(area).code)
    assert served_by.short_name == centre
    assert served_by.name == f"{centre}地区保健福祉センター"


def test_consultation_categories_are_offered_in_order_and_end_with_not_sure(iwaki):
    assert [category.label for category in iwaki.categories] == [
        "介護・高齢", "障がい", "子ども・子育て", "お金・生活の困りごと", "仕事", "住まい", "健康・こころ",
        "ひきこもり", "家族のこと（親子の困りごと・介護と子育てなど）", "DV・暴力",
        "生活のちょっとした手伝い（ごみ出し・買物など）", "わからない・その他",
    ]
    assert iwaki.categories[-1].field == "unknown"
    assert iwaki.category("money").field == "livelihood"


def test_takamatsu_offers_the_same_categories_and_hotlines(iwaki):
    takamatsu = load_profile("takamatsu")
    assert takamatsu.categories == iwaki.categories
    assert takamatsu.hotlines == iwaki.hotlines


def test_hotlines_by_kind(iwaki):
    assert [h.number for h in iwaki.hotlines_for("suicide")] == ["0120-279-338", "0570-783-556"]
    assert [h.number for h in iwaki.hotlines_for("child_abuse")] == ["189"]
    assert [h.number for h in iwaki.hotlines_for("emergency_medical")] == ["119"]
    assert iwaki.hotlines_for("disaster") == []
    with pytest.raises(KeyError):
        iwaki.hotlines_for("fire")


def test_looking_up_an_unknown_code_raises_key_error(iwaki):
    assert iwaki.area("joban").name == "常磐"
    assert iwaki.centre("joban_tono").short_name == "常磐・遠野"
    for lookup in (iwaki.area, iwaki.centre, iwaki.category):
        with pytest.raises(KeyError):
            lookup("sendai")


# --- where a resident lives -----------------------------------------------------------------------

@pytest.mark.parametrize(("place", "lat", "lon", "area"), [
    ("いわき駅", 37.0586, 140.8937, "平"),
    ("小名浜港", 36.94, 140.90, "小名浜"),
    ("湯本駅", 37.0086, 140.8507, "常磐"),
    ("四倉海岸", 37.108, 140.99, "四倉"),
    ("勿来の関", 36.861, 140.787, "勿来"),
])
def test_a_shared_location_suggests_the_nearest_area(iwaki, place, lat, lon, area):
    assert iwaki.nearest_area(lat, lon).name == area


@pytest.mark.parametrize(("typed", "area"), [
    ("平", "平"),
    ("たいら", "平"),
    ("タイラ", "平"),
    ("平町", "平"),
    ("平地区", "平"),
    ("平の方です", "平"),
    ("いわき市平", "平"),
    ("小名浜町", "小名浜"),
    ("ｵﾅﾊﾏ", "小名浜"),
    ("onahama", "小名浜"),
    (" 勿来 ", "勿来"),
    ("\u3000勿来\u3000", "勿来"),
    ("植田", "勿来"),
    ("湯本", "常磐"),
    ("常盤", "常磐"),
    ("久之浜", "久之浜大久"),
    ("大久", "久之浜大久"),
])
def test_a_typed_answer_finds_the_area(iwaki, typed, area):
    assert iwaki.find_area(typed).name == area


@pytest.mark.parametrize("typed", ["", "   ", "あいうえお", "東京", "勿来・田人", "町", "地区"])
def test_an_unrecognised_answer_finds_no_area(iwaki, typed):
    assert iwaki.find_area(typed) is None


def test_an_ambiguous_answer_finds_no_area():
    takamatsu = load_profile("takamatsu")
    assert takamatsu.find_area("国分寺") is None  # 国分寺北 or 国分寺南: ask again
    assert takamatsu.find_area("国分寺北").code == "kokubunji_kita"
    assert centre_for_area(takamatsu, takamatsu.find_area("屋島").code).short_name == "本庁"


# --- a new city is a data file --------------------------------------------------------------------

def test_a_new_city_needs_only_a_profile_file(tmp_path, iwaki_data):
    iwaki_data.update(code="newcity", name="新市", receipt_prefix="NEW")
    (tmp_path / "newcity.toml").write_text(dump_toml(iwaki_data), encoding="utf-8")
    assert available_profiles(tmp_path) == ["newcity"]
    assert load_profile("newcity", tmp_path).name == "新市"
    assert load_profile(str(tmp_path / "newcity.toml")).receipt_prefix == "NEW"


def test_a_profile_saved_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes((PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8").encode("utf-8-sig"))
    assert load_profile(str(path)).name == "いわき市"


def test_an_unknown_profile_name_lists_the_available_ones():
    with pytest.raises(ProfileError) as error:
        load_profile("sendai")
    assert "sendai" in str(error.value)
    assert "iwaki" in str(error.value) and "takamatsu" in str(error.value)


def test_a_missing_profile_file_is_named(tmp_path):
    with pytest.raises(ProfileError, match="nowhere.toml: no such profile file"):
        load_profile(str(tmp_path / "nowhere.toml"))


def test_a_file_that_is_not_toml_is_named(tmp_path):
    path = tmp_path / "iwaki.toml"
    path.write_text('name = "いわき市\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="iwaki.toml: not valid TOML"):
        load_profile("iwaki", tmp_path)


def test_a_file_saved_as_shift_jis_is_named(tmp_path):
    path = tmp_path / "iwaki.toml"
    path.write_bytes('name = "いわき市"\n'.encode("cp932"))
    with pytest.raises(ProfileError, match="iwaki.toml: not UTF-8"):
        load_profile("iwaki", tmp_path)


@pytest.mark.parametrize(("break_it", "problem"), [
    pytest.param(lambda p: p["centres"][2]["areas"].append("foo"),
                 "iwaki.toml: centres[2].areas: unknown area 'foo'", id="unknown-area"),
    pytest.param(lambda p: p["areas"][3].update(code="nakoso"),
                 "iwaki.toml: areas[3].code: duplicate code 'nakoso'", id="duplicate-area-code"),
    pytest.param(lambda p: p["areas"][3].update(name="勿来"),
                 "iwaki.toml: areas[3].name: duplicate name '勿来'", id="duplicate-area-name"),
    pytest.param(lambda p: p["centres"][1].update(code="taira"),
                 "iwaki.toml: centres[1].code: duplicate code 'taira'", id="duplicate-centre-code"),
    pytest.param(lambda p: p["centres"][6]["areas"].remove("kawamae"),
                 "iwaki.toml: areas[12]: area 'kawamae' is covered by no centre", id="area-without-centre"),
    pytest.param(lambda p: p["centres"][0]["areas"].append("onahama"),
                 "iwaki.toml: areas[1]: area 'onahama' is covered by several centres: taira, onahama",
                 id="area-with-two-centres"),
    pytest.param(lambda p: p["centres"][0].update(areas=[]),
                 "iwaki.toml: centres[0].areas: List should have at least 1 item", id="centre-without-areas"),
    pytest.param(lambda p: p["centres"][4].pop("phone"),
                 "iwaki.toml: centres[4].phone: Field required", id="missing-phone"),
    pytest.param(lambda p: p.pop("coordinator"),
                 "iwaki.toml: coordinator: Field required", id="missing-coordinator"),
    pytest.param(lambda p: p["centres"][0].update(area=p["centres"][0].pop("areas")),
                 "iwaki.toml: centres[0].area: Extra inputs are not permitted", id="misspelt-key"),
    pytest.param(lambda p: p["centres"][0].update(phone="0246-22-111"),
                 "iwaki.toml: centres[0].phone: '0246-22-111' is not a Japanese phone number", id="short-phone"),
    pytest.param(lambda p: p["coordinator"].update(phone="0246221111"),
                 "iwaki.toml: coordinator.phone: '0246221111' is not a Japanese phone number", id="phone-no-hyphens"),
    pytest.param(lambda p: p["centres"][0].update(phone="02-4622-1111"),
                 "iwaki.toml: centres[0].phone: '02-4622-1111' is grouped by its area code as '0246-22-1111'",
                 id="phone-grouped-wrongly"),
    pytest.param(lambda p: p["hotlines"][0].update(number="911"),
                 "iwaki.toml: hotlines[0].number: '911' is not a Japanese phone number", id="foreign-hotline"),
    pytest.param(lambda p: p["areas"][0].update(lat=140.8877, lon=37.0505),
                 "iwaki.toml: areas[0].lat: Input should be less than or equal to 46", id="swapped-coordinates"),
    pytest.param(lambda p: p["areas"][0].update(lon=-140.8877),
                 "iwaki.toml: areas[0].lon: Input should be greater than or equal to 122", id="lon-out-of-range"),
    pytest.param(lambda p: p["areas"][0].update(code="Taira"),
                 "iwaki.toml: areas[0].code: 'Taira' is not a code of lowercase letters", id="bad-code"),
    pytest.param(lambda p: p.update(categories=[]),
                 "iwaki.toml: categories: List should have at least 1 item", id="no-categories"),
    pytest.param(lambda p: p["categories"].pop(),
                 "iwaki.toml: categories: no category with field 'unknown'", id="no-not-sure-category"),
    pytest.param(lambda p: p["categories"][0].update(field="pets"),
                 "iwaki.toml: categories[0].field: Input should be 'elderly'", id="unknown-support-field"),
    pytest.param(lambda p: p["hotlines"][1]["kinds"].append("fire"),
                 "iwaki.toml: hotlines[1].kinds[1]: Input should be 'emergency_medical'", id="unknown-hotline-kind"),
    pytest.param(lambda p: p.update(hotlines=[h for h in p["hotlines"] if "suicide" not in h["kinds"]]),
                 "iwaki.toml: hotlines: no hotline of kind 'suicide'", id="no-suicide-hotline"),
    pytest.param(lambda p: p["centres"][0]["opening"].update(closes="08:00"),
                 "iwaki.toml: centres[0].opening: opens 08:30 is not before closes 08:00", id="closes-before-opening"),
    pytest.param(lambda p: p["centres"][0]["opening"].update(days=["mon", "funday"]),
                 "iwaki.toml: centres[0].opening.days[1]: Input should be 'mon'", id="unknown-weekday"),
    pytest.param(lambda p: p["coordinator"]["opening"].update(closes="17:00"),
                 "iwaki.toml: coordinator: hours: '平日 8:30〜17:15' does not say the opening time 17:00",
                 id="hours-text-disagrees"),
    pytest.param(lambda p: p["centres"][1]["translations"]["en"].update(hours="Weekdays 9:00–17:15"),
                 "iwaki.toml: centres[1]: translations.en.hours: 'Weekdays 9:00–17:15' does not say the opening "
                 "time 8:30", id="translated-hours-disagree"),
    pytest.param(lambda p: p["centres"][2].pop("opening"),
                 "iwaki.toml: centres[2].opening: Field required", id="missing-opening"),
    pytest.param(lambda p: p["calendar"].update(closed=["12-29", "12/30"]),
                 "iwaki.toml: calendar.closed[1]: '12/30' is not a month and day such as '12-29'", id="closed-day"),
    pytest.param(lambda p: p.update(timezone="Europe/London"),
                 "iwaki.toml: timezone: Input should be 'Asia/Tokyo'", id="timezone"),
    pytest.param(lambda p: p.update(receipt_prefix="iw"),
                 "iwaki.toml: receipt_prefix: 'iw' is not 2-4 uppercase ASCII letters", id="prefix-lowercase"),
    pytest.param(lambda p: p.update(receipt_prefix="IWAKI"),
                 "iwaki.toml: receipt_prefix: 'IWAKI' is not 2-4 uppercase ASCII letters", id="prefix-too-long"),
    pytest.param(lambda p: p.update(receipt_prefix="ＩＷ"),
                 "iwaki.toml: receipt_prefix: 'ＩＷ' is not 2-4 uppercase ASCII letters", id="prefix-full-width"),
])
def test_a_broken_profile_names_the_file_and_the_problem(tmp_path, iwaki_data, break_it, problem):
    break_it(iwaki_data)
    (tmp_path / "iwaki.toml").write_text(dump_toml(iwaki_data), encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        load_profile("iwaki", tmp_path)
    assert any(line.startswith(problem) for line in str(error.value).splitlines()), str(error.value)
