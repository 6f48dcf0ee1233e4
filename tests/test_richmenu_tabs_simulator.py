"""The rich menu's tabs on the fake LINE platform and the simulator: aliases, switching, the tab's postback."""
from __future__ import annotations

import pytest
import urllib3

from bot.messaging.line_api import LineApi, LineApiError
from bot.messaging.richmenu import alias_id
from simulator.chats import Simulator, stable_user_id
from simulator.live import serve_app
from simulator.web import in_process_webhook
from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET
from tests.support import Worker, compile_catalogs

HEADERS = {"X-Requested-With": "tsunagu-simulator"}
HANAKO = stable_user_id("山田 花子")


@pytest.fixture(autouse=True)
def catalogs():
    compile_catalogs()


@pytest.fixture
def api(line):  # noqa: ANN001
    client = LineApi(line.url, line.url, ACCESS_TOKEN, timeout=5)
    yield client
    client.close()


def menu_named(line, name: str) -> str:  # noqa: ANN001
    return next(menu_id for menu_id, menu in line.rich_menus.items() if menu.definition["name"] == name)


def tab(menu: dict, page: str) -> dict:
    return next(area["action"] for area in menu["areas"] if area["action"].get("data") == f"tab:{page}")


def test_aliases_are_created_listed_and_updated_as_line_does(app, api, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    aliases = api.rich_menu_aliases()
    assert aliases[alias_id("zh_Hans", "living")] == menu_named(line, "tsunagu-zh_Hans-living")
    assert "tsunagu-zh_hans-living" in aliases  # LINE allows lower-case letters, digits, - and _ only

    with pytest.raises(LineApiError) as taken:
        api.create_rich_menu_alias(alias_id("ja", "living"), menu_named(line, "tsunagu-ja-consult"))
    assert taken.value.status == 400  # an alias id is unique in the channel
    with pytest.raises(LineApiError) as unknown:
        api.update_rich_menu_alias("tsunagu-xx-nowhere", menu_named(line, "tsunagu-ja-consult"))
    assert unknown.value.status == 404
    with pytest.raises(LineApiError) as refused:
        api.create_rich_menu_alias("Tsunagu-JA", menu_named(line, "tsunagu-ja-consult"))
    assert refused.value.status == 400  # the SDK's model refuses it before it is sent
    assert api.rich_menu_aliases() == aliases


@pytest.mark.invalid_bodies
def test_the_platform_refuses_an_alias_id_line_does_not_allow(line):
    response = urllib3.request("POST", line.url + "/v2/bot/richmenu/alias", headers={"Authorization": f"Bearer {ACCESS_TOKEN}"},
                               json={"richMenuAliasId": "tsunagu-ja_Hira-consult", "richMenuId": "richmenu-1"})
    assert response.status == 400 and "richMenuAliasId" in response.json()["details"][0]["property"]
    assert line.rich_menu_aliases == {}


def test_tapping_a_tab_in_the_simulator_switches_the_menu_and_sends_its_postback(app, line, worker):
    simulator = Simulator(line, CHANNEL_SECRET, in_process_webhook(app), residents=(("山田 花子", "ja"),))
    app.test_cli_runner().invoke(args=["rich-menu"])
    simulator.follow(HANAKO)
    worker.drain()
    menu = simulator.rich_menu(HANAKO)
    assert menu["name"] == "tsunagu-ja-consult"
    answered = len([e for e in simulator.entries_after(0) if e.kind == "received"])

    simulator.tap(HANAKO, tab(menu, "living"))
    worker.drain()

    webhook = [e for e in simulator.entries_after(0) if e.kind == "webhook"][-1]
    assert webhook.data["status"] == 200
    assert webhook.data["event"]["postback"] == {
        "data": "tab:living", "params": {"newRichMenuAliasId": "tsunagu-ja-living", "status": "SUCCESS"}}
    assert len([e for e in simulator.entries_after(0) if e.kind == "received"]) == answered  # nothing to say
    living = simulator.rich_menu(HANAKO)
    assert living["name"] == "tsunagu-ja-living"

    watch = next(area["action"] for area in living["areas"] if area["action"].get("label") == "見守り")
    simulator.tap(HANAKO, watch)
    worker.drain()
    assert [e.message["text"] for e in simulator.entries_after(0) if e.kind == "sent"][-1] == "見守り"
    simulator.tap(HANAKO, tab(living, "consult"))
    assert simulator.rich_menu(HANAKO)["name"] == "tsunagu-ja-consult"
    assert line.violations == []


def test_the_simulator_page_shows_the_tabs_and_switches_pages(make_app):
    running = serve_app(lambda endpoint: make_app(LINE_API_ENDPOINT=endpoint, SIMULATOR=True), with_worker=False)
    try:
        page, worker = running.app.test_client(), Worker(running.app)
        assert running.app.test_cli_runner().invoke(args=["rich-menu"]).exit_code == 0
        page.post(f"/simulator/residents/{HANAKO}/follow", headers=HEADERS)
        worker.drain()
        shown = page.get("/simulator/feed?after=0").get_json()["richMenu"]
        assert 'alt="tsunagu-ja-consult"' in shown and "tab:living" in shown and "richmenu-tab" in shown
        living_tab = {"type": "richmenuswitch", "label": "くらし・見守り", "richMenuAliasId": "tsunagu-ja-living",
                      "data": "tab:living"}
        answer = page.post(f"/simulator/residents/{HANAKO}/tap", json={"action": living_tab}, headers=HEADERS)
        assert answer.status_code == 200 and answer.get_json()["webhookStatus"] == 200
        worker.drain()
        mine = page.get("/simulator/feed?after=0").get_json()["richMenus"][HANAKO]
        assert 'alt="tsunagu-ja-living"' in mine and "手伝ってほしい" in mine
    finally:
        running.stop()
