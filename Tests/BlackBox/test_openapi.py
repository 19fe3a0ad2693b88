"""/openapi.json is true: schemathesis finds no server error and no answer the document leaves out."""

import asyncio
import subprocess
import sys
from pathlib import Path

import aiohttp

from api import create_lot, register

# The run's own budget (st --max-time); the process is stopped at 3x that.
SCHEMATHESIS_SECONDS = 110
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
OVERSIZED = "x" * (70 * 1024)  # over the 64 KiB body limit


async def fresh_account(server):
    async with aiohttp.ClientSession() as session:
        return await register(session, server.base, "schemathesis")


def test_schemathesis_finds_no_server_error_or_nonconformance(server, tmp_path):
    account = asyncio.run(fresh_account(server))
    command = [
        # The venv's st run by its Python: its #! line names wherever the venv was made.
        sys.executable, str(Path(sys.executable).with_name("st")), "run",
        f"{server.base}/openapi.json",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing,stateful",
        "--header", f"Authorization: Bearer {account.token}",
        # Logging out would end the token the rest of the run uses.
        "--exclude-name", "DELETE /account/token", "--exclude-name", "POST /account/logout",
        "--max-time", str(SCHEMATHESIS_SECONDS),
        "--no-color",
    ]
    # In a temporary folder: schemathesis keeps a cache (.schemathesis/) where it runs.
    run = subprocess.run(command, capture_output=True, text=True, timeout=SCHEMATHESIS_SECONDS * 3, cwd=tmp_path)
    # From the first section after the phases (failures, warnings, summary) to the end.
    sections = run.stdout.find("\n=====")
    print(run.stdout[sections:] if sections >= 0 else run.stdout[-4000:])
    assert run.returncode == 0, f"schemathesis exited {run.returncode}:\n{run.stdout[-12000:]}\n{run.stderr[-2000:]}"


async def oversized_answers(server):
    """Each operation that takes a body, sent one over the limit: (operation, status, documented statuses)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.base}/openapi.json") as response:
            document = await response.json()
        owner = await register(session, server.base, "owner")
        lot = await create_lot(session, server.base, owner)
        answers = []
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if "requestBody" not in operation:
                    continue
                url = f"{server.base}{path.replace('{lot_id}', str(lot))}"
                form = {"title": OVERSIZED, "username": OVERSIZED, "amount": OVERSIZED}
                async with session.request(method, url, data=form, headers=owner.headers) as response:
                    await response.read()
                    answers.append((f"{method.upper()} {path}", str(response.status), sorted(operation["responses"])))
        return answers


def test_a_body_over_the_limit_gets_a_documented_status(server):
    answers = asyncio.run(oversized_answers(server))
    assert answers, "the document lists no operation with a request body"
    undocumented = [answer for answer in answers if answer[1] not in answer[2]]
    assert not undocumented, f"answers the document leaves out (operation, status, documented): {undocumented}"
