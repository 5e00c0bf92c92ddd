#!/usr/bin/env python3
"""The benchmark mode of scripts/bench.sh for `dockerkit lsp`: the time from a one-character didChange (a `#` typed
at the start of a line, then deleted) to its published diagnostics, median and 95th percentile, on a 2,000-line
document and a 100,000-line one.
  python3 scripts/lsp-latency.py path/to/dockerkit
"""
import json, statistics, subprocess, sys, time

dk = sys.argv[1]
server = subprocess.Popen([dk, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

def send(obj):
    body = json.dumps(obj).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()

def receive():
    headers = {}
    while True:
        line = server.stdout.readline().decode().strip()
        if not line:
            break
        key, _, value = line.partition(":")
        headers[key.lower()] = value.strip()
    return json.loads(server.stdout.read(int(headers["content-length"])))

def until_diagnostics(version):
    while True:
        message = receive()
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
            return message

send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
receive()
uri = "file:///tmp/bench/Dockerfile"
for lines in (2000, 100000):
    text = "FROM ubuntu:22.04\n" + "".join(f"RUN apt-get install -y pkg{i} && echo $V{i}\n" for i in range(lines - 1))
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}})
    until_diagnostics(1)
    times = []
    for k in range(40 if lines <= 2000 else 10):
        version = 2 + k
        start = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version},
              "contentChanges": [{"range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": k % 2}}, "text": "#" if k % 2 == 0 else ""}]}})
        until_diagnostics(version)
        times.append(time.perf_counter() - start)
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    print(f"lsp: edit-to-diagnostics median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms on {lines:,} lines"
          f" (goal: median <= {10 if lines <= 2000 else 50} ms)")
    send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    until_closed = receive()
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
receive()
send({"jsonrpc": "2.0", "method": "exit"})
server.wait(timeout=10)
