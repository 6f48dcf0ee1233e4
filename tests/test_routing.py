"""Routing: which desk takes a consultation, and when the coordinator should look."""
import pytest

from bot.municipality import load_profile
from bot.i18n import Translator
from bot.services.routing import Flag, Router, centre_for_area, flag_reason, is_collaboration_candidate
from tests.support import compile_catalogs

IWAKI = load_profile("iwaki")
router = Router(IWAKI)


def codes(flags):
    return [flag["code"] for flag in flags]


def reason(item, locale="ja"):
    """The flag's reason as a member of staff reading in ``locale`` sees it."""
    return flag_reason(item, IWAKI, Translator(locale)._, locale)


@pytest.mark.parametrize(
    ("area", "centre"),
    [
        ("taira", "taira"),
        ("onahama", "onahama"),
        ("nakoso", "nakoso_tabito"),
        ("tabito", "nakoso_tabito"),
        ("joban", "joban_tono"),
        ("tono", "joban_tono"),
        ("uchigo", "uchigo_yoshima_miwa"),
        ("yoshima", "uchigo_yoshima_miwa"),
        ("miwa", "uchigo_yoshima_miwa"),
        ("yotsukura", "yotsukura_hisanohama_ohisa"),
        ("hisanohama_ohisa", "yotsukura_hisanohama_ohisa"),
        ("ogawa", "ogawa_kawamae"),
        ("kawamae", "ogawa_kawamae"),
    ],
)
def test_each_of_iwakis_13_areas_goes_to_its_district_centre(area, centre):
    route = router.route(area, ["elderly"])
    assert route.centre_code == centre
    assert route.area.code == area
    assert not route.to_triage


@pytest.mark.parametrize("area", [None, "", "somewhere_merged_away"])
def test_an_unknown_area_goes_to_the_coordinators_triage_queue(area):
    route = router.route(area, ["money"])
    assert route.to_triage
    assert route.centre is None and route.centre_code is None
    assert router.desk_name(route.centre_code) == "保健福祉課 地域共生社会推進係"
    assert router.desk_contact(None) == ("保健福祉課 地域共生社会推進係", "0246-22-1111", "平日 8:30〜17:15")
    assert centre_for_area(IWAKI, area) is None


def test_one_field_is_routine_and_flags_nothing():
    route = router.route("onahama", ["elderly"], urgency="days", subject="self")
    assert route.flags == []
    assert not route.collaboration_candidate


def test_needs_across_fields_are_a_collaboration_candidate_with_the_fields_named():
    flags = router.flags(["elderly", "money", "hikikomori"])
    assert codes(flags) == [Flag.MULTI_FIELD]
    assert flags[0] == {"code": Flag.MULTI_FIELD, "categories": ["elderly", "money", "hikikomori"]}
    assert reason(flags[0]) == "複数の分野にまたがる相談（介護・高齢、お金・生活の困りごと、ひきこもり）"
    assert is_collaboration_candidate(flags)


@pytest.mark.parametrize(
    "categories",
    [
        ["elderly", "daily_help"],  # a carer who also needs the rubbish taken out: one centre arranges both
        ["money", "unknown"],  # 「わからない」 names no field
        ["elderly", "elderly"],  # the same category twice
    ],
)
def test_small_everyday_help_and_unknown_do_not_make_a_case_multi_field(categories):
    assert Flag.MULTI_FIELD not in codes(router.flags(categories))


def test_family_matters_are_flagged_even_alone():
    flags = router.flags(["family"])
    assert codes(flags) == [Flag.FAMILY]
    assert "8050" in reason(flags[0])
    assert is_collaboration_candidate(flags)


def test_family_with_other_fields_has_both_reasons():
    assert codes(router.flags(["family", "elderly", "work"])) == [Flag.MULTI_FIELD, Flag.FAMILY]


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"urgency": "now"}, "緊急：今すぐの連絡を希望"),
        ({"urgent": True}, "緊急：職員の判断"),
        ({"urgency": "now", "danger_kinds": ["suicide"]}, "緊急：危険のサインあり"),
    ],
)
def test_urgent_records_are_collaboration_candidates_with_why(kwargs, why):
    flags = router.flags(["health"], **kwargs)
    urgent = [flag for flag in flags if flag["code"] == Flag.URGENT]
    assert [reason(flag) for flag in urgent] == [why]
    assert is_collaboration_candidate(flags)


def test_danger_names_its_kinds_for_staff():
    flags = router.flags([], danger_kinds=["dv", "suicide"])
    assert flags[0] == {"code": Flag.DANGER, "kinds": ["dv", "suicide"]}
    assert reason(flags[0]) == "危険のサインがあるメッセージ（DV、自殺の危険）"


def test_a_concern_about_a_neighbour_is_an_outreach_lead_but_not_by_itself_complex():
    flags = router.flags(["elderly"], subject="neighbour")
    assert codes(flags) == [Flag.OUTREACH]
    assert "アウトリーチ" in reason(flags[0])
    assert not is_collaboration_candidate(flags)


def test_staff_re_route_to_any_centre_or_back_to_the_coordinator():
    assert router.centre("onahama").name == "小名浜地区保健福祉センター"
    assert router.centre(None) is None
    with pytest.raises(KeyError):
        router.centre("nowhere")


def test_categories_the_profile_no_longer_has_are_ignored():
    assert router.flags(["elderly", "retired_category"]) == []


def test_another_city_routes_by_its_own_profile():
    takamatsu = Router(load_profile("takamatsu"))
    area = load_profile("takamatsu").areas[0]
    route = takamatsu.route(area.code, [])
    assert route.centre is not None
    assert area.code in route.centre.areas
    assert takamatsu.route(None).to_triage


def test_flags_are_stored_as_codes_and_worded_in_the_staff_members_language():
    compile_catalogs()
    flags = router.flags(["elderly", "money"], urgency="now", danger_kinds=["dv"], subject="neighbour")
    assert all(set(item) <= {"code", "categories", "kinds", "cause"} for item in flags)  # no text stored
    assert [reason(item, "en") for item in flags] == [
        "Needs across several fields (Care and older people, Money and making ends meet)",
        "Message with danger signs (Domestic violence)",
        "Urgent: danger signs",
        "A neighbour or acquaintance is concerned (outreach: consider a visit)",
    ]


def test_flags_stored_as_text_before_codes_are_shown_as_they_were():
    old = {"code": Flag.MULTI_FIELD, "reason": "複数の分野にまたがる相談（介護・高齢、ひきこもり）"}
    assert reason(old, "en") == "複数の分野にまたがる相談（介護・高齢、ひきこもり）"
