#!/usr/bin/env python3
"""The store attacked from outside: what a careless user, a failing disk or a second process does
to a database, and what pactgraph must do about it (lose nothing, say why, keep serving reads).

    attack_storage_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME", "skip NAME: why" or "FAIL NAME: why"; the exit status is the number of
failures.
"""
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
PRESS = os.path.join(DATASETS, "press")
work = tempfile.mkdtemp(prefix="pactgraph-attack-storage-")
check = Checks()
TOKEN = "attack-token"


def run(db, *args, stdin=None, timeout=120):
    p = subprocess.run([PG, "--db", db, *args], capture_output=True, text=True, input=stdin, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def counts(db):
    rc, out, err = run(db, "stats", "--format", "json")
    assert rc == 0, err
    s = json.loads(out)
    s.pop("disk_bytes", None)
    return s


def fresh(name, *paths):
    db = os.path.join(work, name)
    rc, out, err = run(db, "import", "--quiet", *(paths or [PRESS]))
    assert rc == 0, err
    return db


def serve(db, *global_flags):
    return start_server(PG, db, TOKEN, global_flags=global_flags)


def request(port, method, path, body=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": "Bearer " + TOKEN} if method == "POST" else {}
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        return r.status, r.read().decode(errors="replace")
    finally:
        c.close()


def stop(proc):
    stop_server(proc)


def facts(tag, n=3):
    lines = ['{"kind":"entity","name":"%s Co","type":"Company"}' % tag]
    for i in range(n):
        lines.append('{"kind":"relation","type":"DEVELOPS","subject":"%s Co","object":"%s Product %d"}' % (tag, tag, i))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- documents (finding 1)

def test_posted_articles_without_a_name_stay_apart():
    db = fresh("posted.db")
    proc, port = serve(db)
    try:
        for company, product in (("Acme Corp", "Fjord Server"), ("Beta Inc", "Lumen DB")):
            status, body = request(port, "POST", "/documents",
                                   "Title: %s news\n\n%s will support %s on Quill OS.\n" % (company, company, product))
            assert status == 201, (status, body)
            assert json.loads(body)["relations_retracted"] == 0, body
        for company, product in (("Acme Corp", "Fjord Server"), ("Beta Inc", "Lumen DB")):
            status, body = request(port, "GET", "/query?q=" + ('WHAT DOES "%s" SUPPORT' % company).replace(" ", "%20"))
            assert status == 200, body
            rows = json.loads(body)["rows"]
            assert [r["values"]["object"] for r in rows] == [product], (company, body[:300])
        status, body = request(port, "POST", "/documents?replaces=%23999", "Title: x\n\nAcme Corp will support X.\n")
        assert status == 404 and "999" in body, (status, body)
    finally:
        stop(proc)


# --------------------------------------------------------------------------- the log (finding 2)

def flip(path, offset, bit):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ bit]))


def tree(db):
    out = {}
    for n in sorted(os.listdir(db)):
        p = os.path.join(db, n)
        if os.path.isfile(p) and not n.startswith("LOG"):
            with open(p, "rb") as f:
                out[n] = f.read()
    return out


def test_a_damaged_log_is_refused_and_nothing_is_rebuilt():
    base = fresh("wal.db")
    logs = [n for n in os.listdir(base) if n.endswith(".log")]
    assert logs and os.path.getsize(os.path.join(base, logs[0])) > 1000, "the last import is not in the log"
    for offset, bit in ((None, 1), (20, 4)):
        db = os.path.join(work, "wal-%s.db" % offset)
        shutil.copytree(base, db)
        log = os.path.join(db, logs[0])
        flip(log, offset if offset is not None else os.path.getsize(log) // 2, bit)
        before = tree(db)
        for args in (["check"], ["stats"], ["query", "WHO SUPPORTS RHEL"], ["import", os.path.join(PRESS, "sap-google-2017.txt")]):
            rc, out, err = run(db, *args)
            assert rc != 0, (args, out[-300:])
            assert "damaged" in err and "not opened" in err, (args, err[-300:])
        assert tree(db) == before, "the damaged store was changed"
    # The undamaged copy still holds everything.
    rc, out, err = run(base, "check")
    assert rc == 0, out + err


def test_import_never_makes_a_store_among_somebodys_files():
    db = fresh("nometa.db")
    # An empty folder becomes a store; a folder of someone's files does not.
    mine = os.path.join(work, "my-files")
    os.makedirs(mine)
    for n in ("000001.sst", "notes.txt", "MANIFEST-old"):
        with open(os.path.join(mine, n), "w") as f:
            f.write("keep me\n")
    rc, out, err = run(mine, "import", os.path.join(PRESS, "sap-google-2017.txt"))
    assert rc != 0 and "not a pactgraph database" in err, (rc, err)
    assert sorted(os.listdir(mine)) == ["000001.sst", "MANIFEST-old", "notes.txt"], os.listdir(mine)
    for n in os.listdir(mine):
        with open(os.path.join(mine, n)) as f:
            assert f.read() == "keep me\n", n
    rc, out, err = run(db, "check")
    assert rc == 0, err


def test_a_damaged_table_file_is_not_called_a_lock():
    db = fresh("sst.db")
    # Push everything into table files, then damage the largest one.
    for i in range(3):
        rc, out, err = run(db, "import", "--quiet", "-", stdin=facts("Tablet%d" % i, 50))
        assert rc == 0, err
    ssts = sorted((os.path.getsize(os.path.join(db, n)), n) for n in os.listdir(db) if n.endswith(".sst"))
    assert ssts, os.listdir(db)
    path = os.path.join(db, ssts[-1][1])
    size = os.path.getsize(path)
    # The blocks just before the 53-byte footer: the index and the properties, read at open.
    with open(path, "r+b") as f:
        f.seek(size - 53 - 120)
        data = f.read(80)
        f.seek(size - 53 - 120)
        f.write(bytes(b ^ 0xFF for b in data))
    rc, out, err = run(db, "check")
    assert rc != 0, out
    assert "open for writing by another process" not in err + out, err + out
    assert "damaged" in err, err


# --------------------------------------------------------------------------- full disk (finding 4)

def test_a_full_disk_is_an_error_and_the_server_keeps_serving_reads():
    mount = os.path.join(work, "small-disk")
    os.makedirs(mount)
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount],
                                           capture_output=True).returncode != 0:
        return "a small disk needs a tmpfs mount, which this machine does not allow"
    try:
        db = os.path.join(mount, "db")
        rc, out, err = run(db, "--min-free-space", "1M", "import", "--quiet", PRESS)
        assert rc == 0, err
        # Fill the disk but for ~300 KB.
        free = shutil.disk_usage(mount).free
        with open(os.path.join(mount, "filler"), "wb") as f:
            f.write(b"\0" * max(0, free - 300 * 1024))
        rc, out, err = run(db, "--min-free-space", "1M", "import", "-", stdin=facts("Full"))
        assert rc != 0 and "KiB free" in err, (rc, err)
        proc, port = serve(db, "--min-free-space", "1M")
        try:
            # Before the margin, this loop ran the disk full and RocksDB's assertion
            # "sync_without_flush_called_" took the server down after 16 writes.
            refused = 0
            for i in range(60):
                status, body = request(port, "POST", "/facts", facts("Post%d" % i, 100))
                assert status in (507, 201), (status, body)
                refused += status == 507
                status, body = request(port, "GET", "/query?q=WHO%20SUPPORTS%20RHEL")
                assert status == 200, (i, status, body[:200])
            assert refused == 60, refused
            assert proc.poll() is None, "the server died"
            # Space comes back: writes go on.
            os.remove(os.path.join(mount, "filler"))
            status, body = request(port, "POST", "/facts", facts("After", 5))
            assert status == 201, (status, body)
        finally:
            stop(proc)
        assert proc.returncode == 0, proc.returncode
        rc, out, err = run(db, "check")
        assert rc == 0, out + err
    finally:
        subprocess.run(["umount", "-l", mount], capture_output=True)


# --------------------------------------------------------------------------- readers (finding 11)

def test_readers_beside_a_writer_always_answer():
    db = fresh("beside.db")
    proc, port = serve(db)
    stop_flag = threading.Event()
    posted = [0]

    def writer():
        # Small documents through the log, and every fourth a bulk one of 60,000 relations,
        # written as table files that the writer's compactions later merge and delete.
        i = 0
        while not stop_flag.is_set():
            status, body = request(port, "POST", "/facts", facts("Writer%d" % i, 60000 if i % 4 == 3 else 40), timeout=120)
            assert status == 201, body
            posted[0] += 1
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    failed = []
    try:
        deadline = time.time() + 20
        n = 0
        while time.time() < deadline:
            for args in (["check"], ["stats"], ["query", "WHO SUPPORTS RHEL"]):
                rc, out, err = run(db, *args)
                n += 1
                if rc != 0:
                    # check reports a problem on standard output, other failures on the error stream.
                    failed.append((args[0], rc, (err.strip() + " " + out.strip()).strip()[-300:]))
    finally:
        stop_flag.set()
        t.join()
        stop(proc)
    assert posted[0] >= 4, posted
    assert not failed, "%d of %d reads failed beside the writer, e.g. %s" % (len(failed), n, failed[:3])


# --------------------------------------------------------------------------- files (finding 12)

def test_many_imports_keep_the_number_of_files_bounded():
    db = fresh("files.db", os.path.join(PRESS, "sap-google-2017.txt"))
    for i in range(150):
        rc, out, err = run(db, "import", "--quiet", "-", stdin=facts("Many%d" % i, 2))
        assert rc == 0, err
    files = len(os.listdir(db))
    assert files < 120, "%d files after 150 imports" % files
    # A reader with a small file-handle limit still opens the store.
    p = subprocess.run("ulimit -n 200 && exec %s --db %s check" % (PG, db), shell=True, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert counts(db)["relations"] >= 300, counts(db)


check("articles posted without a name stay two documents; replaces names a stored one",
      test_posted_articles_without_a_name_stay_apart)
check("a log with a flipped bit is refused by every command and nothing is rebuilt",
      test_a_damaged_log_is_refused_and_nothing_is_rebuilt)
check("import never makes a store among somebody's files", test_import_never_makes_a_store_among_somebodys_files)
check("a damaged table file is reported as damage, not as a lock", test_a_damaged_table_file_is_not_called_a_lock)
check("a full disk is an error and the server keeps serving reads",
      test_a_full_disk_is_an_error_and_the_server_keeps_serving_reads)
check("check, stats and query beside a writing server always answer", test_readers_beside_a_writer_always_answer)
check("150 imports keep the number of files bounded; ulimit -n 200 still opens", test_many_imports_keep_the_number_of_files_bounded)
shutil.rmtree(work, ignore_errors=True)
check.finish()
