#!/usr/bin/env python3
"""Latency of `gongkai serve`: from writing one item file to the reload
event reaching an open tab's event stream.

`--edit body` (the default) appends a line to the body; `--edit title`
changes the title instead, which every list, catalogue and linking page
shows. Either way the time is until the reload event (the edited page is
served then); the script also times how long until the item's column list
answers with the change (`list`), since list requests wait while the rest
of an incremental rebuild runs.

Starts the given binary on a free port of 127.0.0.1 against a site (for
example the 10,000-item corpus of gen_corpus.py), listens to
/__gongkai/events like a browser tab, then edits one item at a time and
times each edit until the next `build` event. Checks after each edit
that the page shows the change. Prints every timing and the median.
Talks to 127.0.0.1 only and stops its server when done.

    python3 bench/serve_latency.py --bin target/release/gongkai \\
        --root /tmp/serve-c10k --edits 9
"""

import argparse
import glob
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request


def wait_for_address(proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        sys.stderr.write(line)
        match = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
        if match:
            return match.group(1)
    raise SystemExit("serve printed no address")


def cpu_seconds(pid):
    """User + system CPU time of a process (Linux), or None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def get(addr, path, timeout=60):
    try:
        with urllib.request.urlopen(f"http://{addr}{path}", timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


class EventStream:
    def __init__(self, addr):
        host, port = addr.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=120)
        self.sock.sendall(b"GET /__gongkai/events HTTP/1.1\r\nHost: x\r\n\r\n")
        self.buffer = b""

    def next_build(self):
        """Block until the next `build` event; its id."""
        while True:
            end = self.buffer.find(b"\n\n")
            if end >= 0:
                block, self.buffer = self.buffer[:end], self.buffer[end + 2:]
                lines = block.decode("utf-8", "replace").split("\n")
                if "event: build" in lines:
                    for line in lines:
                        if line.startswith("data: "):
                            return line[len("data: "):]
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("event stream closed")
            self.buffer += chunk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="target/release/gongkai")
    parser.add_argument("--root", required=True)
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--edit", choices=["body", "title"], default="body")
    args = parser.parse_args()

    items = sorted(glob.glob(os.path.join(args.root, "content", "*", "*", "*.md")))
    items = [p for p in items if not p.endswith("_index.md")]
    if not items:
        raise SystemExit("no items under content/")
    proc = subprocess.Popen(
        [args.bin, "serve", "--port", "0", "--root", args.root],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        addr = wait_for_address(proc, 60)
        drain = threading.Thread(target=lambda: [sys.stderr.write("  serve: " + l) for l in proc.stderr], daemon=True)
        drain.start()
        deadline = time.monotonic() + 300
        while get(addr, "/")[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit("first build never finished")
            time.sleep(0.2)
        stream = EventStream(addr)
        stream.next_build()  # the id sent on connecting
        time.sleep(1.0)  # let the watcher settle after the first build
        timings = []
        lists = []
        cpu = []
        step = max(1, len(items) // max(1, args.edits))
        for n in range(args.edits):
            path = items[(n * step + 17) % len(items)]
            marker = f"延迟测试标记{n}-{time.time_ns()}"
            with open(path, encoding="utf-8") as f:
                text = f.read()
            cpu_before = cpu_seconds(proc.pid)
            started = time.perf_counter()
            if args.edit == "title":
                edited = re.sub(r'^title: "?([^"\n]*)"?$', lambda m: f'title: "{m.group(1)}{marker}"',
                                text, count=1, flags=re.M)
                if edited == text:
                    raise SystemExit(f"{path}: no title line")
            else:
                edited = text.rstrip("\n") + f"\n\n{marker}\n"
            with open(path, "w", encoding="utf-8") as f:
                f.write(edited)
            stream.next_build()
            elapsed = (time.perf_counter() - started) * 1000
            cpu_after = cpu_seconds(proc.pid)
            timings.append(elapsed)
            used = ""
            if cpu_before is not None and cpu_after is not None:
                cpu.append((cpu_after - cpu_before) * 1000)
                used = f" ({cpu[-1]:.0f} ms CPU)"
            rel = os.path.relpath(path, args.root)
            print(f"edit {n + 1}: {elapsed:7.1f} ms{used}  {rel}", flush=True)
            parts = rel.split(os.sep)[1:]
            slug = "-".join(parts[2][: -len(".md")].split())
            url = "/" + "/".join(urllib.parse.quote(p) for p in parts[:2] + [slug]) + "/"
            status, page = get(addr, url)
            if status != 200 or marker not in page:
                raise SystemExit(f"{url}: the edit is not served ({status})")
            column_url = url.rsplit("/", 2)[0] + "/"
            status, _ = get(addr, column_url)
            listed = (time.perf_counter() - started) * 1000
            lists.append(listed)
            if status != 200:
                raise SystemExit(f"{column_url}: {status}")
            print(f"        list answered after {listed:7.1f} ms", flush=True)
            time.sleep(1.0)  # one edit at a time
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            stream.next_build()
            time.sleep(1.0)
        print(
            f"median {statistics.median(timings):.1f} ms, "
            f"min {min(timings):.1f} ms, max {max(timings):.1f} ms "
            f"over {len(timings)} edits"
        )
        print(f"list pages answered after a median {statistics.median(lists):.1f} ms")
        if cpu:
            print(f"median CPU time of the server per edit: {statistics.median(cpu):.0f} ms")
        print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
