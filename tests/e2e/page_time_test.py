#!/usr/bin/env python3
"""Time, disagreement and corroboration on the web page of `pactgraph serve`, in headless Chromium,
over the dated releases of datasets/timeline: a TIMELINE drawn as dated steps beside the graph, a
node's card asking for its entity's timeline, a relation's card counting the documents and
publishers that state it, a disputed fact marked in the drawing and in the answer's table. Then
the largest timeline of the bundled press and news data, timed as the page draws it.

    page_time_test.py PACTGRAPH DATASETS_DIR OUT_DIR

Chromium must be installed (see page_test.py). Screenshots go to OUT_DIR (page-timeline.png is
the README's picture, docs/page-timeline.png). Each check prints "ok NAME" or "FAIL NAME: why";
the exit status is the number of failures.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402
from chromium import NODES, Chromium, node_center, node_names, show_graph, wait_answer  # noqa: E402

PG, DATASETS, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(OUT, exist_ok=True)
work = tempfile.mkdtemp(prefix="pactgraph-page-time-")
check = Checks()
AGREEMENT = "Kestrel Systems\u2013Fjordsoft agreement"
STEPS = "[...document.querySelectorAll('#timeline ol.axis:not(.undated) li.step')]"

db = os.path.join(work, "db")
subprocess.run([PG, "--db", db, "import", "--quiet", "--gazetteer", os.path.join(DATASETS, "timeline-names.jsonl"),
                os.path.join(DATASETS, "timeline")], check=True)
chromium_binary = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium_binary:
    check.fail("chromium is not installed (scripts/install-deps.sh installs it)")
    check.finish()
server, port = start_server(PG, db, "page-time-token")
base = "http://127.0.0.1:%d" % port
b = Chromium(chromium_binary, os.path.join(work, "chromium"), OUT)


def get(path):
    return json.loads(urllib.request.urlopen(base + path, timeout=30).read())


def steps(b):
    """The panel's dated steps, top to bottom: [date, kind, publisher, fact]."""
    return b.js(STEPS + ".map(li => [li.dataset.date, li.dataset.kind, li.dataset.publisher, li.dataset.fact])")


def centre(b, expression, scroll=False):
    """The middle of an element on the screen; with scroll, the element scrolled into view first."""
    return b.js("(() => { const e = %s; if (%s) e.scrollIntoView({block: 'center'});"
                " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()" % (expression, "true" if scroll else "false"))


def link_between(x, y):
    return ("[...window.pactgraph.graph.links.values()].find(l => [l.a.name, l.b.name].sort().join('|') === %s)"
            % json.dumps("|".join(sorted([x, y]))))


def line_point(b, link):
    """A point of `link`'s line on the screen that no node or other line covers."""
    p = b.js("(() => { const l = %s; const h = l.hit; const x1 = +h.getAttribute('x1'), y1 = +h.getAttribute('y1'),"
             " x2 = +h.getAttribute('x2'), y2 = +h.getAttribute('y2'); const s = document.getElementById('drawing').getBoundingClientRect();"
             " for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) { const x = s.x + x1 + (x2 - x1) * t, y = s.y + y1 + (y2 - y1) * t;"
             " if (l.el.contains(document.elementFromPoint(x, y))) return [x, y]; } return null; })()" % link)
    assert p, "no free point on the line"
    return p


def draw_neighbourhood(b, focus, depth):
    show_graph(b)
    b.js("document.getElementById('focus').value = %s; document.getElementById('depth').value = '%d';"
         " document.getElementById('graph-status').textContent = ''" % (json.dumps(focus), depth))
    b.click(*centre(b, "document.querySelector('#graph-form button')"))
    b.wait("document.getElementById('graph-status').textContent.includes('relations')", "the neighbourhood of " + focus)


def test_the_server_counts_documents_and_publishers_per_relation():
    # Kestrel Systems' support of Quill OS: four documents (the newswire copy of the 2018 release is
    # the same document), three publishers; its sources disagree (planned, active, ended).
    g = get("/graph?depth=1&focus=" + urllib.parse.quote("Quill OS"))
    names = {n["id"]: n["name"] for n in g["nodes"]}
    support = [e for e in g["edges"] if e["type"] == "SUPPORTS" and names[e["source"]] == "Kestrel Systems"]
    assert len(support) == 1, g["edges"]
    assert (support[0]["documents"], support[0]["publishers"], support[0]["disputed"]) == (4, 3, True), support
    card = get("/entities/" + urllib.parse.quote("Brightwave Labs"))
    lumen = [r for r in card["outgoing"] if r["type"] == "SUPPORTS"]
    assert [(r["object"], r["documents"], r["publishers"], r["disputed"]) for r in lumen] == [("Lumen DB", 2, 2, True)], lumen
    assert sorted((s["status"], s["publisher"]) for s in lumen[0]["evidence"]) == [("active", "Fjordsoft Newsroom"), ("denied", "Cloud Ledger")]
    # One document, one publisher, no disagreement.
    tern = [e for e in g["edges"] if e["type"] == "RUNS_ON" and names[e["target"]] == "Tern Cloud"]
    assert [(e["documents"], e["publishers"], e["disputed"]) for e in tern] == [(1, 1, False)], tern
    # Certified in 2018, no longer in 2023 (Tern Weekly): two documents that disagree.
    validates = [e for e in g["edges"] if e["type"] == "VALIDATES"]
    assert [(e["documents"], e["publishers"], e["disputed"]) for e in validates] == [(2, 2, True)], validates


def test_the_agreements_timeline_is_drawn_beside_the_graph():
    b.open(base + "/")
    wait_answer(b)
    b.type_question('TIMELINE "%s"' % AGREEMENT)
    wait_answer(b)
    b.wait("!document.getElementById('timeline').hidden && " + STEPS + ".length > 0", "the timeline panel")
    got = steps(b)
    dates = [s[0] for s in got]
    assert len(got) >= 3 and len(set(dates)) >= 3, got
    assert dates == sorted(dates), dates
    assert all(s[2] for s in got), got
    # One step per telling: each sentence tells both parties' part in the agreement.
    assert [(s[0], s[1], s[2]) for s in got] == [("2018-03-05", "stated", "Fjordsoft Newsroom"), ("2018-09-10", "restated", "Kestrel Systems Newsroom"),
                                                  ("2021-06-30", "changed", "Kestrel Systems Newsroom")], got
    parties = ["Fjordsoft PARTY_TO " + AGREEMENT, "Kestrel Systems PARTY_TO " + AGREEMENT]
    assert all(s[3].split("\n") == parties for s in got), got
    text = b.js("document.getElementById('timeline').textContent")
    assert "Timeline of " + AGREEMENT in text and "active → ended" in text, text[:400]
    # The graph stays in view beside the panel: the timeline's facts drawn, the two side by side.
    assert {"Kestrel Systems", "Fjordsoft", AGREEMENT} <= node_names(b), node_names(b)
    drawing = b.js("(() => { const r = document.getElementById('drawing').getBoundingClientRect(); return [r.left, r.right, r.top, r.width]; })()")
    panel = b.js("(() => { const r = document.getElementById('timeline').getBoundingClientRect(); return [r.left, r.right, r.top, r.width]; })()")
    assert drawing[3] >= 600 and panel[0] >= drawing[1] and abs(panel[2] - drawing[2]) < 60, (drawing, panel)
    # A step clicked: its sentence, the stated words marked, and its line picked in the drawing.
    ended = STEPS + ".find(li => li.dataset.kind === 'changed')"
    b.click(*centre(b, ended, scroll=True))
    b.wait("(() => { const d = (%s).querySelector('.step-detail'); return d && !d.hidden; })()" % ended, "the step's sentence")
    detail = b.js("(%s).querySelector('.step-detail').textContent" % ended)
    assert "Kestrel Systems ended its partnership with Fjordsoft." in detail and "Kestrel Systems Newsroom" in detail, detail
    marks = b.js("[...(%s).querySelectorAll('.step-detail mark')].map(m => m.textContent)" % ended)
    assert marks and all(m in "Kestrel Systems ended its partnership with Fjordsoft." for m in marks), marks
    picked = b.js("[...window.pactgraph.graph.links.values()].filter(l => l.el.classList.contains('picked')).map(l => [l.a.name, l.b.name].sort().join('|'))")
    assert sorted(picked) == sorted(["Fjordsoft|" + AGREEMENT, "Kestrel Systems|" + AGREEMENT]), picked
    # The README's picture: the first step open, the panel from its top, the drawing beside it.
    b.click(*centre(b, ended, scroll=True))
    first = STEPS + "[0]"
    b.click(*centre(b, first, scroll=True))
    b.wait("(() => { const d = (%s).querySelector('.step-detail'); return d && !d.hidden; })()" % first, "the first step's sentence")
    b.js("document.getElementById('timeline').scrollTop = 0")
    show_graph(b)
    b.screenshot("page-timeline.png", element="graph-area")


def test_a_conflict_is_drawn_with_both_sides():
    b.type_question('CONFLICTS ABOUT "Lumen DB"')
    wait_answer(b)
    b.wait("document.getElementById('timeline').dataset.kind === 'conflicts' && " + STEPS + ".length === 1", "the conflict")
    [(date, kind, publishers, fact)] = steps(b)
    assert (date, kind, fact) == ("2019-04-02", "denied", "Brightwave Labs SUPPORTS Lumen DB (on Quill OS)"), steps(b)
    assert publishers == "Fjordsoft Newsroom | Cloud Ledger", publishers
    b.click(*centre(b, STEPS + "[0]"))
    marks = b.wait("(() => { const m = [...document.querySelectorAll('#timeline .step-detail mark')].map(m => m.textContent); return m.length === 2 ? m : null; })()",
                   "both sides' sentences")
    assert any("does not support" in m for m in marks), marks


def test_undated_sources_are_listed_apart():
    # No bundled release is undated: an answer as the server sends one, with an undated source
    # told first, is drawn by the page's own function.
    row = lambda date, step, status, source: {"values": {"date": date, "step": step, "fact": "Orca Networks SUPPORTS Quill OS", "status": status,
                                                         "source": source + ": A title", "sentence": "Orca Networks supports Quill OS."}, "evidence": []}
    answer = {"query": "TIMELINE \"Orca Networks (as written here)\"", "columns": ["date", "step", "fact", "status", "source", "sentence"],
              "rows": [row("2019-11-20", "stated", "active", "Orca Networks Blog"), row("2022-02-14", "changed", "active -> ended", "Orca Networks Blog"),
                       row("undated", "contradicted", "denied (undated; ended stands)", "A Forum")]}
    b.js("window.pactgraph.renderTimeline([%s])" % json.dumps(answer))
    assert [(s[0], s[1]) for s in steps(b)] == [("2019-11-20", "stated"), ("2022-02-14", "changed")], steps(b)
    apart = b.js("[...document.querySelectorAll('#timeline ol.undated li.step')].map(li => [li.dataset.date, li.dataset.publisher])")
    assert apart == [["undated", "A Forum"]], apart
    text = b.js("document.getElementById('timeline').textContent")
    assert "Undated sources (1)" in text and "never overrides a dated one" in text, text
    b.click(*centre(b, "document.querySelector('#timeline button.close')", scroll=True))
    assert b.js("document.getElementById('timeline').hidden"), "the panel's close button left it shown"


def test_a_node_cards_timeline_button_shows_its_timeline_beside_the_drawing():
    draw_neighbourhood(b, "Quill OS", 1)
    before = node_names(b)
    assert "Orca Networks" in before, before
    b.click(*node_center(b, "Orca Networks"))
    b.wait("!document.getElementById('card').hidden && !!document.getElementById('timeline-button')"
           " && document.querySelector('#card h2').textContent === 'Orca Networks'", "Orca Networks' card")
    b.js("document.getElementById('status').textContent = ''")
    b.click(*centre(b, "document.getElementById('timeline-button')"))
    assert wait_answer(b) == "2 rows", b.js("document.getElementById('status').textContent")
    b.wait("document.querySelector('#timeline h2') && document.querySelector('#timeline h2').textContent === 'Timeline of Orca Networks'",
           "Orca Networks' timeline")
    got = [(s[0], s[1], s[2]) for s in steps(b)]
    assert got == [("2019-11-20", "stated", "Orca Networks Blog"), ("2022-02-14", "changed", "Orca Networks Blog")], got
    assert b.js("document.getElementById('query').value") == 'TIMELINE "Orca Networks"'
    # The drawing the card was opened from stays.
    assert node_names(b) == before and b.js("window.pactgraph.graph.kind") == "neighbourhood", node_names(b)


def test_a_relations_card_counts_its_documents_and_publishers():
    # Drawn by the previous check: the neighbourhood of Quill OS.
    show_graph(b)
    b.wait(link_between("Kestrel Systems", "Quill OS") + " !== undefined", "Kestrel Systems – Quill OS")
    x, y = line_point(b, link_between("Kestrel Systems", "Quill OS"))
    b.mouse("mouseMoved", x - 30, y - 30)
    b.click(x, y)
    card = b.wait("(() => { const c = document.getElementById('card'); return !c.hidden && c.querySelector('h2').textContent.includes('Kestrel Systems')"
                  " && c.textContent.includes('stated by') ? c.textContent : ''; })()", "the relation's card")
    support = [p for p in b.js("[...document.querySelectorAll('#card .relation')].map(p => p.textContent)") if "SUPPORTS" in p]
    assert len(support) == 1 and "stated by 4 documents, 3 publishers" in support[0], (support, card[:600])
    # A line grows with its documents: four documents draw wider than one.
    widths = b.js("Object.fromEntries([...window.pactgraph.graph.links.values()].map(l => [l.a.name + '|' + l.b.name, parseFloat(getComputedStyle(l.line).strokeWidth)]))")
    wide = b.js(link_between("Kestrel Systems", "Quill OS") + ".line.getBoundingClientRect() && parseFloat(getComputedStyle(" + link_between("Kestrel Systems", "Quill OS") + ".line).strokeWidth)")
    one = b.js("parseFloat(getComputedStyle(" + link_between("Lumen DB", "Quill OS") + ".line).strokeWidth)")
    assert wide > one + 1, widths
    assert "wider: stated by more documents" in b.js("document.getElementById('legend').textContent")


def test_a_disputed_fact_is_marked_in_the_drawing_and_the_table():
    # In the neighbourhood: Brightwave Labs supports Lumen DB (Fjordsoft Newsroom), does not (Cloud Ledger).
    draw_neighbourhood(b, "Lumen DB", 1)
    dash = b.js("getComputedStyle(" + link_between("Brightwave Labs", "Lumen DB") + ".line).strokeDasharray")
    assert dash and dash != "none", dash
    assert b.js(link_between("Brightwave Labs", "Lumen DB") + ".el.classList.contains('disputed')")
    x, y = line_point(b, link_between("Brightwave Labs", "Lumen DB"))
    b.mouse("mouseMoved", x - 30, y - 30)
    b.click(x, y)
    card = b.wait("(() => { const c = document.getElementById('card'); return !c.hidden && c.querySelector('h2').textContent.includes('Brightwave Labs')"
                  " && c.textContent.includes('readings') ? c.textContent : ''; })()", "the disputed relation's card")
    assert "disputed" in card and "active (Fjordsoft Newsroom, 2018-03-05); denied (Cloud Ledger, 2019-04-02)" in card, card
    # In an answer: the row says disputed, with both readings; its line is dashed.
    b.type_question('WHAT DOES "Brightwave Labs" SUPPORT')
    wait_answer(b)
    row = b.wait("(() => { const r = document.querySelector('#answer tr.row.disputed'); return r ? [r.textContent, r.querySelector('.badge.disputed').title] : null; })()",
                 "a disputed row")
    assert "Lumen DB" in row[0] and "disputed" in row[0], row
    assert row[1] == "active (Fjordsoft Newsroom, 2018-03-05); denied (Cloud Ledger, 2019-04-02)", row
    b.wait(link_between("Brightwave Labs", "Lumen DB") + " && " + link_between("Brightwave Labs", "Lumen DB") + ".el.classList.contains('disputed')",
           "the answer's disputed line")
    # The line is named by the question's verb, not by the second word of the quoted subject; its
    # subject's card gives its documents.
    label = b.js(link_between("Brightwave Labs", "Lumen DB") + ".text.textContent")
    assert label == "SUPPORT", label
    b.wait(link_between("Brightwave Labs", "Lumen DB") + ".el.dataset.documents === '2'", "the answer line's documents")
    assert b.js("document.getElementById('timeline').hidden"), "a WHAT answer left the timeline shown"
    b.screenshot("page-disputed.png")


def test_the_largest_bundled_timeline_draws_promptly():  # and prints how long it took
    # The bundled press and news releases in one store; the entity with the most timeline rows.
    big = os.path.join(work, "big")
    subprocess.run([PG, "--db", big, "import", "--quiet", os.path.join(DATASETS, "press"), os.path.join(DATASETS, "news")], check=True)
    # As many rows as the command line gives (the count follows the extractor, not this test).
    out = subprocess.run([PG, "--db", big, "query", "--format", "json", "TIMELINE Microsoft"], check=True,
                         capture_output=True, text=True).stdout
    want = len(json.loads(out)["rows"])
    assert want > 20, want
    proc, p = start_server(PG, big, "page-time-big")
    try:
        b.open("http://127.0.0.1:%d/" % p)
        wait_answer(b)
        b.type_question("TIMELINE Microsoft")
        wait_answer(b)
        b.wait("!document.getElementById('timeline').hidden && window.pactgraph.timelineStats.rows === %d" % want,
               "Microsoft's timeline", timeout=60)
        stats = b.js("window.pactgraph.timelineStats")
        print("  TIMELINE Microsoft: %d rows in %d steps, the panel drawn in %.1f ms, the whole answer (table, panel, drawing) in %.1f ms"
              % (stats["rows"], stats["steps"], stats["ms"], stats["answerMs"]))
        # (The times are figures to report, not to test: a loaded machine draws slower.)
        dates = [s[0] for s in steps(b)]
        assert dates == sorted(dates), dates
        # Every dated fact of the store, as a window of forty years.
        b.type_question("CHANGES BETWEEN 1990-01-01 AND 2030-12-31")
        b.wait("document.getElementById('timeline').dataset.kind === 'changes'", "every change", timeout=60)
        stats = b.js("window.pactgraph.timelineStats")
        print("  CHANGES over forty years: %d rows in %d steps, the panel drawn in %.1f ms, the whole answer in %.1f ms"
              % (stats["rows"], stats["steps"], stats["ms"], stats["answerMs"]))
        assert stats["rows"] > 100 and stats["steps"] > 0, stats
    finally:
        stop_server(proc)


try:
    check("the server counts each relation's documents and publishers, and says when its sources disagree",
          test_the_server_counts_documents_and_publishers_per_relation)
    check("the agreement's TIMELINE is drawn as dated steps beside the graph; a step shows its marked sentence",
          test_the_agreements_timeline_is_drawn_beside_the_graph)
    check("a CONFLICTS answer is drawn with both sides' publishers and sentences", test_a_conflict_is_drawn_with_both_sides)
    check("undated sources are listed apart from the dated steps", test_undated_sources_are_listed_apart)
    check("a node card's timeline button shows its entity's timeline beside the drawing",
          test_a_node_cards_timeline_button_shows_its_timeline_beside_the_drawing)
    check("a relation's card counts the documents and publishers that state it; its line is wider",
          test_a_relations_card_counts_its_documents_and_publishers)
    check("a disputed fact is marked in the drawing, its card and the answer's table",
          test_a_disputed_fact_is_marked_in_the_drawing_and_the_table)
    check("the largest bundled timeline is drawn whole, in date order", test_the_largest_bundled_timeline_draws_promptly)
finally:
    b.close()
    stop_server(server)
    shutil.rmtree(work, ignore_errors=True)
check.finish()
