#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small client for the VMM's control socket (docs/control.md), for tests.

    qmp.py SOCKET [STEP...]

Connects, prints the greeting, then runs the steps in order. Every line the
VMM sends is printed on stdout as canonical JSON (sorted keys; with -n, event
timestamps replaced by "T"), so tests can compare whole lines. Steps:

    JSON            send JSON and a newline, print lines until the reply
                    ({"return"...} or {"error"...}); events before it too
    @raw:TEXT       send TEXT as is (\\n escapes allowed), wait for nothing
    @bytes:N:C      send N copies of character C, no newline
    @reply          print lines until the next reply
    @event          print lines until the next event
    @eof            print lines until the VMM closes the connection
    @sleep:SECONDS  wait
    @close          close the connection now and exit
    @noread:N:JSON  send JSON N times without reading anything back

A line that is not JSON is printed as "NOT-JSON: ..." and makes the exit
status 1; a timeout (-t, default 10 s) prints "TIMEOUT" and exits 2.
"""
import json
import socket
import sys
import time


def canon(obj, normalize):
    if normalize and isinstance(obj, dict) and "event" in obj and "timestamp" in obj:
        ts = obj["timestamp"]
        ok = (isinstance(ts, dict) and isinstance(ts.get("seconds"), int)
              and isinstance(ts.get("microseconds"), int) and 0 <= ts["microseconds"] < 10**6)
        obj = dict(obj, timestamp="T" if ok else "BAD-TIMESTAMP")
    return json.dumps(obj, sort_keys=True)


class Client:
    def __init__(self, path, timeout, normalize):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""
        self.normalize = normalize
        self.bad = False

    def line(self):
        """The next line, or None at EOF."""
        while b"\n" not in self.buf:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                print("TIMEOUT")
                sys.exit(2)
            except ConnectionResetError:
                data = b""
            if not data:
                if self.buf:
                    print("PARTIAL: " + self.buf.decode(errors="replace"))
                return None
            self.buf += data
        text, self.buf = self.buf.split(b"\n", 1)
        return text.decode(errors="replace")

    def show(self, text):
        try:
            obj = json.loads(text)
        except ValueError:
            print("NOT-JSON: " + text)
            self.bad = True
            return None
        print(canon(obj, self.normalize))
        return obj

    def until(self, key):
        while True:
            text = self.line()
            if text is None:
                print("EOF")
                return
            obj = self.show(text)
            if isinstance(obj, dict) and any(k in obj for k in key):
                return

    def send(self, data):
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            print("SEND-FAILED: " + e.__class__.__name__)


def main(argv):
    timeout, normalize = 10.0, False
    while argv and argv[0].startswith("-"):
        opt = argv.pop(0)
        if opt == "-n":
            normalize = True
        elif opt == "-t":
            timeout = float(argv.pop(0))
        else:
            sys.exit("qmp.py: unknown option " + opt)
    if not argv:
        sys.exit(__doc__)
    c = Client(argv[0], timeout, normalize)
    c.until(("QMP", "error"))
    for step in argv[1:]:
        if step.startswith("@raw:"):
            c.send(step[5:].encode().decode("unicode_escape").encode("latin-1"))
        elif step.startswith("@bytes:"):
            _, n, ch = step.split(":", 2)
            c.send(ch.encode() * int(n))
        elif step == "@reply":
            c.until(("return", "error"))
        elif step == "@event":
            c.until(("event",))
        elif step == "@eof":
            while True:
                text = c.line()
                if text is None:
                    print("EOF")
                    break
                c.show(text)
        elif step.startswith("@sleep:"):
            time.sleep(float(step[7:]))
        elif step == "@close":
            c.sock.close()
            return 0
        elif step.startswith("@noread:"):
            _, n, msg = step.split(":", 2)
            c.send((msg + "\n").encode() * int(n))
        else:
            c.send(step.encode() + b"\n")
            c.until(("return", "error"))
    return 1 if c.bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
