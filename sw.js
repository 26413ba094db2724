// Headlights' service worker: makes the site open and work offline after the first visit.
//
// scripts/post-build.py fills in the build's version and file list, so every build caches its
// own files under its own name and removes the caches of older builds once it takes over.
// It only ever responds with the site's own files, and it never contacts another origin.

const VERSION = "__BUILD_VERSION__";
const FILES = ["__BUILD_FILES__"];
const CACHE = `headlights-${VERSION}`;
// How long a page load waits for the network before it falls back to the cached copy, so a
// connection that hangs rather than fails does not hang the page.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
    event.waitUntil(
        // "reload" skips the HTTP cache, so a host's caching headers cannot put an old file
        // into the new build's cache.
        caches.open(CACHE)
            .then((cache) => cache.addAll(FILES.map((url) => new Request(url, { cache: "reload" }))))
            .then(() => self.skipWaiting()),
    );
});

self.addEventListener("activate", (event) => {
    event.waitUntil(
        caches.keys()
            .then((names) => Promise.all(
                names.filter((name) => name.startsWith("headlights-") && name !== CACHE)
                    .map((name) => caches.delete(name)),
            ))
            .then(() => self.clients.claim()),
    );
});

self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
        return;
    }
    if (request.mode === "navigate") {
        // The page itself: the network first so an update shows at once, the cache when offline.
        event.respondWith(networkWithTimeout(request).catch(() => caches.match("./", { cacheName: CACHE })));
        return;
    }
    // Built files have content hashes in their names, so a cached copy is never stale.
    event.respondWith(
        caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)),
    );
});

/** Fetches from the network, failing after NAVIGATION_TIMEOUT_MS so the cache can respond. */
function networkWithTimeout(request) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("network timed out")), NAVIGATION_TIMEOUT_MS);
        fetch(request).then(
            (response) => { clearTimeout(timer); resolve(response); },
            (error) => { clearTimeout(timer); reject(error); },
        );
    });
}
