"""`pactgraph shell` on a pseudo-terminal, for the tests that type into it (shell_test.py,
shell_more_test.py): `send` types, `expect` reads until a pattern appears (escape sequences and
libedit's redraw marks removed), `ask` types a line and returns the answer before the next prompt.
"""
import fcntl
import os
import pty
import re
import select
import struct
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r| \x08")
PROMPT = "pactgraph> "


class PtyShell:
    """`argv` run on a terminal `columns` wide and `rows` high, with `env`, in `cwd`."""

    def __init__(self, argv, env, cwd=None, columns=120, rows=40):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)  # the child never runs the rest of the test
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.seen = ""

    def send(self, text):
        os.write(self.fd, text.encode())

    def expect(self, pattern, timeout=10):
        """Reads until `pattern` (a regex) appears after what earlier expects consumed."""
        deadline = time.time() + timeout
        while True:
            m = re.search(pattern, self.seen, re.S)
            if m:
                out = self.seen[: m.end()]
                self.seen = self.seen[m.end():]
                return out
            left = deadline - time.time()
            if left <= 0:
                alive = os.waitpid(self.pid, os.WNOHANG)[0] == 0
                raise AssertionError(f"did not see {pattern!r} (the shell is {'running' if alive else 'gone'}); "
                                     f"the screen shows: {self.seen[-800:]!r}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 4096).decode(errors="replace")
                except OSError:
                    chunk = ""
                if not chunk:
                    raise AssertionError(f"the shell ended; last output: {self.seen[-800:]!r}")
                self.seen += ANSI.sub("", chunk)

    def ask(self, line):
        """Types a line and returns what the shell printed before its next prompt."""
        self.send(line + "\r")
        self.expect(re.escape(line[-12:]) + r"\n")  # the terminal's echo of the typed line
        return self.expect(PROMPT)

    def close(self):
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def wait_exit(self, timeout=30):
        """The shell's exit status, once it has exited by itself."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            try:
                if select.select([self.fd], [], [], 0.1)[0]:
                    self.seen += ANSI.sub("", os.read(self.fd, 4096).decode(errors="replace"))
            except OSError:
                pass
        raise AssertionError(f"the shell did not exit; last output: {self.seen[-300:]!r}")
