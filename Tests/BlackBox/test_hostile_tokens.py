"""Forged, stale and oversized bearer tokens: each is 401 with WWW-Authenticate and a detail, never 500."""

import asyncio
import json
import sqlite3
import time
import uuid

import aiohttp
import pytest

import jwt_forge as jwt
from api import create_lot, register
from server import Server

SECRET = "hostile-token-suite-secret-0123456789-abcdef"
# Key material an attacker can read (a public key, as in the RS256-to-HS256 confusion).
PUBLIC_KEY = b"""-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo
4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u
-----END PUBLIC KEY-----
"""


@pytest.fixture(scope="module")
def signing_server():
    """A server whose JWT secret the suite knows, to sign tokens a server would accept but for one flaw."""
    running = Server({"JWT_SECRET_KEY": SECRET})
    yield running
    running.stop()


def oversized(claims: dict) -> str:
    """A well-signed token of 64 KiB: its claims padded, then bytes after the signature."""
    size = 64 * 1024
    token = jwt.make(dict(claims, pad=""), SECRET.encode())
    # Three padding characters make four of base64.
    token = jwt.make(dict(claims, pad="x" * ((size - len(token)) * 3 // 4)), SECRET.encode())
    return token + "A" * (size - len(token))


def forged(live: str) -> dict[str, str]:
    """Tokens built from a live token's claims, each with one flaw."""
    claims = jwt.claims_of(live)
    now = int(time.time())
    head, payload, signature = live.split(".")
    none_head = jwt.b64url(b'{"alg":"none","typ":"JWT"}')
    other = dict(claims, sub="1" if claims["sub"] != "1" else "2", username="someone-else")
    return {
        "alg none": jwt.make(claims, None),
        "alg none, signature kept": f"{none_head}.{payload}.{signature}",
        "HS256 with a public key": jwt.make(claims, PUBLIC_KEY),
        "unknown kid, another key": jwt.make(claims, b"attacker-key-0123456789-0123456789", {"kid": "attacker"}),
        # JWTKit verifies a token naming a key it lacks with its default key: refused all the same.
        "unknown kid, the server's key": jwt.make(claims, SECRET.encode(), {"kid": "another-key"}),
        "tampered payload": f"{head}.{jwt.b64url(json.dumps(other).encode())}.{signature}",
        "expired": jwt.make(dict(claims, iat=now - 7200, exp=now - 3600), SECRET.encode()),
        "not yet valid (nbf)": jwt.make(dict(claims, nbf=now + 3600), SECRET.encode()),
        "unknown user": jwt.make(
            dict(claims, sub="987654321", username=f"ghost-{uuid.uuid4().hex[:8]}", jti=uuid.uuid4().hex),
            SECRET.encode(),
        ),
        "oversized (64 KiB), well signed": oversized(claims),
        "oversized (64 KiB), forged": oversized(claims)[:-43] + signature,
        "not a JWT": "not-a-jwt",
        "three empty parts": "..",
    }


async def refusal(session, base: str, token: str) -> tuple[int, str | None, object]:
    """GET /account/me with the token: (status, WWW-Authenticate, detail)."""
    async with session.get(f"{base}/account/me", headers={"Authorization": f"Bearer {token}"}) as response:
        body = await response.json(content_type=None) if response.status != 500 else await response.text()
        detail = body.get("detail") if isinstance(body, dict) else body
        return response.status, response.headers.get("WWW-Authenticate"), detail


def expect_refused(answers: dict[str, tuple]) -> None:
    wrong = {
        name: answer for name, answer in answers.items()
        if answer[0] != 401 or not (answer[1] or "").startswith("Bearer") or not isinstance(answer[2], str) or not answer[2]
    }
    assert not wrong, f"expected 401, WWW-Authenticate: Bearer and a detail; got {wrong}"


async def forged_answers(server) -> dict[str, tuple]:
    async with aiohttp.ClientSession() as session:
        account = await register(session, server.base, "forger")
        # The live token itself is accepted: each refusal below is the flaw's doing.
        status, _, _ = await refusal(session, server.base, account.token)
        assert status == 200, f"the live token: {status}"
        return {name: await refusal(session, server.base, token) for name, token in forged(account.token).items()}


def test_forged_and_oversized_tokens_are_401(signing_server):
    expect_refused(asyncio.run(forged_answers(signing_server)))


async def revoked_answer(server) -> tuple:
    async with aiohttp.ClientSession() as session:
        account = await register(session, server.base, "leaver")
        async with session.delete(f"{server.base}/account/token", headers=account.headers) as response:
            assert response.status == 200, f"logout: {response.status}"
        return await refusal(session, server.base, account.token)


def test_a_logged_out_token_is_401(signing_server):
    expect_refused({"revoked": asyncio.run(revoked_answer(signing_server))})


async def deleted_user_answers(server) -> dict[str, tuple]:
    async with aiohttp.ClientSession() as session:
        owner = await register(session, server.base, "owner")
        lot = await create_lot(session, server.base, owner)
        gone = await register(session, server.base, "deleted")
        # Removed behind the server's back, as an operator would remove an account.
        with sqlite3.connect(server.database) as database:
            assert database.execute("DELETE FROM users WHERE username = ?", (gone.username,)).rowcount == 1
        answers = {"GET /account/me": await refusal(session, server.base, gone.token)}
        for name, method, path, form in [
            ("POST /lots", "POST", "/lots", {"title": "t", "description": "d", "starting_price": "1"}),
            ("POST /lots/{id}/bids", "POST", f"/lots/{lot}/bids", {"amount": "5"}),
        ]:
            async with session.request(method, f"{server.base}{path}", data=form, headers=gone.headers) as response:
                body = await response.json(content_type=None) if response.status != 500 else {}
                answers[name] = (response.status, response.headers.get("WWW-Authenticate"), body.get("detail"))
        return answers


def test_a_deleted_users_token_is_401(signing_server):
    expect_refused(asyncio.run(deleted_user_answers(signing_server)))
