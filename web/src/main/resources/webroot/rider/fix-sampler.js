// Turns the positions navigator.geolocation.watchPosition delivers (as often as the device likes)
// into GPS fixes about every `intervalMs` (10 s by default), in the gateway's fix format.

export const DEFAULT_INTERVAL_MS = 10_000;

/** A fix from a GeolocationPosition: ts (device clock, ms), lat, lon, and what the device knows. */
export function toFix(position) {
  const c = position.coords;
  const fix = { ts: Math.round(position.timestamp), lat: c.latitude, lon: c.longitude };
  const put = (name, v, lo, hi) => {
    if (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi) fix[name] = Math.round(v * 100) / 100;
  };
  put('acc', c.accuracy, 0, 100_000);
  put('spd', c.speed, 0, 500);
  put('hdg', c.heading, 0, 360);
  put('alt', c.altitude, -1_000, 20_000);
  return fix;
}

export class FixSampler {
  /**
   * @param intervalMs the sampling interval; a position is taken when at least 90 % of it has
   *     passed since the last fix (so a device reporting every 10 s is not sampled every 20 s)
   * @param onFix called with each fix
   */
  constructor(intervalMs, onFix) {
    this.intervalMs = intervalMs;
    this.onFix = onFix;
    this.lastTs = -Infinity;
  }

  /** Offers a position; returns the fix when it was taken, else null. */
  offer(position) {
    const fix = toFix(position);
    if (!Number.isFinite(fix.lat) || !Number.isFinite(fix.lon)) return null;
    if (fix.ts - this.lastTs < this.intervalMs * 0.9) return null;
    this.lastTs = fix.ts;
    this.onFix(fix);
    return fix;
  }
}
