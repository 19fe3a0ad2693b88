"""/metrics counts each request under the status the client got."""

import asyncio
import re
from collections import Counter

import aiohttp

# name{label="value",...} value: labels in any order.
SAMPLE = re.compile(r"^(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)(?:\{(?P<labels>.*)\})?\s+(?P<value>\S+)")
LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')
# The server's request counter: http_requests_total{method, route, status}.
STATUS = "status"
ROUTE = "route"
MIX = [("/lots/999", 404)] * 2 + [("/account/me", 401)] + [("/lots", 200)] * 3


def request_counters(text: str) -> dict[str, Counter]:
    """Each counter family whose samples carry a status label: (route, status) -> count."""
    families: dict[str, Counter] = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if not match or line.startswith("#"):
            continue
        labels = dict(LABEL.findall(match["labels"] or ""))
        name = match["name"]
        if STATUS not in labels or name.endswith(("_bucket", "_sum", "_count")):
            continue
        key = (labels.get(ROUTE, "?"), labels[STATUS])
        families.setdefault(name, Counter())[key] += int(float(match["value"]))
    return families


async def scrape(session, base) -> dict[str, Counter]:
    async with session.get(f"{base}/metrics") as response:
        assert response.status == 200
        return request_counters(await response.text())


async def measure(server):
    async with aiohttp.ClientSession() as session:
        before = await scrape(session, server.base)
        for path, status in MIX:
            async with session.get(f"{server.base}{path}") as response:
                assert response.status == status, f"GET {path}: {response.status}"
                await response.read()
        after = await scrape(session, server.base)
    # What the mix added, leaving out the scrapes themselves.
    return {
        name: Counter({key: count - before.get(name, Counter())[key]
                       for key, count in counts.items()
                       if key[0] != "/metrics" and count != before.get(name, Counter())[key]})
        for name, counts in after.items()
    }


def test_the_request_counter_shows_the_statuses_clients_got(server):
    added = asyncio.run(measure(server))
    counters = {name: counts for name, counts in added.items() if name.endswith("requests_total")}
    assert len(counters) == 1, (
        f"expected one request counter named ..._total with a {STATUS} label; "
        f"counters with that label and what the mix added: {dict(added)}"
    )
    (name, counts), = counters.items()
    statuses = Counter()
    for (route, status), count in counts.items():
        statuses[status] += count
    assert statuses == Counter({"404": 2, "401": 1, "200": 3}), f"{name} added {dict(counts)}"
