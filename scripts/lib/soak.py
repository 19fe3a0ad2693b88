"""The soak load (scripts/soak): bids, lot listing and bid pages, and sockets that
connect and leave, against a running server; samples its RSS, open files and the
p99 of the HTTP requests 30 times over the run, prints them as a table, and
judges them flat when the mean of the last ten samples is within 10 % of the mean
of samples 5 to 10 (for 30 minutes: the last ten minutes against minutes 5-10).

    python soak.py --base http://127.0.0.1:PORT --pid PID --minutes 30
"""

import argparse
import asyncio
import os
import random
import time
import uuid

import aiohttp
import websockets

SAMPLES = 30


def rss_kib(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


class Figures:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.socket_errors = 0
        self.bids = 0
        self.sockets_opened = 0
        self.sockets_open = 0

    def take_latencies(self) -> list[float]:
        taken, self.latencies = self.latencies, []
        return taken


async def timed(figures: Figures, call) -> int:
    started = time.monotonic()
    try:
        status = await call()
    except (aiohttp.ClientError, asyncio.TimeoutError):
        status = 0
    figures.latencies.append(time.monotonic() - started)
    return status


async def account(session, base: str, prefix: str) -> dict:
    name, password = f"{prefix}-{uuid.uuid4().hex[:10]}", "soak-password"
    async with session.post(f"{base}/account", data={"username": name, "password": password}) as response:
        assert response.status == 201, await response.text()
    async with session.post(f"{base}/account/token", data={"username": name, "password": password}) as response:
        token = (await response.json())["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def bidder(session, base, lots, prices, figures, rate, stop):
    me = await account(session, base, "bidder")
    placed = set()
    while not stop.is_set():
        lot = random.choice(lots)
        prices[lot] += 1
        method = session.patch if lot in placed else session.post

        async def call():
            async with method(f"{base}/lots/{lot}/bids", data={"amount": str(prices[lot])}, headers=me) as response:
                await response.read()
                return response.status

        status = await timed(figures, call)
        if status in (200, 201):
            placed.add(lot)
            figures.bids += 1
        elif status != 400:  # 400: outbid in between, which the load allows
            figures.errors += 1
        await asyncio.sleep(1 / rate)


async def lister(session, base, lots, figures, stop):
    while not stop.is_set():
        path = random.choice(["/lots?status=all&limit=50", f"/lots/{random.choice(lots)}/bids?limit=50"])

        async def call():
            async with session.get(f"{base}{path}") as response:
                await response.read()
                return response.status

        if await timed(figures, call) != 200:
            figures.errors += 1
        await asyncio.sleep(0.1)


async def watcher(ws_base, lots, figures, stop):
    """One socket slot: connects, reads for a while, leaves, again."""
    await asyncio.sleep(random.uniform(0, 10))
    while not stop.is_set():
        try:
            async with websockets.connect(f"{ws_base}/ws/lots/{random.choice(lots)}", open_timeout=30) as socket:
                figures.sockets_opened += 1
                figures.sockets_open += 1
                try:
                    async with asyncio.timeout(random.uniform(20, 60)):
                        async for _ in socket:
                            pass
                except TimeoutError:
                    pass
                finally:
                    figures.sockets_open -= 1
        except (OSError, websockets.WebSocketException, TimeoutError):
            figures.socket_errors += 1
            await asyncio.sleep(1)


def p99(values: list[float]) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))] * 1000


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--bidders", type=int, default=10)
    parser.add_argument("--bid-rate", type=float, default=2, help="bids a second per bidder")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    ws_base = args.base.replace("http://", "ws://")
    interval = args.minutes * 60 / SAMPLES
    figures = Figures()
    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        owner = await account(session, args.base, "owner")
        lots = []
        for index in range(5):
            form = {"title": f"Soak lot {index}", "description": "soak", "starting_price": "1"}
            async with session.post(f"{args.base}/lots", data=form, headers=owner) as response:
                lots.append((await response.json())["id"])
        prices = {lot: 1 for lot in lots}
        tasks = [asyncio.create_task(bidder(session, args.base, lots, prices, figures, args.bid_rate, stop))
                 for _ in range(args.bidders)]
        tasks += [asyncio.create_task(lister(session, args.base, lots, figures, stop)) for _ in range(2)]
        tasks += [asyncio.create_task(watcher(ws_base, lots, figures, stop)) for _ in range(args.sockets)]
        print(f"soak {args.label}: {args.minutes} min, a sample every {interval:.0f} s, "
              f"{args.bidders} bidders at {args.bid_rate}/s, {args.sockets} socket slots", flush=True)
        print(f"{'sample':>6} {'at (s)':>7} {'RSS (MiB)':>10} {'files':>6} {'p99 (ms)':>9} {'load':>5} {'requests':>9} "
              f"{'bids':>7} {'sockets':>8} {'opened':>7} {'errors':>6} {'ws errors':>9}", flush=True)
        rows = []
        started = time.monotonic()
        for sample in range(1, SAMPLES + 1):
            await asyncio.sleep(max(0.0, started + sample * interval - time.monotonic()))
            latencies = figures.take_latencies()
            # The machine's 1-minute load beside the p99: on a shared machine a p99 that
            # rises with the load is the machine, not the server.
            row = (rss_kib(args.pid) / 1024, open_files(args.pid), p99(latencies), os.getloadavg()[0])
            rows.append(row)
            print(f"{sample:>6} {time.monotonic() - started:>7.0f} {row[0]:>10.1f} {row[1]:>6} {row[2]:>9.1f} {row[3]:>5.2f} "
                  f"{len(latencies):>9} {figures.bids:>7} {figures.sockets_open:>8} {figures.sockets_opened:>7} "
                  f"{figures.errors:>6} {figures.socket_errors:>9}", flush=True)
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    flat = True
    for index, name in enumerate(["RSS", "open files", "p99"]):
        baseline = sum(row[index] for row in rows[4:10]) / 6
        last = sum(row[index] for row in rows[20:30]) / 10
        ok = last <= baseline * 1.10
        flat = flat and ok
        print(f"{name}: samples 5-10 {baseline:.1f}, last ten {last:.1f} ({(last / baseline - 1) * 100 if baseline else 0:+.1f} %): "
              f"{'flat' if ok else 'GROWING'}")
    load_baseline = sum(row[3] for row in rows[4:10]) / 6
    load_last = sum(row[3] for row in rows[20:30]) / 10
    print(f"load average (not judged): samples 5-10 {load_baseline:.2f}, last ten {load_last:.2f}")
    print(f"verdict {args.label}: {'flat' if flat else 'NOT FLAT'}; {figures.errors} HTTP errors "
          f"(no answer, or not 2xx/outbid), {figures.socket_errors} sockets that failed to open or broke")
    return 0 if flat and figures.errors == 0 and figures.socket_errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
