#!/usr/bin/env python3
"""scripts/fuzz.sh can fail: it is run on stand-ins for the fuzz targets (small shell scripts
that print what libFuzzer prints and crash, leak or exit as told), through FUZZ_BIN_DIR, so no
clang build is needed; the code that judges them is the code that judges the real targets.

    fuzz_check_test.py SCRIPTS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

FUZZ_SH = os.path.abspath(os.path.join(sys.argv[1], "fuzz.sh"))
work = tempfile.mkdtemp(prefix="pactgraph-fuzz-check-")
bin_dir = os.path.join(work, "bin")
check = Checks()

# A stand-in for a libFuzzer target. STUB says what it does; it writes its artifact where
# -artifact_prefix says, as libFuzzer does, and with -merge=1 copies the corpus across.
STUB = r"""#!/bin/sh
prefix=""
merge=0
dirs=""
for a in "$@"; do
  case $a in
    -artifact_prefix=*) prefix=${a#-artifact_prefix=} ;;
    -merge=1) merge=1 ;;
    -*) ;;
    *) dirs="$dirs $a" ;;
  esac
done
if [ $merge = 1 ]; then
  set -- $dirs
  cp "$2"/* "$1"/
  exit 0
fi
echo "INFO: Seed: 1"
echo "#2	INITED cov: 10 ft: 12 corp: 2/40b exec/s: 0 rss: 30Mb"
echo "#64	NEW    cov: 40 ft: 70 corp: 3/60b lim: 4 exec/s: 0 rss: 31Mb"
case $STUB in
  crash)
    echo "==4242==ERROR: AddressSanitizer: heap-buffer-overflow"
    echo "SUMMARY: AddressSanitizer: heap-buffer-overflow"
    printf 'boom' > "${prefix}crash-0123abcd"
    echo "artifact_prefix='$prefix'; Test unit written to ${prefix}crash-0123abcd"
    exit 1 ;;
  leak)
    printf 'drip' > "${prefix}leak-0123abcd"
    exit 0 ;;
  status)
    exit 77 ;;
esac
echo "new-input" > corpus/found-by-stub
echo "#1000	DONE   cov: 42 ft: 77 corp: 4/80b lim: 4 exec/s: 1000 rss: 35Mb"
echo "Done 1000 runs in 1 second(s)"
echo "stat::number_of_executed_units: 1000"
echo "stat::average_exec_per_sec:     1000"
echo "stat::new_units_added:          1"
echo "stat::slowest_unit_time_sec:    0"
echo "stat::peak_rss_mb:              35"
exit 0
"""


def fuzz(target, mode, *extra, workdir=None, bin_dir=bin_dir, cwd=None):
    env = dict(os.environ, FUZZ_BIN_DIR=bin_dir, STUB=mode)
    args = ["sh", FUZZ_SH, *extra, "1", workdir or os.path.join(work, "w-" + mode), target]
    p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, cwd=cwd)
    return p.returncode, p.stdout + p.stderr


def test_a_clean_run_passes_and_reports_its_figures():
    rc, out = fuzz("jsonl", "ok")
    assert rc == 0, out
    assert "jsonl: exit 0, 1000 executions, cov 42, ft 77, peak RSS 35 MB" in out, out


def test_a_crash_fails():
    rc, out = fuzz("jsonl", "crash")
    assert rc != 0, out
    assert "FAIL jsonl" in out and "crash-0123abcd" in out and "heap-buffer-overflow" in out, out


def test_a_leak_file_alone_fails():
    # The old check listed three globs with one `ls`, which failed (and so passed the run)
    # whenever one of them matched nothing.
    rc, out = fuzz("jsonl", "leak")
    assert rc != 0 and "leak-0123abcd" in out, out


def test_a_crash_file_left_behind_fails():
    workdir = os.path.join(work, "w-left")
    os.makedirs(os.path.join(workdir, "jsonl"))
    with open(os.path.join(workdir, "jsonl", "crash-deadbeef"), "w") as f:
        f.write("old")
    rc, out = fuzz("jsonl", "ok", workdir=workdir)
    assert rc != 0 and "crash-deadbeef" in out, out


def test_a_target_that_exits_nonzero_fails():
    rc, out = fuzz("jsonl", "status")
    assert rc != 0 and "status 77" in out, out


def test_a_missing_target_fails():
    rc, out = fuzz("parser", "ok")  # no parser stand-in in bin_dir
    assert rc != 0 and "missing" in out, out


def test_one_failing_target_fails_the_run():
    rc, out = fuzz("jsonl record", "crash")
    assert rc != 0, out


def test_relative_paths_work():
    # Each target runs from its own directory: the script must not lose a relative WORKDIR.
    rc, out = fuzz("jsonl", "ok", workdir="w-relative", bin_dir="bin", cwd=work)
    assert rc == 0 and "1000 executions" in out, out


def test_the_long_mode_keeps_and_merges_its_corpus():
    workdir = os.path.join(work, "w-long")
    rc, out = fuzz("jsonl", "ok", "--long", workdir=workdir)
    assert rc == 0, out
    corpus = os.path.join(workdir, "jsonl", "corpus")
    assert "found-by-stub" in os.listdir(corpus), os.listdir(corpus)
    assert "corpus merged" in out, out
    # A seed already in the corpus is not copied over again; the corpus stays.
    seed = os.path.join(corpus, "small.jsonl")
    with open(seed, "w") as f:
        f.write("changed by a run\n")
    rc, out = fuzz("jsonl", "ok", "--long", workdir=workdir)
    assert rc == 0, out
    with open(seed) as f:
        assert f.read() == "changed by a run\n"
    assert "found-by-stub" in os.listdir(corpus)


os.makedirs(bin_dir)
for t in ("jsonl", "record"):
    path = os.path.join(bin_dir, t + "_fuzz")
    with open(path, "w") as f:
        f.write(STUB)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)

check("a clean run passes and reports executions, coverage and peak RSS", test_a_clean_run_passes_and_reports_its_figures)
check("a crash fails the run", test_a_crash_fails)
check("a leak file alone fails the run", test_a_leak_file_alone_fails)
check("a crash file left behind fails the run", test_a_crash_file_left_behind_fails)
check("a target that exits non-zero fails the run", test_a_target_that_exits_nonzero_fails)
check("a missing target fails the run", test_a_missing_target_fails)
check("one failing target of two fails the run", test_one_failing_target_fails_the_run)
check("relative WORKDIR and FUZZ_BIN_DIR work", test_relative_paths_work)
check("the long mode keeps its corpus between runs and merges it", test_the_long_mode_keeps_and_merges_its_corpus)
shutil.rmtree(work, ignore_errors=True)
check.finish()
