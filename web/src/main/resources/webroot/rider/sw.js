// The rider app's service worker: keeps the app shell (pages, modules, styles, Leaflet) so the app
// opens without a network. Network first, so a new version shows at once; the cache only when the
// network fails. It never touches the API, the offers stream or fix uploads (GPS fixes wait in the
// page's IndexedDB buffer, not here).

const CACHE = 'tracklane-rider-shell-v3';
const SHELL = [
  './', 'index.html', 'rider.css', 'main.js', 'i18n.js', 'offer-book.js', 'fix-outbox.js', 'fix-store.js',
  'fix-sampler.js', 'ride-map.js', 'ride-progress.js', 'devices.js', 'manifest.json', 'icon-192.png', 'icon-512.png',
  '../shared/dom.js', '../shared/api.js', '../config.json',
  '../vendor/leaflet/leaflet.css', '../vendor/leaflet/leaflet-src.esm.js',
];
const SHELL_PATHS = ['/rider/', '/shared/', '/vendor/leaflet/', '/config.json'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('tracklane-rider-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!SHELL_PATHS.some((p) => url.pathname.startsWith(p))) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      .catch(() => caches.match(req, { ignoreSearch: url.pathname.endsWith('/') }).then((hit) => hit ?? Response.error())),
  );
});
