"""Traces one Headlights page in headless Chromium: busy time per thread, and where it goes.

Serves DIST on 127.0.0.1, waits for the warm engine, sets FILE on the file input and records
a Chrome trace (chromedriver's performance log) until data-state="ready". Prints, for the
threads that worked most between the `change` event and `ready`, their busy time and their
longest tasks as "duration@start" in milliseconds from `change`. With --functions, it also
samples the JavaScript and WebAssembly stacks and prints each worker's functions by time.
Function names need a build that keeps them: wasm-opt off and `data-keep-debug` on the rust
links of index.html, with `CARGO_PROFILE_RELEASE_DEBUG=1`.

    bench/venv/bin/python bench/trace.py [--functions] DIST FILE
"""

import argparse
import collections
import json
import os
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the benchmark's server and wait helpers)

PORT = 8767
TIMELINE = "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing"
SAMPLER = "disabled-by-default-v8.cpu_profiler"

# Marks the `change` event and the first data-state="ready" in the trace.
MARKS = r"""
window.__ready = false;
window.addEventListener('change', () => performance.mark('file-set'), true);
const root = document.querySelector('[data-state]');
new MutationObserver(() => {
  if (!window.__ready && root.getAttribute('data-state') === 'ready') {
    window.__ready = true;
    performance.mark('ready');
  }
}).observe(root, {attributes: true, attributeFilter: ['data-state']});
"""


def traced_driver(profile_dir, categories):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/lib/chromium/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--user-data-dir={profile_dir}", "--window-size=1280,900", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": False, "enablePage": False, "traceCategories": categories})
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def record_trace(dist, path, categories):
    """Loads FILE in a fresh page and returns the trace events."""
    server = run.start_server(dist, PORT, "index.html")
    try:
        with tempfile.TemporaryDirectory(prefix="hl-trace-") as profile:
            driver = traced_driver(profile, categories)
            try:
                driver.get(f"http://127.0.0.1:{PORT}/index.html")
                run.wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, '[data-engine="warm"]'), 60, "the warm engine")
                time.sleep(1.0)
                driver.execute_script(MARKS)
                driver.find_element(By.CSS_SELECTOR, run.FILE_INPUT).send_keys(path)
                run.wait_for(lambda: driver.execute_script("return window.__ready"), 300, "data-state ready")
                time.sleep(0.5)
                events = []
                # Reading the log stopped the trace in chromedriver 156, so it is read once, at the end.
                for entry in driver.get_log("performance"):
                    message = json.loads(entry["message"])["message"]
                    if message.get("method") == "Tracing.dataCollected":
                        params = message["params"]
                        events.extend(params["value"] if "value" in params else [params])
                return events
            finally:
                driver.quit()
    finally:
        server.terminate()
        server.wait()


def thread_names(events):
    return {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"}


def window(events):
    """Returns the trace times (µs) of `change` and `ready`."""
    marks = {e["name"]: e["ts"] for e in events if e.get("name") in ("file-set", "ready") and "ts" in e}
    return marks["file-set"], marks["ready"]


def print_threads(events, start, end):
    names = thread_names(events)
    busy = collections.defaultdict(float)
    tasks = collections.defaultdict(list)
    for event in events:
        if event.get("ph") != "X" or event.get("name") != "RunTask" or "dur" not in event:
            continue
        overlap = min(event["ts"] + event["dur"], end) - max(event["ts"], start)
        if overlap > 0:
            thread = (event["pid"], event["tid"])
            busy[thread] += overlap / 1000
            tasks[thread].append((event["dur"] / 1000, (event["ts"] - start) / 1000))

    print(f"change to ready: {(end - start) / 1000:.0f} ms")
    for thread, milliseconds in sorted(busy.items(), key=lambda item: -item[1])[:6]:
        longest = ", ".join(f"{duration:.0f}@{at:.0f}" for duration, at in sorted(tasks[thread], reverse=True)[:6])
        print(f"{names.get(thread, thread)!s:28} busy {milliseconds:6.0f} ms in {len(tasks[thread]):4} tasks; longest {longest}")


def print_functions(events, start, end, top=20):
    """Prints, per sampled thread, the functions with the most samples between `change` and `ready`."""
    names = thread_names(events)
    profiles = collections.defaultdict(lambda: {"thread": None, "start": 0, "nodes": {}, "samples": [], "deltas": []})
    for event in events:
        if event.get("name") == "Profile":
            profile = profiles[(event["pid"], event["id"])]
            profile["thread"] = (event["pid"], event["tid"])
            profile["start"] = event["args"]["data"]["startTime"]
        elif event.get("name") == "ProfileChunk":
            profile = profiles[(event["pid"], event["id"])]
            data = event["args"]["data"]
            for node in data.get("cpuProfile", {}).get("nodes", []):
                profile["nodes"][node["id"]] = node
            profile["samples"].extend(data.get("cpuProfile", {}).get("samples", []))
            profile["deltas"].extend(data.get("timeDeltas", []))

    for profile in profiles.values():
        nodes = profile["nodes"]
        at = profile["start"]
        own = collections.Counter()
        for sample, delta in zip(profile["samples"], profile["deltas"]):
            at += delta
            if start <= at <= end and sample in nodes:
                own[nodes[sample]["callFrame"].get("functionName") or "(anonymous)"] += 1
        busy = sum(own.values()) - own["(idle)"] - own["(program)"]
        if busy < 50 or "Worker" not in str(names.get(profile["thread"], "")):
            continue
        print(f"\n{names.get(profile['thread'])}: {busy} busy samples; own samples per function")
        for function, count in own.most_common(top + 2):
            if function not in ("(idle)", "(program)"):
                print(f"  {100 * count / busy:5.1f}% {function[:140]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", action="store_true", help="also sample stacks and print each worker's functions")
    parser.add_argument("dist", help="the built site, such as dist")
    parser.add_argument("file", help="the file to load")
    args = parser.parse_args()

    categories = TIMELINE + ("," + SAMPLER if args.functions else "")
    events = record_trace(os.path.abspath(args.dist), os.path.abspath(args.file), categories)
    start, end = window(events)
    print_threads(events, start, end)
    if args.functions:
        print_functions(events, start, end)


if __name__ == "__main__":
    main()
