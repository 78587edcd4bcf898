"""Real services for tests: a Redis server of the suite's own, which tests may stop
or freeze to see the portal survive it."""

import os
import shutil
import signal
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self, executable: str):
        self.executable = executable
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        arguments = [item for name, value in options.items() for item in (f"--{name}", str(value))]
        self.process = subprocess.Popen(
            [self.executable, *arguments, "--loglevel", "warning"], stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """Down: connections are refused."""
        if self.process:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """Hanging: connections are accepted by the kernel and never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process:
            os.kill(self.process.pid, signal.SIGCONT)

    def ensure_running(self) -> None:
        if self.process is None:
            self.start()
        else:
            self.resume()


def find_redis_server() -> str | None:
    return os.environ.get("REDIS_SERVER_PATH") or shutil.which("redis-server")


def page_status_for_query(*texts: str) -> int:
    """What a public page answers to a query holding these texts: the page, or 400
    for a NUL byte (portal.middleware.RejectNulBytesMiddleware)."""
    return 400 if any("\x00" in text for text in texts) else 200
