"""Headless Chromium driven over the DevTools protocol on a pipe, for the page's tests
(page_test.py, page_time_test.py): no port, no websocket client.

    b = Chromium(binary, profile_dir, screenshot_dir)
    b.open(url); b.type_question("TIMELINE Microsoft"); b.click(x, y); b.screenshot("name.png")
"""
import base64
import json
import os
import subprocess
import time


class Chromium:
    """Headless Chromium with one page, spoken to in DevTools messages (JSON, each ended by a NUL)
    on the pipe it reads as fd 3 and writes as fd 4."""

    def __init__(self, binary, profile, out, width=1280, height=900):
        self.out = out
        to_chromium_r, self._w = os.pipe()
        self._r, from_chromium_w = os.pipe()

        def as_fd_3_and_4():
            a, b = os.dup(to_chromium_r), os.dup(from_chromium_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--user-data-dir=" + profile,
             "--window-size=%d,%d" % (width, height), "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, close_fds=False,
            preexec_fn=as_fd_3_and_4)
        os.close(to_chromium_r)
        os.close(from_chromium_w)
        self._buf = b""
        self._next = 0
        self.session = None
        targets = self.send("Target.getTargets")["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        target = pages[0]["targetId"] if pages else self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def _message(self, deadline):
        while b"\0" not in self._buf:
            if time.time() > deadline:
                raise AssertionError("Chromium did not answer in time")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise AssertionError("Chromium closed the pipe: " + self.proc.stderr.read().decode(errors="replace")[-2000:])
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, **params):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if self.session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + 30
        while True:
            m = self._message(deadline)
            if m.get("id") == self._next:
                if "error" in m:
                    raise AssertionError("%s: %s" % (method, m["error"]))
                return m.get("result", {})

    def js(self, expression):
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise AssertionError("the page threw: %s" % r["exceptionDetails"].get("exception", {}).get("description", r["exceptionDetails"]))
        return r["result"].get("value")

    def wait(self, expression, what, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = self.js(expression)
            if v:
                return v
            time.sleep(0.1)
        raise AssertionError("waited %d s for %s" % (timeout, what))

    def open(self, url):
        self.send("Page.navigate", url=url)
        self.wait("document.readyState === 'complete'", "the page to load")

    def key(self, key, code, vk, modifiers=0):
        for kind in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=vk, modifiers=modifiers)

    def type_question(self, q, run_with=2):
        """Replaces the question with `q` as typed text, then presses Ctrl+Enter (Cmd+Enter with run_with=4)."""
        self.js("(() => { const q = document.getElementById('query'); q.focus(); q.select(); })()")
        self.send("Input.insertText", text=q)
        assert self.js("document.getElementById('query').value") == q
        self.js("document.getElementById('status').textContent = ''")
        self.key("Enter", "Enter", 13, modifiers=run_with)

    def mouse(self, kind, x, y, **more):
        self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, **more)

    def click(self, x, y):
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y, button="left", clickCount=1)
        self.mouse("mouseReleased", x, y, button="left", clickCount=1)

    def drag(self, x0, y0, x1, y1):
        self.mouse("mouseMoved", x0, y0)
        self.mouse("mousePressed", x0, y0, button="left", clickCount=1)
        for i in range(1, 6):
            self.mouse("mouseMoved", x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5, button="left", buttons=1)
        self.mouse("mouseReleased", x1, y1, button="left", clickCount=1)

    def screenshot(self, name, element=None, scale=1):
        """The window, or the part of it `element` (an id) takes, as OUT/name (OUT: the directory given)."""
        params = {"format": "png"}
        if element:
            r = self.js("(() => { const r = document.getElementById(%s).getBoundingClientRect();"
                        " return [r.x + scrollX, r.y + scrollY, r.width, Math.min(r.height, innerHeight - r.y)]; })()" % json.dumps(element))
            params["clip"] = {"x": r[0], "y": r[1], "width": r[2], "height": r[3], "scale": scale}
        data = self.send("Page.captureScreenshot", **params)["data"]
        with open(os.path.join(self.out, name), "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close")
        except AssertionError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# What the page's tests ask of its drawing and its answer.
NODES = "[...document.querySelectorAll('#nodes g.node')]"


def node_names(b):
    return set(b.js(NODES + ".map(g => g.dataset.name)"))


def node_center(b, name):
    r = b.js("(() => { const g = %s.find(g => g.dataset.name === %s); if (!g) return null;"
             " const r = g.querySelector('circle').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
             % (NODES, json.dumps(name)))
    assert r, "no node named %s in the drawing: %s" % (name, sorted(node_names(b)))
    return r


def show_graph(b):
    """Scrolls the drawing into the window: mouse events land only on what is in view."""
    b.js("document.getElementById('around').scrollIntoView()")


def wait_answer(b):
    return b.wait("(() => { const s = document.getElementById('status').textContent; return s && s !== 'asking…' ? s : ''; })()",
                  "an answer")
