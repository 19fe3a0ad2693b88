"""Connect, then bid: a socket that has its 101 before a bid commits gets that bid's event."""

import asyncio
import json
import random
from decimal import Decimal

import aiohttp
import websockets

from api import Account, bid, create_lot, register

ROUNDS = 200
BIDDERS = 12
# Events of committed bids arrive within a resync interval (1 s) even when the
# live path loses one; 5x that, for a loaded CI machine.
WAIT_SECONDS = 5


async def read_events(socket, events: list, wanted: int) -> None:
    """Reads until `wanted` bid_placed events arrived, or WAIT_SECONDS passed."""
    try:
        async with asyncio.timeout(WAIT_SECONDS):
            while sum(event["type"] == "bid_placed" for event in events) < wanted:
                events.append(json.loads(await socket.recv(), parse_float=Decimal))
    except TimeoutError:
        pass


async def drain(socket, events: list) -> None:
    """Reads up to the answer to a ping: whatever the server queued before it (a late duplicate) is seen."""
    await socket.send("ping")
    async with asyncio.timeout(WAIT_SECONDS):
        while (message := await socket.recv()) != "pong":
            events.append(json.loads(message, parse_float=Decimal))


async def one_round(session, server, owner: Account, bidders: list[Account], rng: random.Random) -> dict:
    lot = await create_lot(session, server.base, owner)
    # websockets.connect returns once the 101 is read: every bid below comes after it.
    async with websockets.connect(f"{server.ws_base}/ws/lots/{lot}") as socket:
        amounts = [Decimal(cents) / 100 for cents in rng.sample(range(101, 1_000_000), BIDDERS)]
        statuses = await asyncio.gather(
            *(bid(session, server.base, lot, bidder, str(amount)) for bidder, amount in zip(bidders, amounts))
        )
        accepted = {(b.username, a) for b, a, status in zip(bidders, amounts, statuses) if status == 201}
        events: list = []
        await read_events(socket, events, len(accepted))
        await drain(socket, events)
    placed = [event for event in events if event["type"] == "bid_placed"]
    seqs = [event["seq"] for event in placed]
    expected = list(range(1, len(accepted) + 1))
    return {
        "lot": lot,
        "odd_statuses": [status for status in statuses if status not in (201, 400)],
        "accepted": len(accepted),
        "missing": sorted(set(expected) - set(seqs)),
        "duplicates": len(seqs) - len(set(seqs)),
        "in_order": seqs == sorted(seqs),
        "matches": {(event["bidder"], event["amount"]) for event in placed} == accepted,
        "other_events": [event["type"] for event in events if event["type"] != "bid_placed"],
    }


async def run_rounds(server) -> list[dict]:
    rng = random.Random()
    async with aiohttp.ClientSession() as session:
        owner = await register(session, server.base, "owner")
        bidders = [await register(session, server.base, f"bidder{index}") for index in range(BIDDERS)]
        return [await one_round(session, server, owner, bidders, rng) for _ in range(ROUNDS)]


def test_every_accepted_bid_reaches_a_socket_connected_before_it(server):
    results = asyncio.run(run_rounds(server))
    bad = [
        result for result in results
        if result["odd_statuses"] or result["missing"] or result["duplicates"] or not result["in_order"]
        or not result["matches"] or result["other_events"]
    ]
    missed = sum(len(result["missing"]) for result in results)
    print(
        f"\nconnect-then-bid: {len(results)} rounds x {BIDDERS} bidders, "
        f"{sum(result['accepted'] for result in results)} accepted, "
        f"{len(bad)} rounds wrong, {missed} events missed"
    )
    for result in bad[:10]:
        print(f"  {result}")
    assert not bad, f"{len(bad)} of {len(results)} rounds wrong ({missed} events missed), first: {bad[0]}"
