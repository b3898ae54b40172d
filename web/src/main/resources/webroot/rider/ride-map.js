// The riding view's map: the route, its checkpoints, the rider's own track and position. No tile
// layer (the rider app draws only what it knows); names reach Leaflet as text nodes.

import * as L from '../vendor/leaflet/leaflet-src.esm.js';
import { textLines } from '../shared/dom.js';

export class RideMap {
  constructor(element) {
    this.map = L.map(element, { zoomControl: true, attributionControl: false }).setView([31.2304, 121.4737], 14);
    this.layers = L.layerGroup().addTo(this.map);
    this.track = L.polyline([], { color: '#1a73e8', weight: 3, opacity: 0.8 }).addTo(this.map);
    this.me = null;
  }

  /** Draws a route ({geometry: LineString [lon, lat], checkpoints [{name, lat, lon, radiusM}]}). */
  showRoute(route) {
    this.layers.clearLayers();
    this.track.setLatLngs([]);
    const line = (route.geometry?.coordinates ?? []).map(([lon, lat]) => [lat, lon]);
    if (line.length) {
      L.polyline(line, { color: '#0f6e5a', weight: 6, opacity: 0.7 }).addTo(this.layers);
      L.circleMarker(line[0], { radius: 7, color: '#0f6e5a', fillOpacity: 1 }).addTo(this.layers);
    }
    (route.checkpoints ?? []).forEach((cp, i) => {
      L.circle([cp.lat, cp.lon], { radius: cp.radiusM, color: '#f2a900', weight: 2, fillOpacity: 0.15 })
        .bindTooltip(textLines(`${i + 1}. ${cp.name ?? ''}`), { permanent: true, direction: 'top' })
        .addTo(this.layers);
    });
    if (line.length) this.map.fitBounds(L.latLngBounds(line).pad(0.15));
  }

  /** The rider's fixes so far (ts order) and the latest position. */
  showTrack(fixes) {
    this.track.setLatLngs(fixes.map((f) => [f.lat, f.lon]));
    if (fixes.length) this.moveTo(fixes[fixes.length - 1]);
  }

  addFix(fix) {
    this.track.addLatLng([fix.lat, fix.lon]);
    this.moveTo(fix);
  }

  moveTo(pos) {
    const at = [pos.lat, pos.lon];
    if (!this.me) {
      this.me = L.marker(at, { icon: L.divIcon({ className: 'me-dot', iconSize: [16, 16] }), keyboard: false, title: 'You' }).addTo(this.map);
    } else {
      this.me.setLatLng(at);
    }
  }

  /** Leaflet measures its box when shown. */
  refresh() {
    this.map.invalidateSize();
  }
}
