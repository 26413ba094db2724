// Headlights' service worker: makes the site open and work offline after the first visit.
//
// scripts/post-build.py fills in the build's version and file list, so every build caches its
// own files under its own name and removes the caches of older builds once it takes over.
// It only ever answers with the site's own files: it never contacts another origin.

const VERSION = "__BUILD_VERSION__";
const FILES = ["__BUILD_FILES__"];
const CACHE = `headlights-${VERSION}`;

self.addEventListener("install", (event) => {
    event.waitUntil(
        caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()),
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
        event.respondWith(
            fetch(request).catch(() => caches.match("./", { cacheName: CACHE })),
        );
        return;
    }
    // Built files have content hashes in their names, so a cached copy is never stale.
    event.respondWith(
        caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)),
    );
});
