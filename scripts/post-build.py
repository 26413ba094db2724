#!/usr/bin/env python3
"""Trunk post-build hook: seals the built site for privacy and offline use.

Trunk runs this after writing the final index.html into its staging folder
(TRUNK_STAGING_DIR). It does two things:

1. Adds a Content-Security-Policy meta tag that lets the page load only its own
   files. Trunk's inline loader script is allowed by its SHA-256 hash, and wasm
   compilation by 'wasm-unsafe-eval'; no other origin is allowed for anything.
2. Fills the service worker (sw.js) with the list of built files and a version
   derived from their contents, so each build gets its own offline cache.
"""

import base64
import hashlib
import json
import os
import re
import sys

STAGING = os.environ.get("TRUNK_STAGING_DIR") or sys.exit("TRUNK_STAGING_DIR is not set: run this from Trunk")
INDEX = os.path.join(STAGING, "index.html")
WORKER = os.path.join(STAGING, "sw.js")

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


def policy(script_hashes):
    sources = " ".join(f"'sha256-{digest}'" for digest in script_hashes)
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' {sources}",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def seal_index():
    with open(INDEX, encoding="utf-8") as file:
        html = file.read()

    hashes = [
        base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        for body in INLINE_SCRIPT.findall(html)
    ]
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    html, count = re.subn(r'(<meta charset="utf-8">)', r"\1\n    " + meta, html, count=1)
    if count != 1:
        sys.exit("post-build: index.html has no <meta charset=\"utf-8\"> to put the policy after")

    with open(INDEX, "w", encoding="utf-8") as file:
        file.write(html)


def built_files():
    files = []
    for folder, _, names in os.walk(STAGING):
        for name in names:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, STAGING).replace(os.sep, "/")
            if relative != "sw.js":
                files.append(relative)
    return sorted(files)


def fill_worker():
    if not os.path.exists(WORKER):
        sys.exit("post-build: sw.js is missing from the build; index.html must copy it")

    files = built_files()
    digest = hashlib.sha256()
    for relative in files:
        with open(os.path.join(STAGING, relative), "rb") as file:
            digest.update(relative.encode("utf-8"))
            digest.update(hashlib.sha256(file.read()).digest())
    version = digest.hexdigest()[:16]
    urls = ["./"] + [f"./{relative}" for relative in files]

    with open(WORKER, encoding="utf-8") as file:
        script = file.read()
    script = script.replace('"__BUILD_VERSION__"', json.dumps(version))
    script = script.replace('["__BUILD_FILES__"]', json.dumps(urls))
    with open(WORKER, "w", encoding="utf-8") as file:
        file.write(script)


seal_index()
fill_worker()
