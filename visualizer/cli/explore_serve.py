"""`backprop explore --serve`: the explorer from a server on 127.0.0.1 that recomputes.

The page POSTs an edit ({"key": "lr", "value": "0.7"}, or {"key": "weight", "id": "e-1-2-1",
"value": "0.3"}) to /recompute; the server applies it to the spec as the command line would
(the same option types, NetSpec's own checks), reruns the network and the verification, and
answers with the new payload, or with the command line's one-line message for a bad edit (the
spec stays as it was). A reload shows the spec as edited so far. One edit runs at a time.
"""

from __future__ import annotations

import errno
import json
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import click

from visualizer.errors import UsageError

from .checking import checked_run

EDITS = ("input", "target", "lr", "activation", "output_activation", "loss", "weight", "bias")


class Session:
    """The spec being explored and the trace of it; edits replace both, or neither."""

    def __init__(self, spec, sample, steps: int, precision: int, verify: bool, options: dict):
        self.spec, self.sample, self.steps, self.precision, self.verify = spec, sample, steps, precision, verify
        self.options = options  # the command's click options by name: an edit is read as they read it
        self.lock = threading.Lock()
        self.trace = self._trace(spec, sample)
        self._page = None

    def _trace(self, spec, sample):
        return checked_run(spec, sample, self.steps, verify=self.verify)

    def page(self) -> str:
        from visualizer.render.explore import page_html

        with self.lock:
            if self._page is None:
                self._page = page_html(self.trace, precision=self.precision, serve=True)
            return self._page

    def edit(self, change: dict) -> dict:
        """{"payload": …} after the edit, or {"error": the command line's message}."""
        from visualizer.render.explore import payload

        with self.lock:
            try:
                spec, sample = self._edited(change)
                trace = self._trace(spec, sample)
            except (UsageError, click.ClickException) as err:
                message = err.format_message() if isinstance(err, click.ClickException) else str(err)
                return {"error": f"backprop: error: {message}"}
            self.spec, self.sample, self.trace, self._page = spec, sample, trace, None
            return {"payload": payload(trace, precision=self.precision)}

    def _edited(self, change: dict):
        key, value = change.get("key"), change.get("value")
        if key not in EDITS or not isinstance(value, str):
            raise UsageError(f"cannot edit {key!r}; the page edits {', '.join(EDITS)}")
        if key in ("weight", "bias"):
            return _parameter(self.spec, key, str(change.get("id", "")), value), self.sample
        option = self.options.get(key)
        # as the command line reads it (its type's message names the option), then NetSpec's checks
        parsed = option.type.convert(value, option, None) if option is not None and option.type else value
        # an edited input or target is no longer the data set's sample
        sample = None if key in ("input", "target") else self.sample
        return self.spec.with_overrides(**{key: parsed}), sample


def _parameter(spec, key: str, where: str, value: str):
    """The spec with one starting weight (e-l-j-k) or bias (n-l-j) set; the others as they were."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise UsageError(f"{value!r} is not a finite number; give a {key} such as 0.15")
    parts = where.split("-")
    weights, biases = spec.parameters()
    try:
        l, j = int(parts[1]), int(parts[2]) - 1
        if key == "weight" and parts[0] == "e":
            weights[l - 1][j, int(parts[3]) - 1] = number
        elif key == "bias" and parts[0] == "n" and l > 0:
            biases[l - 1][j] = number
        else:
            raise ValueError
    except (ValueError, IndexError):
        raise UsageError(f"no {key} {where!r} in {spec.name}") from None
    return spec.with_overrides(weights=tuple(weights), biases=tuple(biases))


def serve(spec, sample, steps: int, precision: int, *, verify: bool, port: int | None, options: dict) -> None:
    """Serve until Ctrl-C, which ends it cleanly (exit status 0: stopping is how a server ends)."""
    try:  # the port first: one taken is said at once, not after the run
        server = ThreadingHTTPServer(("127.0.0.1", port or 0), Handler)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} is in use; give another with --port, or leave it out for a free one"
            ) from None
        raise UsageError(f"cannot serve on port {port}: {err.strerror or err}; give another with --port") from None
    server.daemon_threads = True
    server.session = Session(spec, sample, steps, precision, verify, options)
    click.echo(f"serving the explorer of {spec.name} at http://127.0.0.1:{server.server_port}/ (Ctrl-C stops it)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("backprop: stopped serving", err=True)
    finally:
        server.server_close()


class Handler(BaseHTTPRequestHandler):
    """The page at /, an edit at /recompute; the server's `session` holds what is explored."""

    def do_GET(self):
        if self.path.split("?")[0] not in ("/", "/index.html"):
            return self._send(404, "text/plain; charset=utf-8", b"not found; the explorer is at /")
        self._send(200, "text/html; charset=utf-8", self.server.session.page().encode("utf-8"))

    def do_POST(self):
        if self.path != "/recompute":
            return self._send(404, "text/plain; charset=utf-8", b"not found")
        try:
            change = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            answer = self.server.session.edit(change if isinstance(change, dict) else {})
        except json.JSONDecodeError:
            answer = {"error": "backprop: error: the edit was not JSON"}
        except Exception:  # a bug: said in the page and on the server's terminal, the server goes on
            traceback.print_exc()
            answer = {"error": "backprop: internal error (see the server's terminal)"}
        self._send(200, "application/json", json.dumps(answer, ensure_ascii=False).encode("utf-8"))

    def _send(self, status: int, kind: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # the terminal shows the address and errors, not each request
        pass
