"""Hostile connections: bodies announced over the limit, oversized heads, slow heads
(slowloris), many sockets from one address, and a socket's message flood."""

import asyncio
import json
import socket
import time

import aiohttp
import pytest
import websockets

from api import create_lot, register
from server import Server

MiB = 1 << 20
# Each wait below is for something due at once (or after a 1 s timeout): the bound
# only turns a hang into a failure on a loaded CI machine.
WAIT_SECONDS = 30


def connect(port: int) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=WAIT_SECONDS)
    return connection


def read_until_eof(connection: socket.socket) -> bytes:
    """Everything the server sends until it hangs up (a timeout fails the test)."""
    answer = b""
    while True:
        data = connection.recv(65536)
        if not data:
            return answer
        answer += data


def status_and_body(answer: bytes) -> tuple[int, bytes, str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body, head.decode().lower()


def test_a_body_announced_over_the_limit_is_413_and_the_connection_closed_unread(server):
    # 100 MiB announced, 1 KiB sent: the 413 and the hang-up come while the client
    # has sent nothing more (the server neither waits for the body nor drains it).
    with connect(server.port) as connection:
        connection.sendall(
            b"POST /account HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {100 * MiB}\r\n\r\n".encode() + b"a" * 1024)
        status, body, head = status_and_body(read_until_eof(connection))
    assert status == 413, body
    assert "detail" in json.loads(body), body
    assert "connection: close" in head, head


def test_a_chunked_body_over_the_limit_is_413_and_the_connection_closed_unread(server):
    # 128 KiB of chunks (the limit is 64 KiB), then the client waits: the server
    # answers and hangs up instead of reading on until the last chunk.
    with connect(server.port) as connection:
        connection.sendall(
            b"POST /account HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + (b"4000\r\n" + b"a" * 0x4000 + b"\r\n") * 8)
        status, body, head = status_and_body(read_until_eof(connection))
    assert status == 413, body
    assert "detail" in json.loads(body), body


def test_a_head_over_the_parsers_limit_is_431_with_a_detail(server):
    with connect(server.port) as connection:
        connection.sendall(b"GET /lots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * (100 * 1024) + b"\r\n\r\n")
        status, body, head = status_and_body(read_until_eof(connection))
    assert status == 431, body
    assert "80 KiB" in json.loads(body)["detail"], body
    # The server still serves everyone else.
    with connect(server.port) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert status_and_body(read_until_eof(connection))[0] == 200


@pytest.fixture(scope="module")
def quick_server():
    """Header timeout 1 s, at most 5 sockets an address."""
    running = Server({"HTTP_HEADER_TIMEOUT_MS": "1000", "HUB_SOCKETS_PER_ADDRESS": "5"})
    yield running
    running.stop()


def test_a_head_that_does_not_complete_in_time_is_closed(quick_server):
    # One byte every 100 ms of a head that never ends: the server hangs up
    # (after its 1 s header timeout) while the client is still sending.
    started = time.monotonic()
    sent = 0
    with connect(quick_server.port) as connection:
        connection.sendall(b"GET /lots HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        connection.settimeout(0.1)
        while time.monotonic() - started < WAIT_SECONDS:
            try:
                if connection.recv(1) == b"":
                    break
            except TimeoutError:
                pass
            try:
                connection.send(b"x")
                sent += 1
            except (BrokenPipeError, ConnectionResetError):
                break
        else:
            raise AssertionError(f"still open after {WAIT_SECONDS} s and {sent} bytes")


def test_a_thousand_slow_heads_do_not_stop_a_normal_client(server):
    # The suite's server has the default 10 s timeout; the slow clients' heads are
    # still incomplete when the normal client's requests are answered.
    slow = []
    try:
        for _ in range(1000):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT_SECONDS)
            connection.sendall(b"GET /lots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(connection)
        for _ in range(20):
            with connect(server.port) as connection:
                connection.sendall(b"GET /lots HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                assert status_and_body(read_until_eof(connection))[0] == 200
        # Every slow client is still connected: answered while they hang, not after the server dropped them.
        still_open = 0
        for connection in slow:
            connection.setblocking(False)
            try:
                still_open += connection.recv(1) != b""
            except BlockingIOError:
                still_open += 1
        assert still_open == 1000, f"{1000 - still_open} slow clients were dropped before the header timeout"
    finally:
        for connection in slow:
            connection.close()


async def socket_cap(server) -> None:
    async with aiohttp.ClientSession() as session:
        owner = await register(session, server.base, "owner")
        lot = await create_lot(session, server.base, owner)
    url = f"{server.ws_base}/ws/lots/{lot}"
    sockets = [await websockets.connect(url) for _ in range(5)]
    try:
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(url)
        assert refused.value.response.status_code == 429
        assert "at most 5" in json.loads(refused.value.response.body)["detail"]
        await sockets.pop().close()
        # The place is freed when the server has closed its side: admitted once it has.
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                try:
                    sockets.append(await websockets.connect(url))
                    break
                except websockets.InvalidStatus as error:
                    assert error.response.status_code == 429
                    await asyncio.sleep(0.05)
        await sockets[-1].send("ping")
        async with asyncio.timeout(WAIT_SECONDS):
            assert await sockets[-1].recv() == "pong"
    finally:
        for opened in sockets:
            await opened.close()


def test_sockets_past_the_per_address_cap_are_429_before_the_upgrade(quick_server):
    asyncio.run(socket_cap(quick_server))


async def flood(server) -> tuple[int | None, int]:
    """Sends pings as fast as it can without reading: (the close code, pongs received)."""
    async with aiohttp.ClientSession() as session:
        owner = await register(session, server.base, "owner")
        lot = await create_lot(session, server.base, owner)
    url = f"{server.ws_base}/ws/lots/{lot}"
    flooder = await websockets.connect(url, max_queue=None)
    try:
        async with asyncio.timeout(WAIT_SECONDS):
            for _ in range(5000):
                await flooder.send("ping")
            pongs = 0
            async for message in flooder:
                pongs += message == "pong"
    except websockets.ConnectionClosed:
        pongs = -1
    code = flooder.close_code
    # The server is unaffected: a new socket and an HTTP request are answered.
    async with websockets.connect(url) as calm:
        await calm.send("ping")
        async with asyncio.timeout(WAIT_SECONDS):
            assert await calm.recv() == "pong"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.base}/lots/{lot}") as response:
            assert response.status == 200
    return code, pongs


def test_a_socket_flooding_messages_is_closed_with_1008(server):
    code, pongs = asyncio.run(flood(server))
    assert code == 1008, f"close code {code}, {pongs} pongs"
