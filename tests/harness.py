"""What the end-to-end test scripts share: named checks that count their failures, and a
`pactgraph serve` on a free loopback port.

    from harness import Checks, start_server, stop_server
    check = Checks()
    check("a query answers", test_a_query_answers)   # prints "ok NAME", "skip NAME: why" or "FAIL NAME: why"
    check.finish()                                   # prints the count; the exit status is the number of failures
"""
import re
import subprocess
import sys


class Checks:
    def __init__(self):
        self.failures = 0

    def __call__(self, name, fn):
        """Runs fn(); a string it returns is the reason it skipped; any exception is a failure."""
        try:
            skipped = fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported the same way
            self.failures += 1
            print(f"FAIL {name}: {e!r}" if not isinstance(e, AssertionError) else f"FAIL {name}: {e}")
            return
        print(f"skip {name}: {skipped}" if isinstance(skipped, str) and skipped else f"ok {name}")

    def fail(self, what):
        """A failure found outside a check."""
        self.failures += 1
        print(f"FAIL {what}")

    def finish(self):
        print(f"{self.failures} failures")
        sys.exit(self.failures)


def start_server(pg, db, token, *flags, global_flags=()):
    """Starts `pg --db DB [GLOBAL_FLAGS] serve --port 0 --token TOKEN FLAGS`; returns (process, port)."""
    proc = subprocess.Popen([pg, "--db", db, *global_flags, "serve", "--port", "0", "--token", token, *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r":(\d+)/", line)
    if not m:
        proc.kill()
        raise AssertionError("the server did not start: " + line + proc.stderr.read())
    return proc, int(m.group(1))


def stop_server(proc):
    """SIGTERM, then SIGKILL after 30 s; returns what the server wrote to its standard error."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.stderr.read()
