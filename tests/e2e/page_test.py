#!/usr/bin/env python3
"""The web page of `pactgraph serve`, used as a person uses it, in headless Chromium: a question
typed and run with Ctrl+Enter and its answer drawn (a PATH as a chain, a MATCH as a subgraph), a
node clicked for its card and expanded, the drawing panned and zoomed, a relation hovered for its
sources, an EXPLAIN's plan shown, and a broken query's caret under its column.

    page_test.py PACTGRAPH DATASETS_DIR OUT_DIR

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: no port, no
websocket client); it must be installed: without it the test fails. Screenshots of the steps are
written to OUT_DIR (page-ask.png, page-click.png, page-expand.png, ...).
Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402
from chromium import NODES, Chromium, node_center, node_names, show_graph, wait_answer  # noqa: E402

PG, DATASETS, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(OUT, exist_ok=True)
work = tempfile.mkdtemp(prefix="pactgraph-page-")
check = Checks()
WIDTH, HEIGHT = 1280, 900


def labels_readable(b):
    """Every node's label: its name (no escape sequence), 11 to 16 screen pixels high."""
    labels = b.js(NODES + ".map(g => { const t = g.querySelector('text'); const r = t.getBoundingClientRect();"
                  " return [t.textContent, r.height, getComputedStyle(t).fontSize]; })")
    assert labels, "no labels"
    for name, height, size in labels:
        assert "\\n" not in name and "\n" not in name, "a label with a line break escape: %r" % name
        assert size == "12px" and 11 <= height <= 18, "label %r is %s (%.1f px high)" % (name, size, height)
    return labels


subprocess.run([PG, "--db", os.path.join(work, "db"), "import", "--quiet", os.path.join(DATASETS, "press")], check=True)
chromium_binary = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium_binary:
    # Not a skip: the page is a promise of the README, and this is its only test.
    check.fail("chromium is not installed (scripts/install-deps.sh installs it)")
    check.finish()
server, port = start_server(PG, os.path.join(work, "db"), "page-token")
base = "http://127.0.0.1:%d" % port
b = Chromium(chromium_binary, os.path.join(work, "chromium"), OUT, WIDTH, HEIGHT)


def test_the_page_loads_and_answers_its_question():
    b.open(base + "/")
    assert wait_answer(b) == "2 rows", b.js("document.getElementById('status').textContent")


def test_ctrl_enter_asks_and_the_path_is_drawn_as_a_chain():
    b.type_question('PATH Oracle TO "Red Hat"')
    status = wait_answer(b)
    assert status == "2 rows", status
    b.wait(NODES + ".length === 3", "three nodes")
    assert node_names(b) == {"Oracle", "Microsoft", "Red Hat"}, node_names(b)
    links = b.js("[...document.querySelectorAll('#links g.link')].map(g => g.querySelector('text').textContent)")
    assert sorted(links) == ["PARTNERS_WITH", "PARTNERS_WITH"] or len(links) == 2, links
    labels_readable(b)
    # The table with its evidence stays under the question.
    assert "Oracle Corporation and Microsoft Corporation today announced a partnership" in b.js("document.getElementById('answer').textContent")
    # The server's span of the stated words is highlighted in the sentence.
    marks = b.js("[...document.querySelectorAll('#answer mark')].map(m => m.textContent)")
    assert any("announced a partnership" in m for m in marks), marks
    b.screenshot("page-ask.png")


def test_cmd_enter_asks_too_and_match_rows_are_drawn_as_a_subgraph():
    b.type_question("MATCH (c:Company)-[:PARTNERS_WITH]-(d:Company) RETURN c.name, d.name LIMIT 20", run_with=4)
    status = wait_answer(b)
    assert status.endswith("rows"), status
    b.wait(NODES + ".some(g => g.dataset.name === 'Apple')", "Apple in the drawing")
    names = node_names(b)
    assert {"Apple", "IBM", "Microsoft", "Oracle"} <= names, names
    # Apple and IBM: one edge, named by the pattern's relation, drawn once for the two rows.
    pairs = b.js("[...graph_links()].map(l => [l.a.name, l.b.name, l.text.textContent])".replace(
        "graph_links()", "window.pactgraph.graph.links.values()"))
    apple_ibm = [p for p in pairs if {p[0], p[1]} == {"Apple", "IBM"}]
    assert len(apple_ibm) == 1 and apple_ibm[0][2] == "PARTNERS_WITH", pairs


def test_a_node_clicked_shows_its_card_and_expands():
    b.type_question('PATH Oracle TO "Red Hat"')
    wait_answer(b)
    show_graph(b)
    b.wait(NODES + ".length === 3 && " + NODES + ".every(g => g.dataset.id)", "the answer's entities known by id")
    x, y = node_center(b, "Oracle")
    b.click(x, y)
    b.wait("!document.getElementById('card').hidden && document.querySelector('#card h2').textContent === 'Oracle'"
           " && !!document.getElementById('expand')", "Oracle's card")
    card = b.js("document.getElementById('card').textContent")
    assert "Company" in card and "Relations" in card, card[:500]
    b.screenshot("page-click.png")
    before = len(node_names(b))
    ex = b.js("(() => { const r = document.getElementById('expand').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    b.click(*ex)
    b.wait(NODES + ".length > %d" % before, "more nodes after expanding")
    names = node_names(b)
    assert "Oracle Database" in names and {"Oracle", "Microsoft", "Red Hat"} <= names, names
    # Nodes already drawn stay where they were; the new ones do not sit on top of them.
    labels_readable(b)
    b.screenshot("page-expand.png")


def test_hovering_a_relation_shows_its_qualifiers_and_sources():
    show_graph(b)
    # Oracle's neighbourhood: relations known by id, their sources read from the subject's card.
    link = b.js("(() => { const l = [...window.pactgraph.graph.links.values()].find(l => l.rels.some(r => r.id !== undefined && r.type === 'SUPPORTS'));"
                " if (!l) return null; const r = l.hit.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2, l.a.name, l.b.name]; })()")
    assert link, "no SUPPORTS relation drawn"
    x, y, a, bb = link
    b.mouse("mouseMoved", x - 30, y - 30)
    b.mouse("mouseMoved", x, y)
    tip = b.wait("(() => { const t = document.getElementById('edge-tip'); return !t.hidden && t.textContent.includes('source:') ? t.textContent : ''; })()",
                 "the sources of %s – %s" % (a, bb))
    assert "SUPPORTS" in tip and (a in tip or bb in tip), tip
    b.screenshot("page-hover.png")
    # The README's picture: the drawing, a relation's sources and a card, small.
    b.screenshot("page-readme.png", element="graph-area", scale=0.7)
    b.mouse("mouseMoved", 5, 5)


def test_the_drawing_pans_and_zooms_with_labels_kept_at_screen_size():
    show_graph(b)
    x0, y0 = node_center(b, "Oracle")
    # A point of the background: no node or line under it.
    spot = b.js("(() => { const s = document.getElementById('drawing').getBoundingClientRect();"
                " for (let y = s.y + 60; y < s.bottom - 20; y += 15) for (let x = s.x + 20; x < s.right - 20; x += 15) {"
                " if (document.elementFromPoint(x, y) === document.getElementById('drawing')) return [x, y]; } return null; })()")
    assert spot, "no empty background to drag"
    b.drag(spot[0], spot[1], spot[0] + 80, spot[1] + 40)
    x1, y1 = node_center(b, "Oracle")
    assert abs(x1 - x0 - 80) < 2 and abs(y1 - y0 - 40) < 2, ((x0, y0), (x1, y1))
    distance = lambda: (lambda p, q: ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5)(node_center(b, "Oracle"), node_center(b, "Microsoft"))
    d0 = distance()
    b.mouse("mouseWheel", x1, y1, deltaX=0, deltaY=-400)
    b.wait("window.pactgraph.graph.scale > 0", "the wheel")
    time.sleep(0.2)
    d1 = distance()
    assert d1 > d0 * 1.3, (d0, d1)
    # The point under the wheel stays put.
    x2, y2 = node_center(b, "Oracle")
    assert abs(x2 - x1) < 2 and abs(y2 - y1) < 2, ((x1, y1), (x2, y2))
    labels_readable(b)
    zin = b.js("(() => { const r = document.getElementById('zoom-out').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    b.click(*zin)
    time.sleep(0.1)
    assert distance() < d1 * 0.9, "the - button did not zoom out"


def test_two_hops_of_rhel_are_drawn_readable():
    show_graph(b)
    b.js("document.getElementById('focus').value = 'RHEL'; document.getElementById('depth').value = '2'")
    x, y = b.js("(() => { const r = document.querySelector('#graph-form button').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    b.click(x, y)
    b.wait(NODES + ".length > 30", "the two-hop neighbourhood")
    names = node_names(b)
    assert {"Red Hat Enterprise Linux", "Microsoft", "Hyper-V"} <= names, names
    labels_readable(b)
    # The drawing fits the page: it is not an image thousands of points wide.
    w = b.js("document.getElementById('drawing').getBoundingClientRect().width")
    assert w <= WIDTH, w
    b.screenshot("page-neighbourhood.png")
    # The fit button brings every node into view.
    x, y = b.js("(() => { const r = document.getElementById('fit').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    b.click(x, y)
    outside = b.js("(() => { const s = document.getElementById('drawing').getBoundingClientRect(); return " + NODES +
                   ".filter(g => { const r = g.querySelector('circle').getBoundingClientRect();"
                   " return r.x < s.x || r.right > s.right || r.y < s.y || r.bottom > s.bottom; }).map(g => g.dataset.name); })()")
    assert not outside, outside


def test_explain_shows_the_plan():
    b.type_question('EXPLAIN WHO SUPPORTS "RHEL" ON "Hyper-V"')
    b.wait("(() => { const p = document.querySelector('#answer pre.plan'); return p && p.textContent.includes('Match'); })()", "the plan")
    status = b.js("document.getElementById('status').textContent")
    assert "could not be reached" not in status and b.js("document.getElementById('error').hidden"), status
    assert status == "the plan", status


def test_an_error_has_its_caret_under_the_column_and_clears_the_answer():
    b.type_question('WHO SUPPORTS "RHEL" ON "Hyper-V"')
    b.wait("document.querySelectorAll('#answer table tr.row').length > 0", "an answer")
    b.type_question("WHO SUPPORTS RHEL ON")
    err = b.wait("(() => { const e = document.getElementById('error'); return e.hidden ? '' : e.textContent; })()", "the error")
    lines = err.split("\n")
    assert lines[0] == "line 1, column 21: expected a value after ON, found end of input", lines
    assert lines[1] == "  WHO SUPPORTS RHEL ON", lines
    assert lines[2] == "  " + " " * 20 + "^", lines
    style = b.js("(() => { const s = getComputedStyle(document.getElementById('error')); return [s.whiteSpace, s.fontFamily]; })()")
    assert style[0] == "pre" and "monospace" in style[1], style
    assert b.js("document.getElementById('answer').children.length") == 0, "the previous answer is still shown"
    assert b.js("document.getElementById('status').textContent") == "error"
    # A word-long span: as many carets as the word, under it.
    b.type_question("MATCH (c:Compny) RETURN c")
    err = b.wait("(() => { const e = document.getElementById('error'); return e.textContent.includes('Compny') ? e.textContent : ''; })()", "the second error")
    lines = err.split("\n")
    assert lines[1] == "  MATCH (c:Compny) RETURN c" and lines[2] == "  " + " " * 9 + "^^^^^^", lines
    # On the second line of a question, and after a two-byte letter: the caret under the word still.
    b.type_question("MATCH (c:Company)\n  -[:PARTNERS_WITH]-(d:Compny)\nRETURN c")
    err = b.wait("(() => { const e = document.getElementById('error'); return e.textContent.includes('line 2') ? e.textContent : ''; })()", "the third error")
    lines = err.split("\n")
    assert lines[1] == "    -[:PARTNERS_WITH]-(d:Compny)" and lines[2] == "  " + " " * 23 + "^^^^^^", lines
    b.type_question('WHO SUPPORTS "Zürich" ON')
    err = b.wait("(() => { const e = document.getElementById('error'); return e.textContent.includes('Zürich') ? e.textContent : ''; })()", "the fourth error")
    lines = err.split("\n")
    assert lines[1] == '  WHO SUPPORTS "Zürich" ON' and lines[2] == "  " + " " * 24 + "^", lines
    b.screenshot("page-error.png")


def test_evidence_marks_its_span_counted_in_utf8_bytes():
    # Z, ü (two bytes), rich: bytes [0, 7) are "Zürich".
    html = b.js("window.pactgraph.quoteWithSpan('Zürich AG will support Fjord OS', [0, 7]).innerHTML")
    assert html == "<mark>Zürich</mark> AG will support Fjord OS", html
    html = b.js("window.pactgraph.quoteWithSpan('Zürich AG will support Fjord OS', [16, 23]).innerHTML")
    assert html == "Zürich AG will <mark>support</mark> Fjord OS", html
    # No span, or one that cuts a character: the sentence as it is.
    assert b.js("window.pactgraph.quoteWithSpan('Zürich AG', undefined).innerHTML") == "Zürich AG"
    assert b.js("window.pactgraph.quoteWithSpan('Zürich AG', [0, 2]).innerHTML") == "Zürich AG"


def test_the_page_fetches_nothing_from_elsewhere():
    urls = b.js("performance.getEntriesByType('resource').map(e => e.name)")
    others = [u for u in urls if not u.startswith(base + "/")]
    assert not others, others


try:
    check("the page loads and answers the question in its box", test_the_page_loads_and_answers_its_question)
    check("Ctrl+Enter asks; a PATH is drawn as a chain of named nodes, labels readable", test_ctrl_enter_asks_and_the_path_is_drawn_as_a_chain)
    check("Cmd+Enter asks too; MATCH rows are drawn as a subgraph", test_cmd_enter_asks_too_and_match_rows_are_drawn_as_a_subgraph)
    check("a node clicked shows its card; expanding it adds its neighbours", test_a_node_clicked_shows_its_card_and_expands)
    check("hovering a relation shows its qualifiers and sources", test_hovering_a_relation_shows_its_qualifiers_and_sources)
    check("the drawing pans (drag) and zooms (wheel, buttons), labels kept at screen size", test_the_drawing_pans_and_zooms_with_labels_kept_at_screen_size)
    check("two hops of RHEL are drawn with readable labels", test_two_hops_of_rhel_are_drawn_readable)
    check("EXPLAIN shows the plan", test_explain_shows_the_plan)
    check("an error has its caret under the column and clears the answer", test_an_error_has_its_caret_under_the_column_and_clears_the_answer)
    check("evidence marks its span, counted in UTF-8 bytes", test_evidence_marks_its_span_counted_in_utf8_bytes)
    check("the page fetches nothing from elsewhere", test_the_page_fetches_nothing_from_elsewhere)
finally:
    b.close()
    stop_server(server)
    shutil.rmtree(work, ignore_errors=True)
check.finish()
