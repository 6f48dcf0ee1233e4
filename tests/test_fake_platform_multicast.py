"""The fake LINE platform's multicast and quota endpoints, called through the SDK as LINE would answer them."""
import uuid

import pytest
import urllib3
from linebot.v3.messaging import ApiClient, ApiException, Configuration, MessagingApi, MulticastRequest, TextMessage

from simulator.platform import LinePlatform, serve

TOKEN = "test-channel-access-token"
RESIDENTS = ["U" + f"{n:032x}" for n in range(1, 4)]


@pytest.fixture
def platform(judged_platforms):
    platform = LinePlatform(TOKEN)
    judged_platforms.append(platform)
    return platform


@pytest.fixture
def api(platform):
    with serve(platform) as server, ApiClient(Configuration(host=server.url, access_token=TOKEN)) as client:
        yield MessagingApi(client)
        client.rest_client.pool_manager.clear()


def multicast(to, text="サロンのお知らせです"):
    return MulticastRequest(to=to, messages=[TextMessage(text=text)])


def test_a_multicast_reaches_each_recipient_once_per_retry_key(platform, api):
    key = str(uuid.uuid4())

    api.multicast(multicast(RESIDENTS), x_line_retry_key=key)
    with pytest.raises(ApiException) as excinfo:
        api.multicast(multicast(RESIDENTS), x_line_retry_key=key)

    assert excinfo.value.status == 409
    assert excinfo.value.headers["x-line-accepted-request-id"]
    assert [platform.texts_to(user) for user in RESIDENTS] == [["サロンのお知らせです"]] * 3


def test_more_than_500_recipients_are_refused(platform):
    """The SDK refuses such a body itself; a client that does not is answered as LINE does."""
    body = {"to": ["U" + f"{n:032x}" for n in range(501)], "messages": [{"type": "text", "text": "お知らせ"}]}
    with serve(platform) as server:
        response = urllib3.request("POST", server.url + "/v2/bot/message/multicast", json=body,
                                   headers={"Authorization": f"Bearer {TOKEN}", "X-Line-Retry-Key": str(uuid.uuid4())})

    assert response.status == 400
    assert platform.sent == []
    assert "to: ensure this value has at most 500 items" in platform.invalid_bodies.pop()


def test_the_quota_counts_each_recipient_and_refuses_beyond_the_limit(platform, api):
    platform.quota_limit = 4
    api.multicast(multicast(RESIDENTS), x_line_retry_key=str(uuid.uuid4()))

    quota, used = api.get_message_quota(), api.get_message_quota_consumption()
    with pytest.raises(ApiException) as excinfo:
        api.multicast(multicast(RESIDENTS), x_line_retry_key=str(uuid.uuid4()))

    assert (quota.type, quota.value, used.total_usage) == ("limited", 4, 3)
    assert excinfo.value.status == 429
    assert len(platform.sent) == 3


def test_an_unlimited_plan_says_none(api):
    assert api.get_message_quota().type == "none"
    assert api.get_message_quota_consumption().total_usage == 0
