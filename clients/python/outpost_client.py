"""A minimal Outpost instance client using only the Python standard library.

    from outpost_client import Client
    with Client.connect() as client:          # or Client.get_or_start()
        print(client.call("status"))

See docs/PROTOCOL.md for the protocol this implements.
"""
import collections
import fcntl
import json
import os
import socket
import struct
import subprocess
import time

PROTOCOL_VERSION = 1
MAX_FRAME_LEN = 16 * 1024 * 1024


class OutpostError(Exception):
    """A MAPI error returned by the instance."""

    def __init__(self, code, name, message):
        super().__init__(f"{message} [{name} (0x{code:08X})]")
        self.code = code
        self.name = name
        self.message = message


def runtime_dir():
    home = os.environ.get("OUTPOST_HOME")
    if home:
        return os.path.join(home, "run")
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        return os.path.join(xdg, "outpost")
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(data, "outpost", "run")


class Client:
    def __init__(self, sock):
        self._sock = sock
        self._next_id = 1
        self.welcome = None
        # Notifications that arrived while a call waited for its response.
        self._notifications = collections.deque()

    @classmethod
    def connect(cls, directory=None):
        path = os.path.join(directory or runtime_dir(), "instance.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        client = cls(sock)
        client._handshake()
        return client

    @classmethod
    def get_or_start(cls, outpost="outpost", directory=None, timeout=10.0):
        directory = directory or runtime_dir()
        try:
            return cls.connect(directory)
        except (FileNotFoundError, ConnectionRefusedError):
            pass
        os.makedirs(directory, mode=0o700, exist_ok=True)
        with open(os.path.join(directory, "start.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return cls.connect(directory)
            except (FileNotFoundError, ConnectionRefusedError):
                pass
            with open(os.path.join(directory, "instance.log"), "a") as log:
                subprocess.Popen([outpost, "instance", "run"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
            deadline = time.monotonic() + timeout
            while True:
                try:
                    return cls.connect(directory)
                except (FileNotFoundError, ConnectionRefusedError):
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"the Outpost instance did not start within {timeout} s")
                    time.sleep(0.01)

    def _send(self, message):
        payload = json.dumps(message).encode("utf-8")
        self._sock.sendall(struct.pack("<I", len(payload)) + payload)

    def _read_exact(self, size):
        data = bytearray()
        while len(data) < size:
            part = self._sock.recv(size - len(data))
            if not part:
                raise ConnectionError("the instance closed the connection")
            data += part
        return bytes(data)

    def _receive(self):
        (length,) = struct.unpack("<I", self._read_exact(4))
        if length > MAX_FRAME_LEN:
            raise ConnectionError(f"frame of {length} bytes exceeds the limit")
        return json.loads(self._read_exact(length))

    def _handshake(self):
        self._send({"type": "hello", "protocol_version": PROTOCOL_VERSION,
                    "client_version": "python-0.1", "pid": os.getpid()})
        reply = self._receive()
        if reply["type"] == "error":
            error = reply["error"]
            raise OutpostError(error["code"], error["name"], error["message"])
        self.welcome = reply

    def call(self, method, params=None):
        """Sends one request and returns its result; raises OutpostError for MAPI errors."""
        request_id = self._next_id
        self._next_id += 1
        self._send({"type": "request", "id": request_id, "method": method, "params": params or {}})
        chunks = []
        while True:
            reply = self._receive()
            if reply["type"] == "notification":
                self._notifications.append(reply)
                continue
            if reply.get("id") not in (request_id, None):
                continue
            if reply["type"] == "response":
                if reply["result"] is None and chunks:
                    # A large result comes as pieces of its JSON text (docs/PROTOCOL.md).
                    return json.loads("".join(chunks))
                return reply["result"]
            if reply["type"] == "chunk":
                chunks.append(reply["data"])
            elif reply["type"] == "error":
                error = reply["error"]
                raise OutpostError(error["code"], error["name"], error["message"])

    def subscribe(self, folder=None, profile=None):
        """Subscribes to the session's events (of one folder: a kind, path or entry ID)."""
        params = {k: v for k, v in (("folder", folder), ("profile", profile)) if v is not None}
        return self.call("subscribe", params)["subscription"]

    def next_notification(self, timeout=None):
        """The next notification frame ({subscription, event, data}); socket.timeout if none
        arrives within `timeout` seconds."""
        if self._notifications:
            return self._notifications.popleft()
        self._sock.settimeout(timeout)
        try:
            while True:
                reply = self._receive()
                if reply["type"] == "notification":
                    return reply
        finally:
            self._sock.settimeout(None)

    def close(self):
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
