"""Every common client can open a lot's socket and get its events."""

import asyncio
import json

import aiohttp
import websockets

from api import bid, create_lot, register

# A wait for an event or a pong that is due at once; generous for a loaded CI machine.
WAIT_SECONDS = 10


async def lot_with_bidder(session, server):
    owner = await register(session, server.base, "owner")
    bidder = await register(session, server.base, "bidder")
    return await create_lot(session, server.base, owner), bidder


async def next_bid_event(receive) -> dict:
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            message = await receive()
            event = {} if message == "pong" else json.loads(message)
            if event.get("type") == "bid_placed":
                return event


async def expect_pong_then_event(send, receive, session, server, lot, bidder) -> None:
    """The socket answers a ping, then carries the event of a bid made after it opened."""
    await send("ping")
    async with asyncio.timeout(WAIT_SECONDS):
        assert await receive() == "pong"
    assert await bid(session, server.base, lot, bidder, "5") == 201
    event = await next_bid_event(receive)
    assert (event["lot_id"], event["bidder"], event["seq"]) == (lot, bidder.username, 1)


async def pooled_aiohttp(server):
    # One ClientSession for HTTP and the socket, as most Python programs use it:
    # the upgrade goes out on a keep-alive connection that has carried requests.
    # Concurrent calls leave more idle connections in the pool than aiohttp
    # follows redirects (10), so a redirect cannot hide a refused upgrade.
    async with aiohttp.ClientSession() as session:
        lot, bidder = await lot_with_bidder(session, server)

        async def get_lot():
            async with session.get(f"{server.base}/lots/{lot}") as response:
                assert response.status == 200
                await response.read()

        await asyncio.gather(*(get_lot() for _ in range(16)))
        try:
            socket = await session.ws_connect(f"{server.ws_base}/ws/lots/{lot}")
        except aiohttp.ClientError as error:
            answers = [response.status for response in getattr(error, "history", ())]
            raise AssertionError(
                f"a pooled aiohttp session could not upgrade: {type(error).__name__}, answers {answers}"
            ) from None
        async with socket:
            await expect_pong_then_event(socket.send_str, socket.receive_str, session, server, lot, bidder)


async def websockets_library(server, greeting: str | None):
    async with aiohttp.ClientSession() as session:
        lot, bidder = await lot_with_bidder(session, server)
        async with websockets.connect(f"{server.ws_base}/ws/lots/{lot}") as socket:
            if greeting is not None:
                # The original Python client greets the server first, then prints every message.
                await socket.send(greeting)
            await expect_pong_then_event(socket.send, socket.recv, session, server, lot, bidder)


def test_a_pooled_aiohttp_session_upgrades_after_http_calls(server):
    asyncio.run(pooled_aiohttp(server))


def test_the_websockets_library_connects(server):
    asyncio.run(websockets_library(server, greeting=None))


def test_a_client_that_greets_first_gets_the_events(server):
    asyncio.run(websockets_library(server, greeting="Hello server!"))
