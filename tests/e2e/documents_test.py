#!/usr/bin/env python3
"""Documents and evidence as a user meets them (issue 18, item 5): one press release imported
under two file names, again with a URL in its header and again with its lines wrapped otherwise
is one document with five locations (the URL and four files), and every answer row names it once; `pactgraph documents`
lists documents a page at a time, GET /documents and /documents/{id} over HTTP too; an evidence
item is the whole sentence with the span of the words that state the fact, the document's id,
publisher and URL.

    documents_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-documents-")
db = os.path.join(work, "db")
check = Checks()
URL = "https://news.example.com/2009/02/red-hat-microsoft"

with open(os.path.join(DATASETS, "press", "redhat-microsoft-2009.txt"), encoding="utf-8") as f:
    STORY = f.read()
header, body = STORY.split("\n\n", 1)
copies = {
    "first.txt": STORY,
    "second-name.txt": STORY,
    "with-url.txt": header + "\nURL: " + URL + "\n\n" + body,
    # The same words, the paragraphs' lines wrapped at 60 columns and indented.
    "rewrapped.txt": header + "\n\n" + "\n\n".join(
        textwrap.fill(para, 60, initial_indent="  ", subsequent_indent="  ", break_long_words=False,
                      break_on_hyphens=False) for para in body.split("\n\n")),
}


def pg(*args, ok=True):
    r = subprocess.run([PG, "--db", db, *args], capture_output=True, text=True, env={**os.environ, "NO_COLOR": ""})
    if ok:
        assert r.returncode == 0, (args, r.returncode, r.stdout, r.stderr)
    return r


def imported(name):
    return pg("import", os.path.join(work, name)).stdout


def documents(*flags):
    return json.loads(pg("documents", "--format", "json", *flags).stdout)


def the_story():
    docs = [d for d in documents("--limit", "100")["documents"] if d["title"].startswith("Red Hat and Microsoft")]
    assert len(docs) == 1, docs
    return docs[0]


for name, text in copies.items():
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        f.write(text)


def test_one_story_from_four_places_is_one_document():
    first = imported("first.txt")
    assert "already imported" not in first, first
    for name, more in (("second-name.txt", "1 more location "), ("with-url.txt", "2 more locations"),
                       ("rewrapped.txt", "1 more location ")):
        out = imported(name)
        assert "already imported" in out and "recorded " + more in out, (name, out)
    story = the_story()
    places = story["locations"]
    assert places[0] == URL, places
    for name in copies:
        assert os.path.join(work, name) in places, (name, places)
    assert len(places) == 5, places
    assert story["facts"] > 0 and story["publisher"] == "pactgraph sample press releases", story


def test_importing_the_same_file_again_changes_nothing():
    before = the_story()
    out = imported("second-name.txt")
    assert "nothing changed" in out, out
    assert the_story() == before


def test_an_answer_row_names_the_story_once():
    story = the_story()
    out = pg("query", "--format", "json", 'WHO SUPPORTS "RHEL" ON "Hyper-V"').stdout
    rows = json.loads(out)["rows"]
    assert rows, out
    for row in rows:
        ids = [e["document_id"] for e in row["evidence"]]
        assert len(ids) == len(set(ids)), row
        assert story["id"] in ids, (story["id"], row)


def test_evidence_is_the_whole_sentence_with_the_span_of_its_words():
    story = the_story()
    out = pg("query", "--format", "json", 'WHO SUPPORTS "RHEL" ON "Hyper-V"').stdout
    items = [e for row in json.loads(out)["rows"] for e in row["evidence"]]
    assert items, out
    for e in items:
        assert e["document_id"] == story["id"] and e["url"] == URL, e
        assert e["publisher"] == "pactgraph sample press releases", e
        text, (b, end) = e["text"], e["span"]
        assert text.endswith("."), text
        assert 0 <= b < end <= len(text.encode()), e
    words = [e["text"].encode()[e["span"][0]:e["span"][1]].decode() for e in items]
    sentence = ("Under the arrangement, Microsoft will validate and support Red Hat Enterprise Linux (RHEL) as a guest "
                "on Windows Server 2008 Hyper-V and on Hyper-V Server 2008.")
    assert any(e["text"] == sentence for e in items), [e["text"] for e in items]
    assert any("Microsoft will validate and support" in w and w.endswith("Hyper-V Server 2008") for w in words), words


def test_a_table_marks_the_words_in_the_sentence():
    out = pg("query", 'WHO SUPPORTS "RHEL" ON "Hyper-V"').stdout
    marked = [l for l in out.splitlines() if l.strip().startswith("source:") and "\u00bb" in l and "\u00ab" in l]
    assert marked, out
    assert any('"Under \u00bbthe arrangement, Microsoft will validate and support' in l and
               'Hyper-V Server 2008\u00ab."' in l for l in marked), marked
    assert "\x1b[" not in out, out


def test_documents_lists_a_page_at_a_time():
    pg("import", os.path.join(DATASETS, "press", "oracle-microsoft-2013.txt"))
    everything = documents()
    assert everything["total"] == len(everything["documents"]) >= 2, everything
    ids = [d["id"] for d in everything["documents"]]
    assert ids == sorted(ids), ids
    page1 = documents("--limit", "1")
    assert [d["id"] for d in page1["documents"]] == ids[:1] and page1["next_offset"] == 1, page1
    page2 = documents("--limit", "1", "--after", str(page1["next_after"]))
    assert [d["id"] for d in page2["documents"]] == ids[1:2], page2
    page2b = documents("--limit", "1", "--offset", "1")
    assert page2b["documents"] == page2["documents"], (page2, page2b)
    last = documents("--offset", str(len(ids) - 1))
    assert last["next_offset"] is None and len(last["documents"]) == 1, last
    table = pg("documents", "--limit", "1").stdout
    assert "--after %d" % ids[0] in table and "facts" in table, table
    bad = pg("documents", "--limit", "none", ok=False)
    assert bad.returncode == 2 and "--limit" in bad.stderr, bad.stderr
    typo = pg("documens", ok=False)
    assert typo.returncode == 2 and 'did you mean "documents"' in typo.stderr, typo.stderr


def test_check_verifies_the_fingerprint_index():
    out = pg("check").stdout
    assert out.startswith("ok:"), out


def get(port, path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=30) as r:
            return r.status, json.loads(r.read().decode())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode())


def test_documents_over_http():
    story = the_story()
    proc, port = start_server(PG, db, "t")
    try:
        status, page = get(port, "/documents?limit=1")
        assert status == 200 and len(page["documents"]) == 1, page
        assert page["next_offset"] == 1 and page["next"] == "/documents?limit=1&offset=1", page
        status, rest = get(port, page["next"])
        assert status == 200 and rest["documents"][0]["id"] != page["documents"][0]["id"], rest
        status, one = get(port, "/documents/%d" % story["id"])
        assert status == 200 and one["locations"] == story["locations"], one
        assert one["facts"] and one["fact_count"] == story["facts"] == len(one["facts"]), one
        assert any(f["type"] == "SUPPORTS" for f in one["facts"]), one["facts"]
        status, err = get(port, "/documents?limit=many")
        assert status == 400 and "limit" in err["error"]["message"], err
        status, err = get(port, "/documents/999999")
        assert status == 404, err
        req = urllib.request.Request("http://127.0.0.1:%d/query" % port, method="POST",
                                     data=json.dumps({"query": 'WHO SUPPORTS "RHEL" ON "Hyper-V"'}).encode())
        with urllib.request.urlopen(req, timeout=30) as r:
            rows = json.loads(r.read().decode())["rows"]
        e = rows[0]["evidence"][0]
        assert e["document_id"] == story["id"] and e["url"] == URL and len(e["span"]) == 2, e
        status, api = get(port, "/openapi.json")
        assert "get" in api["paths"]["/documents"], api["paths"]["/documents"]
    finally:
        stop_server(proc)


check("one story from two file names, a URL and a rewrapped copy is one document with five locations",
      test_one_story_from_four_places_is_one_document)
check("importing the same file again changes nothing", test_importing_the_same_file_again_changes_nothing)
check("an answer row names the story once", test_an_answer_row_names_the_story_once)
check("evidence is the whole sentence with the span of its words, the document's id, publisher and URL",
      test_evidence_is_the_whole_sentence_with_the_span_of_its_words)
check("a table marks the words between » and « (no terminal)", test_a_table_marks_the_words_in_the_sentence)
check("documents lists a page at a time (--limit, --after, --offset)", test_documents_lists_a_page_at_a_time)
check("check passes with the fingerprint index", test_check_verifies_the_fingerprint_index)
check("GET /documents pages, /documents/{id} gives locations and facts, /query evidence has the new fields",
      test_documents_over_http)
shutil.rmtree(work, ignore_errors=True)
check.finish()
