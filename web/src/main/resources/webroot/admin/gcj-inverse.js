// GCJ-02 → WGS-84, the inverse of shared/gcj02.js's wgs84ToGcj02, for input on a Chinese basemap.
//
// The forward shift has no closed-form inverse. It is smooth and changes by only ~1e-5 of itself
// per metre, so the fixed-point iteration w ← w − (forward(w) − g) converges in a few steps to well
// under a millimetre; the loop stops when the correction is below 1e-7° (~1 cm).

import { outOfChina, wgs84ToGcj02 } from '../shared/gcj02.js';

export const TOLERANCE_DEG = 1e-7;
const MAX_STEPS = 30;

/** @returns {[number, number]} [lat, lon] in WGS-84 for a GCJ-02 position (unchanged outside China). */
export function gcjToWgs(lat, lon) {
  if (outOfChina(lat, lon)) return [lat, lon];
  let wLat = lat;
  let wLon = lon;
  for (let i = 0; i < MAX_STEPS; i++) {
    const [fLat, fLon] = wgs84ToGcj02(wLat, wLon);
    const dLat = fLat - lat;
    const dLon = fLon - lon;
    wLat -= dLat;
    wLon -= dLon;
    if (Math.abs(dLat) < TOLERANCE_DEG && Math.abs(dLon) < TOLERANCE_DEG) break;
  }
  return [wLat, wLon];
}
