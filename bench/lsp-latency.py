#!/usr/bin/env python3
"""Re-check latency of `copydesk lsp`: the time from sending an edit to
receiving the diagnostics of the edited text, for a story of a given size.

The time includes the server's debounce (edits in quick succession are
checked once, after the last); the script prints it beside the figures.

usage: bench/lsp-latency.py FOLDER [KB ...]     (default sizes: 5 and 200)
       COPYDESK=path/to/copydesk (default: target/release/copydesk)
The text of each size is the folder's stories (.txt), in name order, joined
until it is that long: for example ../shared/corpus/news.
"""
import json
import os
import statistics
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
exe = os.environ.get("COPYDESK", os.path.join(root, "target/release/copydesk"))


def send(p, msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def read(p):
    length = None
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def wait_for(p, pred):
    while True:
        msg = read(p)
        if msg.get("method") == "client/registerCapability":
            send(p, {"jsonrpc": "2.0", "id": msg["id"], "result": None})
        if pred(msg):
            return msg


def sized(stories, kb):
    out, size = [], 0
    for text in stories:
        if size >= kb * 1024:
            break
        out.append(text.strip())
        size += len(text.encode())
    return "\n\n".join(out) + "\n"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    stories = [open(os.path.join(folder, f), encoding="utf-8").read()
               for f in sorted(os.listdir(folder)) if f.endswith(".txt")]
    sizes = [int(x) for x in sys.argv[2:]] or [5, 200]
    p = subprocess.Popen([exe, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait_for(p, lambda m: m.get("id") == 1)
    send(p, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    print("debounce after an edit: 25 ms (included below)")
    for kb in sizes:
        text = sized(stories, kb)
        uri = f"file:///tmp/latency-{kb}.txt"
        send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}})
        wait_for(p, lambda m: m.get("method") == "textDocument/publishDiagnostics"
                 and m["params"]["uri"] == uri)
        times = []
        for v in range(2, 22):
            edit = text.replace(" the ", " the the ", 1) if v % 2 else text
            start = time.perf_counter()
            send(p, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": v},
                "contentChanges": [{"text": edit}]}})
            wait_for(p, lambda m: m.get("method") == "textDocument/publishDiagnostics"
                     and m["params"]["uri"] == uri and m["params"].get("version") == v)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{len(text.encode()) / 1024:6.0f} KB: median {statistics.median(times):6.1f} ms, "
              f"max {max(times):6.1f} ms over {len(times)} edits")
    send(p, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    wait_for(p, lambda m: m.get("id") == 2)
    send(p, {"jsonrpc": "2.0", "method": "exit", "params": None})
    p.wait()


if __name__ == "__main__":
    main()
