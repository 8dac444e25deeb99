"""Benchmark: the web app (`hamrehab serve`).

- preview refresh of a 12-week plan, server time (goal < 300 ms): the htmx POST the page sends on each
  change, through the app in-process (Starlette's test client, no network), for every diagnosis;
- PDF download of a 12-week full handout (goal < 0.5 s), fonts already loaded;
- 20 concurrent preview requests against a real uvicorn on 127.0.0.1 (goal: all served, no error).
Prints each figure beside its goal.
"""
from __future__ import annotations

import datetime as dt
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hamrehab import load_catalogue
from hamrehab.vocab import DIAGNOSES
from hamrehab.web import Settings, create_app

TODAY = dt.date(2026, 3, 2)
KIT = ["chair", "step", "towel", "wall", "anchor-or-partner", "ice-pack", "heat-pack"]


def form(token: str, diagnosis: str = "hamstring-strain") -> dict[str, object]:
    return {"csrf": token, "equipment_shown": "1", "diagnosis": diagnosis, "stage_for": diagnosis, "side": "left", "weeks": "12",
            "start": TODAY.isoformat(), "days_per_week": "3", "pain": "2", "runner_km_per_week": "40", "weak_glute_side": "right",
            "page_size": "a4", "handout": "full", "equipment": KIT, "name": "Sam Runner"}


def token_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match
    return match.group(1)


def timed(call, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def in_process(runs: int) -> list[tuple[str, float, str, bool]]:
    rows = []
    app = create_app(Settings(tmp_root=Path(tempfile.mkdtemp()) / "web", today=lambda: TODAY), catalogue=load_catalogue())
    with TestClient(app, base_url="http://127.0.0.1") as client:
        token = token_of(client.get("/plan").text)
        worst = 0.0
        for diagnosis in DIAGNOSES:
            data = form(token, diagnosis)
            assert client.post("/plan/preview", data=data).status_code == 200
            times = timed(lambda data=data: client.post("/plan/preview", data=data), runs)
            worst = max(worst, statistics.median(times))
            rows.append((f"preview refresh, 12 weeks, {diagnosis}: median", statistics.median(times), "< 300 ms",
                         statistics.median(times) < 300))
        drop = {**form(token), "action": "drop:chair-bridge"}
        times = timed(lambda: client.post("/plan/preview", data=drop), runs)
        rows.append(("preview refresh after 'Leave out': median", statistics.median(times), "< 300 ms", statistics.median(times) < 300))
        data = form(token)
        client.post("/plan/download/pdf", data=data)  # fonts load once per process
        times = timed(lambda: client.post("/plan/download/pdf", data=data), max(5, runs // 4))
        rows.append(("PDF download, 12-week full handout: median", statistics.median(times), "< 500 ms", statistics.median(times) < 500))
        rows.append(("PDF download, 12-week full handout: worst", max(times), "< 500 ms", max(times) < 500))
    return rows


def concurrent(n: int = 20) -> tuple[int, int, float]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(tmp_root=Path(tempfile.mkdtemp()) / "web", today=lambda: TODAY), catalogue=load_catalogue())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(n)]
    tokens = [token_of(c.get("/plan").text) for c in clients]
    barrier = threading.Barrier(n)

    def one(i: int) -> int:
        barrier.wait()
        return clients[i].post("/plan/preview", data=form(tokens[i], DIAGNOSES[i % len(DIAGNOSES)])).status_code

    t0 = time.perf_counter()
    with ThreadPoolExecutor(n) as pool:
        codes = list(pool.map(one, range(n)))
    wall = (time.perf_counter() - t0) * 1000
    for c in clients:
        c.close()
    server.should_exit = True
    thread.join(timeout=30)
    return sum(code == 200 for code in codes), n, wall


def main(runs: int = 20) -> None:
    rows = in_process(runs)
    ok, n, wall = concurrent()
    print(f"{'measure':<58} {'figure':>10}  {'goal':<10} ok")
    for name, ms, goal, good in rows:
        print(f"{name:<58} {ms:>7.0f} ms  {goal:<10} {'yes' if good else 'NO'}")
    print(f"{f'{n} concurrent preview requests (uvicorn, 127.0.0.1): served':<58} {ok:>4} / {n}  {'all, no error':<10} "
          f"{'yes' if ok == n else 'NO'}")
    print(f"{'  ... all of them, wall time':<58} {wall:>7.0f} ms")


if __name__ == "__main__":
    main()
