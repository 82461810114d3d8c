"""Many workspaces: each one's channels, subscriptions, briefings, errors and Home tab are its own,
even when two workspaces share one channel id (a Slack Connect channel has the same id in both);
each workspace's messages go out with its own bot token; an uninstalled workspace is forgotten.

Two workspaces install Sitrep through the real OAuth flow (tests/bot/test_oauth.py's harness),
then type signed slash commands; the worker posts through the fake Slack, which records the token
of every call.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli.deliver import build_deliverer
from bot.worker.jobs import Worker
from briefings.store import FAILED, PENDING, POSTED, Delivery
from briefings.workspaces import (
    address,
    in_workspace,
    split_address,
    workspace_id,
    workspace_prefix,
)
from tests.bot.test_oauth import Clock, Sitrep
from tests.support.fake_slack import FakeSlack

SHARED = "C0SHARED"  # one Slack Connect channel: the same id in both workspaces
ALPHA, BETA = "TALPHA", "TBETA"


@pytest.mark.parametrize(("workspace", "channel", "stored"), [
    (None, "C0456", "C0456"),  # one workspace: bare ids, as before OAuth mode
    ("T0123", "C0456", "T0123/C0456"),
    ("E0ORG", "G0PRIV", "E0ORG/G0PRIV"),
])
def test_a_channel_address_round_trips(workspace, channel, stored):
    assert address(workspace, channel) == stored
    assert split_address(stored) == (workspace, channel)
    assert in_workspace(stored, workspace)
    assert not in_workspace(stored, "TOTHER")
    if workspace:
        assert stored.startswith(workspace_prefix(workspace))


@pytest.mark.parametrize(("team", "enterprise", "org_wide", "workspace"), [
    ("T1", None, False, "T1"),
    ("T1", "E1", False, "T1"),  # a workspace of an Enterprise Grid org, installed on its own
    ("T1", "E1", True, "E1"),  # an org-wide install: one installation for the whole org
    (None, "E1", True, "E1"),
    (None, None, False, None),
])
def test_the_workspace_of_a_request(team, enterprise, org_wide, workspace):
    assert workspace_id(team, enterprise, org_wide) == workspace


@pytest.fixture
def fake() -> FakeSlack:
    with FakeSlack() as fake:
        fake.channels[SHARED] = {"is_private": False}
        fake.channels["C0ALPHA"] = {"is_private": False}
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 3, 10, 7, 0, tzinfo=UTC))


@pytest.fixture
def two(fake, tmp_path, clock):
    """Sitrep installed in two workspaces; their bot tokens."""
    sitrep = Sitrep(fake, tmp_path / "sitrep.db", clock)
    tokens = {ALPHA: sitrep.install("code-a", ALPHA, "Alpha News"),
              BETA: sitrep.install("code-b", BETA, "Beta Desk")}
    return sitrep, tokens


def worker(sitrep: Sitrep) -> Worker:
    context = sitrep.context
    return Worker(context.settings, context.store, context.topics, build_deliverer(context),
                  clock=context.clock)


def test_each_workspace_sees_only_its_own_subscriptions(two):
    sitrep, _ = two
    assert "now follows" in sitrep.command(ALPHA, SHARED, "subscribe Odesa")
    assert "now follows" in sitrep.command(BETA, SHARED, "subscribe Bakhmut")
    sitrep.command(ALPHA, "C0ALPHA", "subscribe Kharkiv")
    alpha = sitrep.command(ALPHA, SHARED, "subscriptions")
    beta = sitrep.command(BETA, SHARED, "subscriptions")
    assert "Odesa" in alpha and "Bakhmut" not in alpha and "Kharkiv" not in alpha
    assert "Bakhmut" in beta and "Odesa" not in beta
    # the same topic in the same channel id is a new subscription in the other workspace
    assert "now follows" in sitrep.command(BETA, SHARED, "subscribe Odesa")
    assert "no longer follows" in sitrep.command(BETA, SHARED, "unsubscribe Odesa")
    assert "Odesa" in sitrep.command(ALPHA, SHARED, "subscriptions")  # Alpha's is untouched


def test_team_b_cannot_reach_team_a_data_through_a_shared_channel(two, fake, clock):
    """Beta tries every way it has to see or change Alpha's settings for the shared channel."""
    sitrep, tokens = two
    sitrep.command(ALPHA, SHARED, "subscribe Odesa")
    sitrep.command(ALPHA, SHARED, "digest at 06:30 Asia/Tokyo")
    with sitrep.store() as store:
        store.record_channel_error(address(ALPHA, SHARED), "the bot is not in the channel "
                                   "(ALPHA-SECRET)", clock())
    assert "was not following" in sitrep.command(BETA, SHARED, "unsubscribe Odesa")
    seen = " ".join(sitrep.command(BETA, SHARED, text) for text in (
        "subscriptions", "sources", "digest", "digest off", f"subscriptions {ALPHA}/{SHARED}"))
    seen += sitrep.command(BETA, f"{ALPHA}/{SHARED}", "subscriptions")  # a forged channel id
    assert "Odesa" not in seen
    assert "ALPHA-SECRET" not in seen and "06:30" not in seen and "Asia/Tokyo" not in seen
    # Alpha's settings survived Beta's attempts
    alpha = sitrep.command(ALPHA, SHARED, "subscriptions")
    assert "Odesa" in alpha and "06:30" in alpha
    assert "ALPHA-SECRET" in sitrep.command(ALPHA, SHARED, "sources")
    with sitrep.store() as store:
        assert not [c for c, _ in store.subscriptions() if c.startswith(f"{ALPHA}/{ALPHA}")]
    # Beta's Home tab, published with Beta's token, lists none of Alpha's channels
    assert sitrep.event(BETA, {"type": "app_home_opened", "user": "U0BEN", "tab": "home",
                               "channel": "D0BEN"}).status_code == 200
    view = fake.wait_for("views.publish")[-1]
    assert view.token == tokens[BETA]
    home = json.dumps(view.params["view"])
    assert "Odesa" not in home and "ALPHA-SECRET" not in home and "06:30" not in home


def test_the_home_tab_shows_the_workspaces_own_channels_by_slack_id(two, fake):
    sitrep, tokens = two
    sitrep.command(ALPHA, SHARED, "subscribe Odesa")
    sitrep.command(BETA, SHARED, "subscribe Bakhmut")
    sitrep.event(ALPHA, {"type": "app_home_opened", "user": "U0ANA", "tab": "home"})
    view = fake.wait_for("views.publish")[-1]
    assert view.token == tokens[ALPHA]
    home = json.dumps(view.params["view"])
    assert f"<#{SHARED}>" in home and "Odesa" in home
    assert "Bakhmut" not in home and ALPHA not in home  # the address stays inside Sitrep
    assert {c.token for c in fake.calls_to("conversations.info")} == {tokens[ALPHA]}


def test_each_workspace_briefing_is_posted_with_its_own_token(two, fake, clock):
    sitrep, tokens = two
    for team in (ALPHA, BETA):
        sitrep.command(team, SHARED, "digest at 08:00 UTC")
    clock.now = datetime(2024, 3, 10, 8, 0, 30, tzinfo=UTC)
    worker(sitrep).tick()
    posts = fake.posts(SHARED)
    assert sorted(c.token for c in posts) == sorted(tokens.values())
    with sitrep.store() as store:
        briefings = store.deliveries(kind="briefing")
    assert {d.channel for d in briefings} == {f"{ALPHA}/{SHARED}", f"{BETA}/{SHARED}"}
    assert {d.state for d in briefings} == {POSTED}
    assert all("/" not in c.params["channel"] for c in fake.calls if "channel" in c.params)


def _record_briefings(sitrep: Sitrep, clock: Clock) -> None:
    """Both workspaces' 08:00 briefings, recorded and not yet posted."""
    for team in (ALPHA, BETA):
        sitrep.command(team, SHARED, "digest at 08:00 UTC")
        sitrep.command(team, SHARED, "subscribe Odesa")
    clock.now = datetime(2024, 3, 10, 8, 0, 30, tzinfo=UTC)
    assert len(worker(sitrep).record_due_briefings(clock())) == 2


@pytest.mark.parametrize("event", [
    {"type": "app_uninstalled"},
    {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBTALPHA"]}},
])
def test_leaving_a_workspace_forgets_it_and_fails_its_open_deliveries(two, fake, clock, event):
    sitrep, tokens = two
    _record_briefings(sitrep, clock)
    response = sitrep.event(ALPHA, event)
    assert response.status_code == 200
    fake.revoke(tokens[ALPHA])  # what Slack does to the token
    worker(sitrep).deliver()
    with sitrep.store() as store:
        assert store.installed_workspaces() == [BETA]
        assert [c for c, _ in store.subscriptions()] == [f"{BETA}/{SHARED}"]
        assert [c.channel for c in store.channels()] == [f"{BETA}/{SHARED}"]
        states = {d.channel: d for d in store.deliveries(kind="briefing")}
    gone = states[f"{ALPHA}/{SHARED}"]
    assert gone.state == FAILED
    assert "not posted: Sitrep was uninstalled" in gone.error or "revoked" in gone.error
    assert states[f"{BETA}/{SHARED}"].state == POSTED
    assert not [c for c in fake.calls if c.token == tokens[ALPHA]
                and c.method not in ("auth.test", "conversations.info")]
    assert [c.token for c in fake.posts()] == [tokens[BETA]]
    # the other workspace carries on
    assert "Odesa" in sitrep.command(BETA, SHARED, "subscriptions")


def test_a_users_revoked_token_changes_nothing(two, fake, clock):
    sitrep, tokens = two
    _record_briefings(sitrep, clock)
    sitrep.event(ALPHA, {"type": "tokens_revoked", "tokens": {"oauth": ["U0ANA"], "bot": []}})
    worker(sitrep).deliver()
    assert sorted(c.token for c in fake.posts()) == sorted(tokens.values())


def test_a_delivery_for_a_workspace_without_sitrep_fails_with_the_reason(two, fake, clock):
    sitrep, _ = two
    with sitrep.store() as store:
        store.record_delivery(Delivery(
            key="alert:TGONE/C1:odesa:x", kind="alert", channel=address("TGONE", "C1"),
            text="news", blocks=[], state=PENDING, created=clock()))
    posted = len(fake.posts())
    results = build_deliverer(sitrep.context).deliver_open()
    assert results == {"alert:TGONE/C1:odesa:x": FAILED}
    with sitrep.store() as store:
        error = store.delivery("alert:TGONE/C1:odesa:x").error
    assert "not installed in workspace TGONE" in error
    assert len(fake.posts()) == posted


def test_a_reinstall_posts_with_the_new_token(two, fake, clock):
    sitrep, tokens = two
    sitrep.command(ALPHA, SHARED, "digest at 08:00 UTC")
    new = sitrep.install("code-a2", ALPHA, "Alpha News")
    fake.revoke(tokens[ALPHA])
    clock.now = datetime(2024, 3, 10, 8, 0, 30, tzinfo=UTC) + timedelta(seconds=1)
    worker(sitrep).tick()
    assert [c.token for c in fake.posts(SHARED)] == [new]
