"""The pages in a real browser: /lots/{id}/live follows bids live, once each, across a dropped socket; /docs lists the routes."""

import asyncio
import json
from pathlib import Path

import aiohttp

from api import bid, create_lot, register
from chromium import Chromium

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Events arrive within milliseconds, or a resync interval (1 s) if the live path lost one;
# 20 s leaves a busy CI machine plenty.
WAIT = 20

HISTORY_BIDDERS = "[...document.querySelectorAll('#history tr')].map(row => row.cells[0].textContent)"


async def raise_bid(session, base, lot, bidder, amount) -> int:
    async with session.patch(f"{base}/lots/{lot}/bids", data={"amount": amount}, headers=bidder.headers) as response:
        await response.read()
        return response.status


async def wait_leader(page: Chromium, username: str, price: str) -> None:
    await page.wait_for(
        f"document.getElementById('leader').textContent === {json.dumps(username)}"
        f" && document.getElementById('price').textContent === {json.dumps(price)}", WAIT)


def test_live_page_follows_bids_once_each_across_a_drop(server):
    async def scenario():
        async with aiohttp.ClientSession() as session:
            owner = await register(session, server.base, "page-owner")
            ann, bob, cat = [await register(session, server.base, name) for name in ("ann", "bob", "cat")]
            lot = await create_lot(session, server.base, owner, price="1")
            assert await bid(session, server.base, lot, ann, "2") == 201  # before the page loads

            async with Chromium.start() as page:
                await page.goto(f"{server.base}/lots/{lot}/live")
                await wait_leader(page, ann.username, "2.00")
                assert await page.text("#title") == "Black-box lot"
                assert await page.evaluate(HISTORY_BIDDERS) == [ann.username]
                await page.wait_for("document.getElementById('connection').textContent === 'live'", WAIT)

                assert await bid(session, server.base, lot, bob, "3") == 201  # live
                await wait_leader(page, bob.username, "3.00")
                assert await page.evaluate(HISTORY_BIDDERS) == [bob.username, ann.username]

                # Drop the socket: the page reopens it with ?since=<last seq>; the bid made meanwhile shows once.
                await page.evaluate("auctionLive.socket.close(); true")
                assert await bid(session, server.base, lot, cat, "4") == 201
                await page.wait_for("auctionLive.connections >= 2", WAIT)
                await wait_leader(page, cat.username, "4.00")
                assert await raise_bid(session, server.base, lot, ann, "5") == 200
                await wait_leader(page, ann.username, "5.00")

                assert await page.evaluate(HISTORY_BIDDERS) == [ann.username, cat.username, bob.username]
                assert await page.text("#bid-count") == "3"
                # Seq 1 came with the lot; 2, 3, 4 over the sockets, each applied once, in order.
                assert await page.evaluate("auctionLive.applied") == [2, 3, 4]
                assert await page.text("#status") == "running"
                assert await page.text("#time-left") == "no end set"

                shot = ARTIFACTS / "live.png"
                await page.screenshot(shot)
                print(f"live page screenshot: {shot}")

    asyncio.run(scenario())


def test_live_page_of_an_unknown_lot_says_so(server):
    async def scenario():
        async with Chromium.start() as page:
            await page.goto(f"{server.base}/lots/987654321/live")
            assert await page.text("h2") == "Lot not found"

    asyncio.run(scenario())


def test_docs_page_lists_the_routes(server):
    async def scenario():
        async with Chromium.start() as page:
            await page.goto(f"{server.base}/docs")
            await page.wait_for("document.querySelectorAll('.operation').length > 0", WAIT)
            groups = await page.evaluate("[...document.querySelectorAll('.group > h2')].map(h => h.textContent)")
            assert {"account", "lots", "operations"} <= set(groups), groups
            headings = await page.evaluate("[...document.querySelectorAll('.operation h3')].map(h => h.textContent)")
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{server.base}/openapi.json") as response:
                    document = await response.json()
            expected = {f"{method}{path}" for path, methods in document["paths"].items() for method in methods}
            assert set(headings) == expected
            assert "post/lots/{lot_id}/bids" in headings
            await page.screenshot(ARTIFACTS / "docs.png")

    asyncio.run(scenario())
