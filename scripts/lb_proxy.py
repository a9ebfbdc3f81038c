"""A tiny round-robin HTTP load balancer for proving several web hosts on one machine.

    python scripts/lb_proxy.py --listen 8080 --backend 127.0.0.1:8001 --backend 127.0.0.1:8002

Each request goes to the next backend in turn (no stickiness: a session must work on any host).
It forwards the method, path, headers and body, adds X-Forwarded-For, and passes the answer back
unchanged (redirects are not followed). Loopback use only; a deployment uses nginx or the city's
load balancer (docs/deployment.md). ``serve`` is importable for tests.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


def make_handler(backends: list[tuple[str, int]], served: Counter[str],
                 journal: list[tuple[str, str]]) -> type[BaseHTTPRequestHandler]:
    turn = itertools.cycle(backends)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            with lock:
                host, port = next(turn)
                served[f"{host}:{port}"] += 1
                journal.append((f"{host}:{port}", self.path))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            headers["X-Forwarded-For"] = self.client_address[0]
            upstream = http.client.HTTPConnection(host, port, timeout=120)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
            except OSError:
                self.send_error(502, "Bad Gateway")
                return
            finally:
                upstream.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve(port: int, backends: list[tuple[str, int]]) -> tuple[ThreadingHTTPServer, Counter[str],
                                                               list[tuple[str, str]]]:
    """Start the proxy in a daemon thread; returns the server, its per-backend request count and
    the journal of (backend, path) in arrival order."""
    served: Counter[str] = Counter()
    journal: list[tuple[str, str]] = []
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(backends, served, journal))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, served, journal


def main() -> None:
    parser = argparse.ArgumentParser(description="轮询负载均衡（仅用于本机验证多台网页服务器）")
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--backend", action="append", required=True, help="host:port，可重复")
    args = parser.parse_args()
    backends = [(b.rsplit(":", 1)[0], int(b.rsplit(":", 1)[1])) for b in args.backend]
    server, _, _ = serve(args.listen, backends)
    print(f"listening on 127.0.0.1:{args.listen} -> {', '.join(args.backend)}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
