#!/usr/bin/env python3
"""Measures `lotse serve`'s edit-to-reload time: the time from saving an
article to the live-reload event reaching a browser's event stream.

usage: bench/edit_to_reload.py LOTSE_BINARY SITE_ROOT ARTICLE_REL [RUNS [PAUSE]]

It starts the server on a free port, listens to /__lotse/events like a
browser tab, appends a sentence to ARTICLE_REL (restored at the end) and
prints the median of RUNS edits, plus the server's own rebuild lines.
PAUSE (seconds, default 0.5) is the wait between a reload and the next
edit: after a fast rebuild the server updates the search index in the
background, so a short pause makes edits arrive while it does that (and
the update has to give way), a long one (2 s) lets it finish first.
"""
import os, socket, statistics, subprocess, sys, time

def main():
    binary, root, rel = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    pause = float(sys.argv[5]) if len(sys.argv) > 5 else 0.5
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([binary, "serve", "--root", root, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    path = os.path.join(root, rel)
    original = open(path, encoding="utf-8").read()
    try:
        deadline = time.time() + 300
        while True:
            try:
                sse = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        # The preview answers only to loopback names (DNS-rebinding guard).
        request = f"GET /__lotse/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        sse.sendall(request.encode())
        sse.settimeout(120)
        sse.recv(4096)  # response headers
        times = []
        for i in range(runs):
            time.sleep(pause)
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\nEdit number {i}.\n")
            buf = b""
            while b"event: reload" not in buf:
                chunk = sse.recv(4096)
                if not chunk:
                    raise RuntimeError("event stream closed")
                buf += chunk
            times.append((time.perf_counter() - start) * 1000)
        print(f"edit-to-reload over {runs} edits ({pause} s apart): median {statistics.median(times):.0f} ms, "
              f"min {min(times):.0f} ms, max {max(times):.0f} ms")
    finally:
        open(path, "w", encoding="utf-8").write(original)
        server.terminate()
        _, err = server.communicate(timeout=30)
        rebuilds = [l for l in err.splitlines() if l.startswith("rebuilt")]
        print("server:", rebuilds[0] if rebuilds else "", "…", rebuilds[-1] if rebuilds else "")

if __name__ == "__main__":
    main()
