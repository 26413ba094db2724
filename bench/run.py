#!/usr/bin/env python3
"""Benchmark Headlights against DuckDB-WASM from file drop to finished dashboard.

For every data set and repetition, both sides get a fresh chromedriver, a fresh Chromium
profile and a fresh page, alternating Headlights and DuckDB-WASM so that load on the shared
machine hits both alike:

- Headlights (dist/ served on 127.0.0.1): a script injected before the file is set records
  performance.now() at the file input's `change` event and at the FileReader start and end.
  It also records the console line that the app logs once a file is ingested, the first and
  last canvas `getContext`, every `data-state` change of the root (MutationObserver) and every
  `longtask` entry. The total is `change` to the first `data-state="ready"`.
- DuckDB-WASM (the peer page in bench/peer, served on 127.0.0.1): the page's own timings,
  registering the File, loading the table and running queries.json, engine start excluded.

Peak memory is the sum of PSS (and of RSS) over the chromedriver's process tree, sampled from
/proc every 50 ms. A native DuckDB run on the same files and queries gives the native baseline.

Usage: venv/bin/python run.py --dataset NAME=PATH:KIND [...] [--reps 3] [--native-headlights FILE]
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
PEER = os.path.join(BENCH, "peer")
DIST = os.path.join(REPO, "dist")
RESULTS = os.path.join(BENCH, "results")
HEADLIGHTS_PORT = 8766
PEER_PORT = 8765
QUERIES = json.load(open(os.path.join(BENCH, "queries.json")))
SAMPLE_INTERVAL_S = 0.05
FILE_INPUT = "[data-dropzone] input[type=file]"

# Installed in the Headlights page before the file is set. Wraps the web APIs that the app calls
# through wasm-bindgen (which looks them up at call time), so it needs no change to the app.
HEADLIGHTS_PROBE = r"""
(() => {
  const s = window.__probe = {change: null, read_start: null, read_end: null, parsed: null,
    first_canvas: null, last_canvas: null, ready: null, error: null, states: [], longtasks: [], logs: []};
  const root = document.querySelector('[data-state]');
  new MutationObserver(() => {
    const state = root.getAttribute('data-state'), t = performance.now();
    s.states.push([state, t]);
    if (s.change !== null && s.ready === null && state === 'ready') s.ready = t;
    if (s.change !== null && s.error === null && state === 'error') s.error = t;
  }).observe(root, {attributes: true, attributeFilter: ['data-state']});
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) s.longtasks.push([e.startTime, e.duration]);
  }).observe({type: 'longtask', buffered: true});
  window.addEventListener('change', e => {
    if (s.change === null && e.target.matches && e.target.matches('input[type=file]')) s.change = performance.now();
  }, true);
  const readAsArrayBuffer = FileReader.prototype.readAsArrayBuffer;
  FileReader.prototype.readAsArrayBuffer = function (blob) {
    if (s.read_start === null) s.read_start = performance.now();
    this.addEventListener('load', () => { if (s.read_end === null) s.read_end = performance.now(); });
    return readAsArrayBuffer.call(this, blob);
  };
  const log = console.log;
  console.log = function (...args) {
    const t = performance.now(), text = args.map(String).join(' ');
    s.logs.push([t, text]);
    if (s.parsed === null && / rows read as /.test(text)) s.parsed = t;
    return log.apply(this, args);
  };
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (...args) {
    const t = performance.now();
    if (s.change !== null) { if (s.first_canvas === null) s.first_canvas = t; s.last_canvas = t; }
    return getContext.apply(this, args);
  };
})();
"""

# Installed in the DuckDB page. Its work runs in a worker, so this shows how long the main thread was blocked.
LONGTASK_PROBE = r"""
window.__longtasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
}).observe({type: 'longtask', buffered: true});
"""


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def memory_kb(pid):
    """Return (Rss, Pss) of one process in KiB from smaps_rollup, zeros once the process has exited."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class MemorySampler(threading.Thread):
    """Peak sums of RSS and PSS over a process tree, sampled every SAMPLE_INTERVAL_S."""

    def __init__(self, root_pid):
        super().__init__(daemon=True)
        self.root = root_pid
        self.stop_event = threading.Event()
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.last_pss_kb = 0

    def run(self):
        while not self.stop_event.is_set():
            samples = [memory_kb(pid) for pid in descendants(self.root)]
            if samples:
                rss, pss = sum(s[0] for s in samples), sum(s[1] for s in samples)
                self.peak_rss_kb = max(self.peak_rss_kb, rss)
                self.peak_pss_kb = max(self.peak_pss_kb, pss)
                self.last_pss_kb = pss
            time.sleep(SAMPLE_INTERVAL_S)

    def reset_peaks(self):
        self.peak_rss_kb = self.peak_pss_kb = 0


def start_server(directory, port, probe_path):
    log = open(os.path.join(RESULTS, f"server-{port}.log"), "a")
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", directory],
        stdout=log, stderr=log)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/{probe_path}", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"the static server for {directory} did not respond on 127.0.0.1:{port}")


def make_driver(profile_dir):
    options = webdriver.ChromeOptions()
    # The real binary: the /usr/bin/chromium wrapper prints a harmless shell error.
    options.binary_location = "/usr/lib/chromium/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--user-data-dir={profile_dir}", "--window-size=1280,900",
                     "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-default-apps", "--disable-domain-reliability", "--metrics-recording-only",
                     "--disable-features=Translate,OptimizationHints,MediaRouter",
                     # Nothing but loopback resolves.
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service("/usr/bin/chromedriver", log_output=os.path.join(RESULTS, "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(60)
    return driver, service


def wait_for(predicate, timeout_s, what, poll_s=0.1):
    deadline = time.time() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise TimeoutError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(poll_s)


def longest_block(longtasks, since):
    durations = [duration for start, duration in longtasks if start + duration >= since]
    return (max(durations) if durations else 0.0), sum(durations), len(durations)


def run_headlights(name, path, timeout_s):
    record = {"side": "headlights", "dataset": name, "file_mb": os.path.getsize(path) / 1e6}
    with tempfile.TemporaryDirectory(prefix="hl-profile-") as profile:
        driver, service = make_driver(profile)
        sampler = MemorySampler(service.process.pid)
        sampler.start()
        try:
            record["browser_version"] = driver.capabilities.get("browserVersion")
            driver.get(f"http://127.0.0.1:{HEADLIGHTS_PORT}/index.html")
            wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, FILE_INPUT), 60, "the drop zone")
            # Engine start is excluded on both sides: DuckDB's instantiation, and here the
            # workers' start and warm-up, which the page reports as data-engine="warm".
            wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, '[data-engine="warm"]'), 60, "the warm engine")
            time.sleep(1.0)  # lets the service worker finish caching the site before timing
            record["idle_pss_mb"] = sampler.last_pss_kb / 1024
            sampler.reset_peaks()
            driver.execute_script(HEADLIGHTS_PROBE)
            driver.find_element(By.CSS_SELECTOR, FILE_INPUT).send_keys(path)
            probe = wait_for(
                lambda: driver.execute_script(
                    "const s = window.__probe; return (s.ready !== null || s.error !== null) ? s : null"),
                timeout_s, "data-state ready or error", poll_s=0.25)
            record["probe"] = {key: probe[key] for key in
                               ["change", "read_start", "read_end", "parsed", "first_canvas", "last_canvas", "ready", "error"]}
            record["states"] = probe["states"]
            record["logs"] = [text for _, text in probe["logs"]][:20]
            change = probe["change"]
            if probe["ready"] is None:
                raise RuntimeError("the page reported data-state=error; console: " + " | ".join(record["logs"]))
            record["total_ms"] = probe["ready"] - change
            record["longest_block_ms"], record["blocked_ms"], record["longtask_count"] = longest_block(probe["longtasks"], change)
            record["longtasks"] = [[round(start - change, 1), round(duration, 1)]
                                   for start, duration in probe["longtasks"] if start + duration >= change]
            record["kpis"] = driver.execute_script(
                "return Object.fromEntries([...document.querySelectorAll('[data-kpi][data-value]')]"
                ".map(e => [e.dataset.kpi, {value: e.dataset.value, period: e.dataset.period}]))")
            record["ok"] = True
        except (WebDriverException, TimeoutError, RuntimeError) as error:
            record.update({"ok": False, "error": f"{type(error).__name__}: {str(error).splitlines()[0]}"})
        finally:
            sampler.stop_event.set()
            sampler.join()
            record["peak_pss_mb"] = sampler.peak_pss_kb / 1024
            record["peak_rss_mb"] = sampler.peak_rss_kb / 1024
            try:
                record["console_errors"] = [entry["message"] for entry in driver.get_log("browser")
                                            if entry.get("level") == "SEVERE"][:5]
            except WebDriverException as error:
                record["console_errors"] = [f"could not read the browser log: {error.msg}"]
            driver.quit()
    return record


def run_duckdb(name, path, kind, timeout_s, return_results):
    spec = QUERIES[kind]
    options = {"bundle": "auto", "table": spec["table"], "load": spec["load"], "queries": spec["queries"],
               "return_results": return_results}
    record = {"side": "duckdb-wasm", "dataset": name, "file_mb": os.path.getsize(path) / 1e6}
    with tempfile.TemporaryDirectory(prefix="duckdb-profile-") as profile:
        driver, service = make_driver(profile)
        sampler = MemorySampler(service.process.pid)
        sampler.start()
        try:
            record["browser_version"] = driver.capabilities.get("browserVersion")
            driver.get(f"http://127.0.0.1:{PEER_PORT}/index.html")
            wait_for(lambda: driver.execute_script("return window.__state") == "module-loaded", 60, "the peer page module")
            time.sleep(1.0)
            record["idle_pss_mb"] = sampler.last_pss_kb / 1024
            sampler.reset_peaks()
            driver.execute_script(LONGTASK_PROBE)
            driver.find_element(By.ID, "f").send_keys(path)
            driver.execute_script(
                "window.__result = null; window.__run_start = performance.now();"
                "window.runBench(arguments[0]).then(r => { window.__result = r; },"
                " e => { window.__result = {ok: false, error: String(e)}; });", options)
            result = wait_for(lambda: driver.execute_script("return window.__result"), timeout_s,
                              "the DuckDB run", poll_s=0.25)
            record.update({key: result.get(key) for key in ["ok", "error", "bundle", "duckdb_version", "rowcount", "t"]})
            record["queries"] = [{"name": q["name"], "ms": q["ms"], "result": q.get("result")} for q in result.get("queries", [])]
            if result.get("ok"):
                record["total_ms"] = result["t"]["total_ms"]
                # Only the part after engine start: blocks during the engine's own start are excluded.
                load_start = driver.execute_script("return window.__run_start") + result["t"]["init_ms"]
                longtasks = driver.execute_script("return window.__longtasks")
                record["longest_block_ms"], record["blocked_ms"], record["longtask_count"] = longest_block(longtasks, load_start)
        except (WebDriverException, TimeoutError, RuntimeError) as error:
            record.update({"ok": False, "error": f"{type(error).__name__}: {str(error).splitlines()[0]}"})
        finally:
            sampler.stop_event.set()
            sampler.join()
            record["peak_pss_mb"] = sampler.peak_pss_kb / 1024
            record["peak_rss_mb"] = sampler.peak_rss_kb / 1024
            driver.quit()
    return record


def run_native_duckdb(name, path, kind, reps):
    import duckdb

    spec = QUERIES[kind]
    records = []
    for rep in range(reps):
        connection = duckdb.connect()
        threads = connection.execute("SELECT current_setting('threads')").fetchone()[0]
        started = time.perf_counter()
        connection.execute(spec["load"].replace("{file}", path))
        load_s = time.perf_counter() - started
        results = {}
        for query in spec["queries"]:
            cursor = connection.execute(query["sql"])
            columns = [column[0] for column in cursor.description]
            results[query["name"]] = [dict(zip(columns, row)) for row in cursor.fetchall()]
        total_s = time.perf_counter() - started
        connection.close()
        records.append({"side": "duckdb-native", "dataset": name, "rep": rep, "duckdb": duckdb.__version__,
                        "threads": threads, "load_ms": load_s * 1000, "total_ms": total_s * 1000,
                        "kpis": {key: (float(value) if hasattr(value, "as_tuple") else value)
                                 for key, value in results["headline_kpis"][0].items()}})
    return records


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def close(a, b, relative=1e-6):
    try:
        return math.isclose(float(a), float(b), rel_tol=relative, abs_tol=0.006)
    except (TypeError, ValueError):
        return a == b


def compare_kpis(kind, headlights, duckdb):
    """Pair each Headlights card value with the DuckDB value of the same definition."""
    if kind == "events":
        pairs = [("dau", "dau"), ("wau", "wau"), ("mau", "mau"), ("stickiness", "stickiness")]
    else:
        pairs = [("revenue", "revenue_all_currencies"), ("revenue", "revenue_usd_only"),
                 ("active_customers", "active_customers"), ("arpu", "arpu"), ("arpu", "arpu_usd_only")]
    rows = []
    for card, column in pairs:
        ours = (headlights.get(card) or {}).get("value")
        theirs = duckdb.get(column)
        rows.append({"kpi": card, "duckdb_column": column, "headlights": ours, "duckdb": theirs,
                     "equal": ours is not None and theirs is not None and close(ours, theirs)})
    return rows


def summarise(datasets, runs, native_headlights, native_duckdb):
    summary = []
    for name, path, kind in datasets:
        row = {"dataset": name, "kind": kind, "file_mb": round(os.path.getsize(path) / 1e6, 1)}
        for side in ["headlights", "duckdb-wasm"]:
            ok = [run for run in runs if run["dataset"] == name and run["side"] == side and run.get("ok")]
            all_runs = [run for run in runs if run["dataset"] == name and run["side"] == side]
            row[side] = {
                "runs_ok": f"{len(ok)}/{len(all_runs)}",
                "total_ms": median([run.get("total_ms") for run in ok]),
                "total_ms_all": [round(run["total_ms"]) for run in ok],
                "longest_block_ms": median([run.get("longest_block_ms") for run in ok]),
                "peak_pss_mb": median([run.get("peak_pss_mb") for run in all_runs]),
                "peak_rss_mb": median([run.get("peak_rss_mb") for run in all_runs]),
                "idle_pss_mb": median([run.get("idle_pss_mb") for run in all_runs]),
                "errors": [run.get("error") for run in all_runs if not run.get("ok")],
            }
        hl_ok = [run for run in runs if run["dataset"] == name and run["side"] == "headlights" and run.get("ok")]
        if hl_ok:
            phase = lambda start, end: median([(run["probe"][end] - run["probe"][start])
                                               if run["probe"][end] is not None and run["probe"][start] is not None else None
                                               for run in hl_ok])
            row["headlights"]["phases_ms"] = {
                "change_to_read_start": phase("change", "read_start"),
                "file_read": phase("read_start", "read_end"),
                "read_end_to_parsed": phase("read_end", "parsed"),
                "parsed_to_first_canvas": phase("parsed", "first_canvas"),
                "first_canvas_to_ready": phase("first_canvas", "ready"),
                "parsed_to_ready": phase("parsed", "ready"),
            }
            row["headlights"]["longtasks_rep0"] = hl_ok[0].get("longtasks")
        duck_ok = [run for run in runs if run["dataset"] == name and run["side"] == "duckdb-wasm" and run.get("ok")]
        if duck_ok:
            row["duckdb-wasm"]["load_ms"] = median([run["t"]["load_ms"] for run in duck_ok])
            row["duckdb-wasm"]["queries_ms"] = median([run["t"]["queries_ms"] for run in duck_ok])
        if row["headlights"]["total_ms"] and row["duckdb-wasm"]["total_ms"]:
            row["ratio_headlights_to_duckdb"] = row["headlights"]["total_ms"] / row["duckdb-wasm"]["total_ms"]
        native = [r for r in native_headlights if os.path.abspath(r.get("file", "")) == os.path.abspath(path) and "error" not in r]
        if native:
            row["headlights-native"] = {key: median([r[key] for r in native]) for key in
                                        ["read_ms", "decode_ms", "split_ms", "table_finish_ms", "recognise_ms", "ingest_ms", "dashboard_ms"]}
        duck_native = [r for r in native_duckdb if r["dataset"] == name]
        if duck_native:
            row["duckdb-native"] = {"threads": duck_native[0]["threads"], "load_ms": median([r["load_ms"] for r in duck_native]),
                                    "total_ms": median([r["total_ms"] for r in duck_native])}
            duck_kpis = duck_native[0]["kpis"]
            browser_kpis = hl_ok[0]["kpis"] if hl_ok else {}
            row["kpi_check_browser"] = compare_kpis(kind, browser_kpis, duck_kpis)
            if native:
                row["kpi_check_native"] = compare_kpis(kind, native[0]["kpis"], duck_kpis)
        summary.append(row)
    return summary


def rounded(value):
    """Round floats of 100 or more (milliseconds, megabytes) to 0.1, but never a compared KPI value."""
    if isinstance(value, float) and abs(value) >= 100:
        return round(value, 1)
    if isinstance(value, dict):
        return {key: (item if key in ("kpis", "headlights", "duckdb") and not isinstance(item, dict) else rounded(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def print_table(summary):
    seconds = lambda ms: "-" if ms is None else f"{ms / 1000:.2f}"
    print("\n| data set | MB | Headlights s | DuckDB-WASM s | ratio | Headlights peak PSS MB | DuckDB peak PSS MB "
          "| Headlights longest block ms | DuckDB longest block ms | native Headlights s | native DuckDB s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in summary:
        hl, duck = row["headlights"], row["duckdb-wasm"]
        native = row.get("headlights-native") or {}
        native_total = (native.get("ingest_ms") or 0) + (native.get("dashboard_ms") or 0) if native else None
        ratio = row.get("ratio_headlights_to_duckdb")
        print(f"| {row['dataset']} | {row['file_mb']} | {seconds(hl['total_ms'])} | {seconds(duck['total_ms'])} | "
              f"{'-' if ratio is None else f'{ratio:.2f}'} | {hl['peak_pss_mb'] or 0:.0f} | {duck['peak_pss_mb'] or 0:.0f} | "
              f"{hl['longest_block_ms'] or 0:.0f} | {duck['longest_block_ms'] or 0:.0f} | {seconds(native_total)} | "
              f"{seconds((row.get('duckdb-native') or {}).get('total_ms'))} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", required=True, metavar="NAME=PATH:KIND",
                        help="a file to measure; KIND is events or payments (repeatable)")
    parser.add_argument("--reps", type=int, default=3, help="fresh pages per file and side (default 3)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds one page may take (default 900)")
    parser.add_argument("--native-headlights", default="", help="JSON lines written by the bench_phases example")
    parser.add_argument("--out", default=os.path.join(RESULTS, "summary.json"), help="summary JSON to write")
    args = parser.parse_args()

    datasets = []
    for spec in args.dataset:
        name, rest = spec.split("=", 1)
        path, kind = rest.rsplit(":", 1)
        if kind not in QUERIES:
            parser.error(f"invalid kind {kind!r} in {spec!r}; expected events or payments")
        datasets.append((name, os.path.abspath(path), kind))

    os.makedirs(RESULTS, exist_ok=True)
    runs_path = os.path.join(RESULTS, "runs.jsonl")
    servers = [start_server(DIST, HEADLIGHTS_PORT, "index.html"),
               start_server(PEER, PEER_PORT, "node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm")]
    runs = []
    try:
        for name, path, kind in datasets:
            for rep in range(args.reps):
                for record in [run_headlights(name, path, args.timeout),
                               run_duckdb(name, path, kind, args.timeout, return_results=(rep == 0))]:
                    record["rep"] = rep
                    runs.append(record)
                    with open(runs_path, "a") as f:
                        f.write(json.dumps(record) + "\n")
                    print(f"{name} rep {rep} {record['side']}: ok={record.get('ok')} "
                          f"total={record.get('total_ms', 0) or 0:.0f} ms longest block={record.get('longest_block_ms', 0) or 0:.0f} ms "
                          f"peak PSS={record['peak_pss_mb']:.0f} MB {record.get('error') or ''}", flush=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait()

    native_headlights = []
    if args.native_headlights:
        with open(args.native_headlights) as f:
            native_headlights = [json.loads(line) for line in f if line.strip()]
    native_duckdb = []
    for name, path, kind in datasets:
        native_duckdb.extend(run_native_duckdb(name, path, kind, args.reps))

    summary = summarise(datasets, runs, native_headlights, native_duckdb)
    machine = {"cores": os.cpu_count(), "browser_version": next((r.get("browser_version") for r in runs if r.get("browser_version")), None)}
    with open(args.out, "w") as f:
        json.dump(rounded({"machine": machine, "reps": args.reps, "datasets": summary}), f, indent=1, separators=(",", ":"), default=str)
    print_table(summary)
    print(f"\nsummary written to {args.out}; every run in {runs_path}")


if __name__ == "__main__":
    main()
