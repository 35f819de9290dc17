#!/usr/bin/env python3
"""Names typed by the gazetteer, and one entity for a company that two articles name differently.

    resolve_test.py PACTGRAPH

`pactgraph import` and `extract` load the shipped gazetteer (datasets/gazetteer) by default;
--gazetteer PATH adds a user's file, --no-gazetteer leaves the shipped one out. Articles written
here name a company one way and then another ("Fjordsoft" / "Fjordsoft Systems Inc.", with a
user's gazetteer listing the one as the other's alias; "Samsung" / "Samsung Electronics Co.",
"Windows Azure" / "Microsoft Azure", "Oracle" / "Oracle Corporation" from the shipped one): each
pair is stored as one entity, and `show` lists the other name as an alias.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402
import http.client  # noqa: E402

PG = sys.argv[1]
work = tempfile.mkdtemp(prefix="pactgraph-resolve-")

ARTICLES = {
    "first.txt": """Title: Fjordsoft brings Glimmerbase to Windows Azure

Fjordsoft said on Tuesday that Glimmerbase now runs on Windows Azure. Customers of Samsung asked for it, according to the notes.
""",
    "second.txt": """Title: Fjordsoft Systems Inc. extends its cloud work

Fjordsoft Systems Inc. announced that Glimmerbase runs on Microsoft Azure. Samsung Electronics Co. is an early customer. Oracle Corporation and Fjordsoft Systems Inc. signed a partnership.
""",
    "third.txt": """Title: Oracle and Fjordsoft widen their partnership

Oracle said that Glimmerbase supports Oracle Linux.
""",
}
MINE = [
    {"name": "Fjordsoft Systems", "type": "Company", "kind": "software", "aliases": ["Fjordsoft"]},
    {"name": "Glimmerbase", "type": "Product", "kind": "database", "maker": "Fjordsoft Systems"},
]

for name, text in ARTICLES.items():
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        f.write(text)
mine = os.path.join(work, "mine.jsonl")
with open(mine, "w", encoding="utf-8") as f:
    f.write("".join(json.dumps(e) + "\n" for e in MINE))
texts = [os.path.join(work, n) for n in ARTICLES]


def run(*args, ok=(0,)):
    p = subprocess.run([PG, *args], capture_output=True, text=True, timeout=120)
    assert p.returncode in ok, f"{args}: exit {p.returncode}: {p.stderr[-600:]}"
    return p


def companies(db):
    out = run("--db", db, "query", "--format", "json", "MATCH (c:Company) RETURN c.name").stdout
    return sorted(r["values"]["c.name"] for r in json.loads(out)["rows"])


def entities(text_file, *flags):
    out = run("extract", *flags, text_file).stdout
    return {o["name"]: o for o in map(json.loads, out.splitlines()) if o["kind"] == "entity"}


def test_known_names_need_no_cue():
    got = entities(texts[0], "--gazetteer", mine)
    assert got.get("Samsung", {}).get("type") == "Company", got
    assert "Samsung Electronics" in got["Samsung"]["aliases"], got["Samsung"]
    assert got.get("Windows Azure", {}).get("type") == "Product", got
    assert "Microsoft Azure" in got["Windows Azure"]["aliases"], got["Windows Azure"]
    assert got.get("Glimmerbase", {}).get("type") == "Product", got
    assert got.get("Fjordsoft", {}).get("type") == "Company", got


def test_no_gazetteer_turns_it_off():
    got = entities(texts[0], "--no-gazetteer")
    assert "Samsung" not in got and "Glimmerbase" not in got, got
    assert all("Microsoft Azure" not in e["aliases"] for e in got.values()), got


def test_a_bad_user_file_is_refused_where_it_is_wrong():
    bad = os.path.join(work, "bad.jsonl")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('{"name": "Fjordsoft Systems", "type": "Company"}\n{"name": "Glimmerbase", "alias": ["G"]}\n')
    db = os.path.join(work, "db-bad")
    p = run("--db", db, "import", "--gazetteer", bad, texts[0], ok=(2,))
    assert "bad.jsonl:2:" in p.stderr, p.stderr
    assert not os.path.exists(db), "a refused gazetteer must leave no database behind"


def test_two_articles_naming_a_company_differently_meet_in_one_entity():
    db = os.path.join(work, "db")
    run("--db", db, "import", "--quiet", "--gazetteer", mine, *texts)
    got = companies(db)
    # Microsoft is named inside "Microsoft Azure", and the gazetteer knows it as a company.
    # A company is named without its legal form, which stays an alias.
    assert got == ["Fjordsoft Systems", "Microsoft", "Oracle", "Samsung Electronics"], got
    shown = run("--db", db, "show", "Oracle Corporation").stdout
    assert shown.startswith("Oracle\n") and "Oracle Corporation" in shown, shown
    shown = run("--db", db, "show", "Fjordsoft").stdout
    assert shown.startswith("Fjordsoft Systems\n") and "aliases  Fjordsoft" in shown, shown
    shown = run("--db", db, "show", "Samsung").stdout
    assert shown.startswith("Samsung Electronics\n") and "Samsung" in shown.split("aliases", 1)[1].splitlines()[0], shown
    shown = run("--db", db, "show", "Windows Azure").stdout
    assert shown.startswith("Microsoft Azure\n") and "Windows Azure" in shown, shown
    # Both articles' facts about the product meet on the one entity.
    rows = json.loads(run("--db", db, "query", "--format", "json", 'WHAT RUNS ON "Microsoft Azure"').stdout)["rows"]
    assert any(r["values"].get("subject") == "Glimmerbase" for r in rows), rows


def test_a_longer_form_of_a_known_company_keeps_the_articles_name():
    # The gazetteer knows "Skarv" (and "Skarv.com" as its alias); an article that writes
    # "Skarv.com" throughout stores that name, the gazetteer's as an alias, and either finds it.
    gaz = os.path.join(work, "skarv.jsonl")
    with open(gaz, "w", encoding="utf-8") as f:
        f.write(json.dumps({"name": "Skarv", "type": "Company", "kind": "software", "aliases": ["Skarv.com", "Skarv Computer"]}) + "\n")
    text = os.path.join(work, "skarv.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write("Title: Skarv.com and Fjordsoft team up\n\nSkarv.com and Fjordsoft announced a partnership on Monday.\n")
    db = os.path.join(work, "db-skarv")
    run("--db", db, "import", "--quiet", "--gazetteer", gaz, "--gazetteer", mine, text)
    assert "Skarv.com" in companies(db), companies(db)
    shown = run("--db", db, "show", "Skarv").stdout
    assert shown.startswith("Skarv.com\n") and "Skarv" in shown.split("aliases", 1)[1].splitlines()[0], shown
    rows = json.loads(run("--db", db, "query", "--format", "json", 'WHO PARTNERS WITH "Fjordsoft"').stdout)["rows"]
    assert any(r["values"].get("subject") == "Skarv.com" for r in rows), rows
    # A former name is no web address: the gazetteer's name is the entity's, the article's an alias.
    former = os.path.join(work, "skarv-computer.txt")
    with open(former, "w", encoding="utf-8") as f:
        f.write("Title: Skarv Computer and Fjordsoft team up\n\nSkarv Computer and Fjordsoft announced a partnership on Monday.\n")
    db2 = os.path.join(work, "db-skarv-computer")
    run("--db", db2, "import", "--quiet", "--gazetteer", gaz, "--gazetteer", mine, former)
    shown = run("--db", db2, "show", "Skarv Computer").stdout
    assert shown.startswith("Skarv\n") and "Skarv Computer" in shown, shown


def test_without_the_gazetteers_they_stay_apart():
    db = os.path.join(work, "db-plain")
    run("--db", db, "import", "--quiet", "--no-gazetteer", *texts)
    got = companies(db)
    assert "Fjordsoft" in got and "Fjordsoft Systems" in got, got


def test_articles_posted_to_the_server_meet_in_one_entity():
    db = os.path.join(work, "served.db")
    run("--db", db, "import", "--no-gazetteer", texts[2])  # an existing store with "Oracle"
    proc, port = start_server(PG, db, "tok", "--gazetteer", mine)
    try:
        for t in texts[:2]:
            with open(t, encoding="utf-8") as f:
                body = f.read()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("POST", "/documents", body=body.encode(), headers={"Authorization": "Bearer tok"})
            r = c.getresponse()
            assert r.status == 201, (r.status, r.read())
            c.close()
    finally:
        stop_server(proc)
    # Stored under the gazetteers' names (the user's for Fjordsoft, the shipped one's for
    # Samsung), not under the forms the articles use.
    names = companies(db)
    assert "Fjordsoft Systems" in names and "Fjordsoft Systems Inc" not in names, names
    assert "Samsung Electronics" in names and "Samsung Electronics Co" not in names, names


def test_a_product_keeps_the_articles_shorter_form():
    # The gazetteer knows "Tern Voice Assistant" (alias "Tern Voice"); an article that says
    # "Tern Voice" keeps its form as the name, and a later article using the gazetteer's name
    # lands on the same entity, whichever came first.
    d = os.path.join(work, "short")
    os.makedirs(d, exist_ok=True)
    gaz = os.path.join(d, "voice.jsonl")
    with open(gaz, "w", encoding="utf-8") as f:
        f.write(json.dumps({"name": "Tern Voice Assistant", "type": "Product", "kind": "voice assistant",
                            "maker": "Brightwave Labs", "aliases": ["Tern Voice"]}) + "\n")
    first, second = os.path.join(d, "1.txt"), os.path.join(d, "2.txt")
    with open(first, "w", encoding="utf-8") as f:
        f.write("Title: Speakers\n\nThe Kestrel Speaker runs Tern Voice, and Tern Voice now runs on Quill OS too.\n")
    with open(second, "w", encoding="utf-8") as f:
        f.write("Title: More speakers\n\nThe Tern Voice Assistant runs on the Lark Hub as well.\n")
    for order in ((first, second), (second, first)):
        db = os.path.join(d, "db-" + os.path.basename(order[0]))
        for t in order:
            run("--db", db, "import", "--quiet", "--gazetteer", gaz, t)
        out = run("--db", db, "query", "--format", "json", "MATCH (p:Product) RETURN p.name").stdout
        names = sorted(r["values"]["p.name"] for r in json.loads(out)["rows"])
        voice = [n for n in names if n.startswith("Tern Voice")]
        assert len(voice) == 1, (order, names)
        if order[0] == first:
            assert voice == ["Tern Voice"], names
        shown = run("--db", db, "show", "Tern Voice Assistant").stdout
        assert shown.startswith(voice[0] + "\n") and "Tern Voice Assistant" in shown and "Tern Voice," in shown + ",", shown


def test_a_company_and_its_eponymous_product_both_import():
    # The gazetteer calls a product by its maker's name ("Skerry", alias "Skerry Engine"); an
    # article names the company "Skerry Inc" and the product "the Skerry Engine". Stored, the
    # product keeps the article's name (renaming it "Skerry" would make the company's name
    # ambiguous, and the import refused the whole article).
    gaz = os.path.join(work, "skerry.jsonl")
    with open(gaz, "w") as f:
        f.write('{"name": "Skerry", "type": "Product", "kind": "container platform", "maker": "Skerry Inc.", "aliases": ["Skerry Engine"]}\n')
    text = os.path.join(work, "skerry.txt")
    with open(text, "w") as f:
        f.write("Title: Orca Labs and Skerry team up\n\nOrca Labs and Skerry Inc have agreed to bring the Skerry Engine "
                "to the next release of Quillbox Server, the companies said on Tuesday. Skerry Inc will support the "
                "Skerry Engine on Quillbox Server.\n")
    db = os.path.join(work, "skerry.db")
    p = run("--db", db, "import", "--gazetteer", gaz, text)
    assert "nothing from" not in p.stderr, p.stderr
    rows = json.loads(run("--db", db, "query", "--format", "json", "WHO PARTNERS WITH Skerry").stdout)["rows"]
    assert [r["values"]["subject"] for r in rows] == ["Orca Labs"], rows


check = Checks()
check("a name the gazetteer knows needs no cue", test_known_names_need_no_cue)
check("--no-gazetteer turns the shipped gazetteer off", test_no_gazetteer_turns_it_off)
check("a bad user gazetteer is refused with FILE:LINE and nothing stored", test_a_bad_user_file_is_refused_where_it_is_wrong)
check("two articles naming a company differently meet in one entity", test_two_articles_naming_a_company_differently_meet_in_one_entity)
check("without the gazetteers the two names stay two companies", test_without_the_gazetteers_they_stay_apart)
check("articles posted to the server are typed and resolved with the gazetteers too", test_articles_posted_to_the_server_meet_in_one_entity)
check("a product keeps the article's shorter form; the gazetteer's name is an alias", test_a_product_keeps_the_articles_shorter_form)
check("a company and the product the gazetteer calls by its name both import", test_a_company_and_its_eponymous_product_both_import)
check("a company named by its web address keeps the article's name; a former name takes the gazetteer's", test_a_longer_form_of_a_known_company_keeps_the_articles_name)
shutil.rmtree(work, ignore_errors=True)
check.finish()
