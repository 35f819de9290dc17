"""Golden query tests: statements and their exact expected output, in text files.

    python3 run_golden.py PACTGRAPH DATASETS GOLDEN_DIR [--rewrite] [--keep]

GOLDEN_DIR holds `*.test` files (or is one). A file reads:

    # What the file is about (lines starting with # are comments).
    -DATASET gold                      the store the file's cases run on (see DATASETS below)

    -CASE who supports RHEL on Hyper-V, with the sentences
    -STATEMENT WHO SUPPORTS "RHEL" ON "Hyper-V"
    ---- ok
    subject    object ...              the exact standard output, up to the next -CASE

    -CASE a misspelt verb
    -FLAGS --format json               flags of `pactgraph query` for this case (optional)
    -STATEMENT WHO SUPORTS RHEL
    ---- error 2
    error: line 1, column 5: ...       the exact standard error, with the exit status after `error`

    -CASE the card of an id past any id
    -COMMAND show '#123456789012345678901234567'
    ---- error 2
    ...

A -STATEMENT runs `pactgraph --db DB query FLAGS 'STATEMENT'`; a -COMMAND runs `pactgraph --db DB`
with the words that follow (shell-quoted). `---- ok` expects exit status 0 and compares standard
output; `---- error N` expects status N and compares standard error. What changes from run to
run is written in a fixed form before comparing (tables are fitted to 120 columns): times ("0.241 ms" becomes "<time>", JSON's
"seconds" field 0) and the store's path ("<db>"). Trailing blank lines do not count.

DATASETS, each built once per run into a fresh store:
    gold     datasets/gold/*.facts.jsonl: the facts a careful reader takes from the twelve releases
    press    datasets/press: the twelve releases themselves, read and extracted
    sample   datasets/rhel-hyperv.facts.jsonl and datasets/cloud-alliances.facts.jsonl
    timeline datasets/timeline: dated releases whose facts are planned, shipped, ended, denied and
             told differently, read and extracted (their names from datasets/timeline-names.jsonl)
    empty    a store with nothing in it

--rewrite writes what pactgraph printed into the files in place of what they expected (review the
diff before committing it); --keep leaves the stores behind and prints where. The exit status is
the number of cases that failed.
"""
import difflib
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

DATASETS = {
    "gold": lambda ds: [os.path.join(ds, "gold")],
    "press": lambda ds: [os.path.join(ds, "press")],
    "sample": lambda ds: [os.path.join(ds, "rhel-hyperv.facts.jsonl"), os.path.join(ds, "cloud-alliances.facts.jsonl")],
    "timeline": lambda ds: ["--gazetteer", os.path.join(ds, "timeline-names.jsonl"), os.path.join(ds, "timeline")],
    "empty": lambda ds: [],
}

TIME = re.compile(r"\b\d+(?:\.\d+)? ?(?:ms|us|µs|s)\b")
SECONDS = re.compile(r'"seconds":\s*[0-9.e-]+')


class Case:
    def __init__(self, path, line, name):
        self.path, self.line, self.name = path, line, name
        self.flags, self.statement, self.command = [], None, None
        self.expect_status, self.expected = 0, []
        self.result_line = None  # the line of `----`, for --rewrite

    def where(self):
        return "%s:%d" % (os.path.relpath(self.path), self.line)


class GoldenFile:
    """One .test file: its dataset and cases; malformed files are errors naming the line."""

    def __init__(self, path):
        self.path = path
        self.dataset = None
        self.cases = []
        with open(path, encoding="utf-8") as f:
            self.lines = f.read().split("\n")
        self._parse()

    def _fail(self, n, why):
        raise ValueError("%s:%d: %s" % (self.path, n, why))

    def _parse(self):
        case = None
        in_result = False
        for n, line in enumerate(self.lines, 1):
            if line.startswith("-CASE"):
                case = Case(self.path, n, line[len("-CASE"):].strip())
                self.cases.append(case)
                in_result = False
                continue
            if in_result:
                case.expected.append(line)
                continue
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("-DATASET"):
                name = line[len("-DATASET"):].strip()
                if name not in DATASETS:
                    self._fail(n, "unknown dataset %r (one of %s)" % (name, ", ".join(DATASETS)))
                self.dataset = name
            elif case is None:
                self._fail(n, "a case starts with -CASE; found %r" % line[:40])
            elif line.startswith("-FLAGS"):
                case.flags = shlex.split(line[len("-FLAGS"):])
            elif line.startswith("-STATEMENT"):
                case.statement = line[len("-STATEMENT"):].strip()
            elif line.startswith("-COMMAND"):
                case.command = shlex.split(line[len("-COMMAND"):])
            elif line.startswith("----"):
                words = line[4:].split()
                if words == ["ok"]:
                    case.expect_status = 0
                elif len(words) == 2 and words[0] == "error" and words[1].isdigit():
                    case.expect_status = int(words[1])
                else:
                    self._fail(n, "a result line reads `---- ok` or `---- error N`")
                if case.statement is None and case.command is None:
                    self._fail(n, "the case has no -STATEMENT or -COMMAND")
                case.result_line = n
                in_result = True
            elif case.statement is not None and case.result_line is None:
                case.statement += "\n" + line  # a statement over several lines
            else:
                self._fail(n, "unexpected line %r" % line[:40])
        if self.dataset is None:
            self._fail(1, "no -DATASET line")
        for c in self.cases:
            if c.result_line is None:
                self._fail(c.line, "the case has no `----` line")
            while c.expected and not c.expected[-1].strip():
                c.expected.pop()


def build_store(pg, datasets_dir, name, root):
    db = os.path.join(root, name + ".db")
    if os.path.exists(db):
        return db
    sources = DATASETS[name](datasets_dir)
    if not sources:
        r = subprocess.run([pg, "--db", db, "stats"], capture_output=True, text=True)
    else:
        r = subprocess.run([pg, "--db", db, "import", *sources], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("building the %s store failed (%d): %s" % (name, r.returncode, r.stderr[-400:]))
    return db


def normalise(text, db):
    text = text.replace(db, "<db>")
    text = SECONDS.sub('"seconds":0', text)
    text = TIME.sub("<time>", text)
    return [line.rstrip() for line in text.rstrip("\n").split("\n")] if text.strip() else []


def run_case(pg, db, case):
    if case.statement is not None:
        argv = [pg, "--db", db, "query", *case.flags, case.statement]
    else:
        argv = [pg, "--db", db, *case.command]
    env = dict(os.environ, COLUMNS="120")  # tables are fitted to this width, whatever the terminal
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    got = normalise(r.stdout if case.expect_status == 0 else r.stderr, db)
    return r.returncode, got, r


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    rewrite = "--rewrite" in argv
    keep = "--keep" in argv
    if len(args) != 3:
        print(__doc__)
        return 2
    pg, datasets_dir, where = args
    files = sorted(glob.glob(os.path.join(where, "**", "*.test"), recursive=True)) if os.path.isdir(where) else [where]
    if not files:
        print("no .test files under %s" % where)
        return 1
    root = tempfile.mkdtemp(prefix="pg-golden-")
    failures = cases = 0
    try:
        for path in files:
            try:
                golden = GoldenFile(path)
            except (ValueError, OSError) as e:
                print("FAIL %s" % e)
                failures += 1
                continue
            db = build_store(pg, datasets_dir, golden.dataset, root)
            changed = False
            for case in golden.cases:
                cases += 1
                status, got, r = run_case(pg, db, case)
                if status == case.expect_status and got == case.expected:
                    print("ok %s %s" % (case.where(), case.name))
                    continue
                if rewrite:
                    if status != case.expect_status:
                        golden.lines[case.result_line - 1] = "---- ok" if status == 0 else "---- error %d" % status
                        got = normalise(r.stdout if status == 0 else r.stderr, db)
                    case.expected_new = got
                    changed = True
                    print("rewritten %s %s" % (case.where(), case.name))
                    continue
                failures += 1
                print("FAIL %s %s" % (case.where(), case.name))
                if status != case.expect_status:
                    print("  exit status %d, expected %d; stderr: %s" % (status, case.expect_status, r.stderr.strip()[-300:]))
                diff = difflib.unified_diff(case.expected, got, "expected", "got", lineterm="", n=2)
                for line in list(diff)[:40]:
                    print("  " + line)
            if changed:
                write_back(golden)
    finally:
        if keep:
            print("stores kept in %s" % root)
        else:
            shutil.rmtree(root, ignore_errors=True)
    print("%d cases, %d failures" % (cases, failures))
    return min(failures, 100)


def write_back(golden):
    """Replaces each rewritten case's expected lines, keeping everything else as it was."""
    out = []
    cases = {c.result_line: c for c in golden.cases}
    skip_until_case = False
    for n, line in enumerate(golden.lines, 1):
        if skip_until_case:
            if not line.startswith("-CASE"):
                continue
            skip_until_case = False
            out.append("")
        out.append(line)
        c = cases.get(n)
        if c is not None and hasattr(c, "expected_new"):
            out.extend(c.expected_new)
            skip_until_case = True
    text = "\n".join(out).rstrip("\n") + "\n"
    with open(golden.path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
