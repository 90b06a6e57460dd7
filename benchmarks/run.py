"""painref start-up benchmark: side by side with the tldr pages client, with budgets.

    python benchmarks/run.py [--rounds N] [--keep]

What it does, in one run (about a minute on a 2-core machine):
1. makes its own virtual environment (benchmarks/.venv), installs painref from this checkout
   (a normal, non-editable install, as a user would have it) and the peer, the `tldr` client
   from PyPI; when the peer cannot be installed its column is printed as "missing";
2. seeds the tldr client's cache with one page, so it renders from its local cache as it does
   after `tldr --update`, and gives painref an empty cache folder of its own;
3. writes a synthetic dataset of 5,000 procedures and times painref's first run with it
   (which parses, validates and caches it), three times in empty cache folders, for a median;
4. runs every command in rounds, interleaved in a new random order each round so all of them
   see the same machine load, each on a pseudo-terminal at 100 columns (what a user at a
   terminal sees), and reports the median,
   min-max, and the ratio to the peer or to the same command without the synthetic data;
5. measures peak memory (max RSS) of one run of each with GNU time, when installed;
6. exits 1 when a budget is missed, 2 when one could not be checked (peer or GNU time missing),
   else 0.

Budgets: the common form of every command <= 0.6x the peer (show, show --patient, show --brief,
show --section, show --json, search, search --json, search CODE, compare, compare --diff,
compare --json, list, anticoag DRUG, anticoag DRUG -p PROCEDURE, anticoag with --on, for
CONDITION, conditions, export ID to stdout, config); --help and a command's --help
<= 1.0x; validate (which must read every source file) <= 1.5x; with the 5,000-procedure overlay,
search and show <= 1.5x the same command without it, and the first run < 3 s; peak memory of
every painref command < 40 MB. Views are measured without a pager (--no-pager), as the issue
asks; a pager would wait for the reader.
"""

from __future__ import annotations

import argparse
import os
import pty
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "benchmarks" / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PEER_PAGE = """# tar

> Archive files, optionally compressed.
> More information: <https://www.gnu.org/software/tar>.

- Pack files into a new archive:

`tar cf {{path/to/archive.tar}} {{path/to/file1 path/to/file2 ...}}`

- Pack files into a gzip-compressed archive:

`tar czf {{path/to/archive.tar.gz}} {{path/to/file1 path/to/file2 ...}}`

- Unpack an archive into the current folder, listing each file:

`tar xvf {{path/to/archive.tar[.gz|.bz2|.xz]}}`

- List what an archive holds:

`tar tvf {{path/to/archive.tar}}`
"""

PEAK_MEMORY_MB = 40.0
FIRST_RUN_S = 3.0
FIRST_RUNS = 3


@dataclass
class Sample:
    times: list[float] = field(default_factory=list)
    peak_kb: int | None = None
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def sh(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)


def prepare_venv() -> bool:
    """Install painref (fresh from this checkout) and the peer; True when the peer is there."""
    if not (BIN / "python").exists():
        print("creating benchmarks/.venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    pip = BIN / "pip"
    print("installing painref from this checkout (non-editable) ...", flush=True)
    done = sh(pip, "install", "--quiet", "--force-reinstall", "--no-deps", ROOT)
    deps = sh(pip, "install", "--quiet", ROOT)  # its dependencies, if not there yet
    if done.returncode or deps.returncode:
        sys.exit(f"could not install painref:\n{done.stderr}{deps.stderr}")
    if not (BIN / "tldr").exists():
        peer = sh(pip, "install", "--quiet", "tldr")
        if peer.returncode:
            print(f"peer 'tldr' could not be installed; its column is missing:\n{peer.stderr}")
    return (BIN / "tldr").exists()


def synthetic_dataset(path: Path, count: int = 5000) -> None:
    """Valid procedures of realistic shape (about 1 KB each), made of real clinical words."""
    rng = random.Random(5000)
    sites = [
        "lumbar",
        "cervical",
        "thoracic",
        "sacral",
        "genicular",
        "hip",
        "shoulder",
        "pelvic",
        "occipital",
    ]
    kinds = [
        "epidural",
        "facet",
        "nerve",
        "plexus",
        "ganglion",
        "joint",
        "branch",
        "root",
        "disc",
        "muscle",
    ]
    actions = ["block", "injection", "ablation", "stimulation", "infusion", "decompression"]
    conditions = [
        "sciatica",
        "radiculopathy",
        "neuralgia",
        "arthritis",
        "spondylosis",
        "stenosis",
        "CRPS",
    ]
    lines = ["schema_version: 1", "procedures:"]
    for n in range(count):
        site, kind, action = rng.choice(sites), rng.choice(kinds), rng.choice(actions)
        ident = f"synthetic-{n:04d}-{site}-{kind}-{action}"
        lines += [
            f"  - id: {ident}",
            f"    name: Synthetic {site} {kind} {action} {n}",
            f"    aliases: [SYN{n:04d}, {site} {kind} {action} variant {n}]",
            "    category: nerve-block",
            "    regions: [lumbar]",
            f"    conditions: [{rng.choice(conditions)}, {site} {rng.choice(conditions)}]",
            f"    summary: A synthetic {kind} {action} used only to measure painref [syn].",
            "    patient_summary: This entry is made up for a speed test.",
            f"    indications: [Benchmark load for the {site} {kind} family]",
            "    contraindications: {absolute: [None; synthetic], relative: [None; synthetic]}",
            "    imaging: {modalities: [fluoroscopy], notes: Synthetic entry.}",
            "    technique: [Generate the entry, Measure the start-up]",
            "    medications: []",
            "    outcomes: {expected: 'Nothing clinical [syn].', duration: 'None [syn].'}",
            "    complications: [{event: none, frequency: 'never [syn]'}]",
            "    recovery: [Not applicable]",
            "    anticoagulation_risk: low",
            "    cpt_codes: []",
            "    evidence: None; synthetic benchmark data [syn].",
            "    references: [{key: syn, citation: painref benchmark generator.,"
            " url: 'https://example.org/painref-benchmark'}]",
            "    last_reviewed: 2026-11-24",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def peak_memory_kb(argv: list[str], env: dict[str, str], work: Path) -> int | None:
    """Peak RSS of one run, read by GNU time (None when it is not installed).

    Not from os.wait4 on our own child: Linux carries the RSS a child had before exec (a copy of
    this benchmark's ~30 MB) into its max RSS, so every command would seem to use that much.
    """
    if TIME is None:
        return None
    report = work / "time.txt"
    with open(os.devnull, "wb") as sink:
        subprocess.run([TIME, "-f", "%M", "-o", str(report), *argv], stdout=sink, stderr=sink,
                       env=env, check=False)  # fmt: skip
    try:
        return int(report.read_text().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None


def run_on_pty(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run a command with a terminal as stdout; (seconds, exit code)."""
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:  # keep reading, or a long page would block on a full terminal buffer
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL, env=env
    )
    process.wait()
    elapsed = time.perf_counter() - start
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    return elapsed, process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    began = time.perf_counter()
    peer = prepare_venv()
    work = Path(tempfile.mkdtemp(prefix="painref-bench-"))
    try:
        return measure(work, peer, options.rounds, began)
    finally:
        if options.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def measure(work: Path, peer: bool, rounds: int, began: float) -> int:
    (work / "tldr" / "pages" / "common").mkdir(parents=True)
    (work / "tldr" / "pages" / "common" / "tar.md").write_text(PEER_PAGE, encoding="utf-8")
    synthetic = work / "synthetic.yaml"
    synthetic_dataset(synthetic)
    hour_ago = time.time() - 3600  # an existing file, as a user's overlay would be; painref
    os.utime(synthetic, (hour_ago, hour_ago))  # does not cache a file edited seconds ago
    env = {
        **os.environ,
        "COLUMNS": "100",
        "LINES": "40",
        "TERM": "xterm-256color",
        "XDG_CACHE_HOME": str(work),  # the peer's page cache
        "PAINREF_CACHE_DIR": str(work / "painref-cache"),
        "PAGER": "cat",  # the views are measured as drawn, not a pager waiting for a key
    }
    for name in (
        "NO_COLOR",
        "PAINREF_DATA",
        "PAINREF_PAGER",
        "TLDR_CACHE_ENABLED",
        "TLDR_CACHE_MAX_AGE",
    ):
        env.pop(name, None)
    painref, python = str(BIN / "painref"), str(BIN / "python")
    data = ["--data", str(synthetic)]
    view = "--no-pager"
    commands: dict[str, list[str]] = {
        "python -c pass": [python, "-c", "pass"],
        "tldr tar (peer)": [str(BIN / "tldr"), "tar"],
        "show epidural": [painref, "show", "epidural", view],
        "show kyphoplasty --patient": [painref, "show", "kyphoplasty", "--patient", view],
        "show tfesi --brief": [painref, "show", "tfesi", "--brief", view],
        "show epidural --json": [painref, "show", "epidural", "--json"],
        "search epidural": [painref, "search", "epidural"],
        "search epidural --json": [painref, "search", "epidural", "--json"],
        "compare ilesi tfesi": [painref, "compare", "interlaminar-esi", "transforaminal-esi", view],
        "compare ilesi tfesi --json": [
            painref, "compare", "interlaminar-esi", "transforaminal-esi", "--json",
        ],
        "list": [painref, "list", view],
        "anticoag warfarin": [painref, "anticoag", "warfarin", view],
        "anticoag warfarin -p tfesi": [painref, "anticoag", "warfarin", "-p", "tfesi", view],
        "for sciatica": [painref, "for", "sciatica", view],
        "conditions": [painref, "conditions", view],
        "export stellate-ganglion": [painref, "export", "stellate-ganglion-block"],
        "show mbb --section technique": [painref, "show", "mbb", "--section", "technique", view],
        "search 64483": [painref, "search", "64483"],
        "compare mbb mbb-rfa --diff": [
            painref, "compare", "mbb", "medial-branch-rfa", "--diff", view,
        ],
        "anticoag apixaban --on": [
            painref, "anticoag", "apixaban", "-p", "lumbar medial branch block",
            "--on", "2027-03-10", view,
        ],
        "config": [painref, "config"],
        "--help": [painref, "--help"],
        "show --help": [painref, "show", "--help"],
        "validate": [painref, "validate"],
        "5k: show epidural": [painref, *data, "show", "epidural", view],
        "5k: search epidural": [painref, *data, "search", "epidural"],
    }  # fmt: skip
    if not peer:
        del commands["tldr tar (peer)"]

    print(f"first run with the 5,000-procedure overlay ({synthetic.stat().st_size >> 10} KB) ...")
    # Several first runs, each building the cache in an empty folder (the first of them the
    # folder the timed rounds use), for a median: one sample on a noisy machine says little.
    first_times: list[float] = []
    first_codes: set[int] = set()
    for attempt in range(FIRST_RUNS):
        folder = env["PAINREF_CACHE_DIR"] if attempt == 0 else str(work / f"first-{attempt}")
        elapsed, status = run_on_pty(
            commands["5k: show epidural"], {**env, "PAINREF_CACHE_DIR": folder}
        )
        first_times.append(elapsed)
        first_codes.add(status)
    first = statistics.median(first_times)
    # The first run's memory is reported, not budgeted: it holds the parsed file while it
    # builds the cache, once. Measured in a cache folder of its own so it really is a first run.
    first_env = {**env, "PAINREF_CACHE_DIR": str(work / "first-run-cache")}
    first_kb = peak_memory_kb(commands["5k: show epidural"], first_env, work)
    samples = {name: Sample() for name in commands}
    for name, argv in commands.items():  # warm-up (caches built), then a memory pass
        run_on_pty(argv, env)
        samples[name].peak_kb = peak_memory_kb(argv, env, work)
    order = list(commands)
    shuffle = random.Random(21).shuffle
    for _ in range(rounds):
        # A new order every round: on a shared machine slow spells last seconds, and a fixed
        # order would hand them to the same commands round after round.
        shuffle(order)
        for name in order:
            elapsed, status = run_on_pty(commands[name], env)
            samples[name].times.append(elapsed)
            samples[name].codes.add(status)

    peer_median = samples["tldr tar (peer)"].median if peer else None
    base = {
        "5k: show epidural": samples["show epidural"].median,
        "5k: search epidural": samples["search epidural"].median,
    }
    budgets = {name: 0.6 for name in commands if not name.startswith(("python", "tldr"))}
    budgets |= {"--help": 1.0, "show --help": 1.0, "validate": 1.5}
    budgets |= {"5k: show epidural": 1.5, "5k: search epidural": 1.5}
    missed: list[str] = []
    unchecked: list[str] = []
    print(f"\n{rounds} rounds, interleaved; times in ms; ratio to the peer (tldr) or, for 5k rows,")
    print("to the same command on the bundled data alone.\n")
    header = (
        f"{'command':28} {'median':>7} {'min-max':>13} {'ratio':>6} {'budget':>7} {'peak MB':>8}"
    )
    print(header + "\n" + "-" * len(header))
    if not peer:
        print(f"{'tldr tar (peer)':28} {'missing':>7}")
    for name, sample in samples.items():
        ratio_text, budget_text = "", ""
        budget = budgets.get(name)
        against = base.get(name, peer_median) if budget else None
        if budget is not None:
            budget_text = f"<={budget:.1f}x"
            if against is None:
                ratio_text = "n/a"
                unchecked.append(name)
            else:
                ratio = sample.median / against
                ratio_text = f"{ratio:.2f}"
                if ratio > budget:
                    missed.append(f"{name}: {ratio:.2f}x > {budget:.1f}x")
        peak_text = "n/a"
        if sample.peak_kb is not None:
            peak_mb = sample.peak_kb / 1024
            peak_text = f"{peak_mb:.1f}"
            if not name.startswith(("python", "tldr")) and peak_mb >= PEAK_MEMORY_MB:
                missed.append(f"{name}: peak memory {peak_mb:.1f} MB >= {PEAK_MEMORY_MB:.0f} MB")
        elif not name.startswith(("python", "tldr")):
            unchecked.append(f"{name} (memory: GNU time not installed)")
        if sample.codes != {0}:
            missed.append(f"{name}: exit codes {sorted(sample.codes)}")
        low, high = min(sample.times) * 1e3, max(sample.times) * 1e3
        print(
            f"{name:28} {sample.median * 1e3:7.1f} {f'{low:.0f}-{high:.0f}':>13} "
            f"{ratio_text:>6} {budget_text:>7} {peak_text:>8}"
        )
    first_peak = f", peak {first_kb / 1024:.0f} MB (no budget)" if first_kb else ""
    spread = f"{min(first_times):.2f}-{max(first_times):.2f}"
    codes = ",".join(str(code) for code in sorted(first_codes))
    print(f"\nfirst run with the 5k overlay (median of {FIRST_RUNS}): {first:.2f} s ({spread}; "
          f"budget < {FIRST_RUN_S:.0f} s), exit {codes}{first_peak}")  # fmt: skip
    if first >= FIRST_RUN_S or first_codes != {0}:
        missed.append(f"first run with the 5k overlay: {first:.2f} s, exit {codes}")
    print(f"benchmark wall time: {time.perf_counter() - began:.0f} s")
    if missed:
        print("\nBUDGET MISSED:\n  " + "\n  ".join(missed))
        return 1
    if unchecked:
        print("\nNot checked: " + ", ".join(unchecked))
        return 2
    print("\nAll budgets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
