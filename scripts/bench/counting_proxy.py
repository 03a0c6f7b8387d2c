#!/usr/bin/env python3
"""A counting HTTP proxy for lookout's benchmarks: forwards every request to UPSTREAM unchanged (gzip included) and
appends one line per answer to COUNTS: `<unix time> <path> <response body bytes as sent> <status>`.

    counting_proxy.py LISTEN_PORT UPSTREAM_URL COUNTS_FILE

Loopback only; stops on SIGTERM."""
import http.client
import http.server
import signal
import sys
import threading
import time
import urllib.parse

port = int(sys.argv[1])
upstream = urllib.parse.urlsplit(sys.argv[2])
counts_path = sys.argv[3]
lock = threading.Lock()


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port or 80, timeout=60)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
        except Exception as error:  # the upstream is gone: say so, count nothing
            self.send_error(502, str(error))
            return
        finally:
            conn.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        with lock, open(counts_path, "a") as counts:
            counts.write(f"{time.time():.3f} {urllib.parse.urlsplit(self.path).path} {len(data)} {answer.status}\n")

    do_GET = forward
    do_POST = forward
    do_DELETE = forward

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
server.serve_forever()
