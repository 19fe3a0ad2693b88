"""The HTTP calls the checks make, as an ordinary aiohttp client makes them."""

import uuid
from dataclasses import dataclass

import aiohttp


@dataclass(frozen=True)
class Account:
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def register(session: aiohttp.ClientSession, base: str, prefix: str) -> Account:
    username = f"{prefix}-{uuid.uuid4().hex[:12]}"
    password = f"pw-{uuid.uuid4().hex}"
    async with session.post(f"{base}/account", data={"username": username, "password": password}) as response:
        assert response.status == 201, f"POST /account: {response.status} {await response.text()}"
    async with session.post(f"{base}/account/token", data={"username": username, "password": password}) as response:
        assert response.status == 201, f"POST /account/token: {response.status} {await response.text()}"
        token = (await response.json())["access_token"]
    return Account(username, token)


async def create_lot(session: aiohttp.ClientSession, base: str, owner: Account, price: str = "1") -> int:
    form = {"title": "Black-box lot", "description": "made by Tests/BlackBox", "starting_price": price}
    async with session.post(f"{base}/lots", data=form, headers=owner.headers) as response:
        assert response.status == 201, f"POST /lots: {response.status} {await response.text()}"
        return (await response.json())["id"]


async def bid(session: aiohttp.ClientSession, base: str, lot: int, bidder: Account, amount: str) -> int:
    """Places the bidder's first bid on the lot; returns the status (201 accepted)."""
    async with session.post(f"{base}/lots/{lot}/bids", data={"amount": amount}, headers=bidder.headers) as response:
        await response.read()
        return response.status
