// The routes API's rules, reproduced so the designer shows them while the admin draws: the same
// haversine length (core Geo/Polyline: mean Earth radius, rounded to centimetres like
// RouteInput.lengthM), the same limits and the same messages under the same JSON paths as
// backoffice-lambdas/routes RouteInput and CheckpointRadiusWarnings. The API stays the judge: its
// errors are shown too when a save is refused.

export const EARTH_RADIUS_M = 6_371_008.8;
export const NAME_MAX = 200;
export const MIN_POSITIONS = 2;
export const MAX_POSITIONS = 10_000;
export const MIN_LENGTH_M = 10;
export const MAX_LENGTH_M = 1_000_000;
export const MAX_SEGMENT_M = 100_000;
export const MAX_CHECKPOINTS = 200;
export const CHECKPOINT_NAME_MAX = 100;
export const MIN_RADIUS_M = 5;
export const MAX_RADIUS_M = 5000;
/** CheckpointRadius.minimumM(8 m/s, 10 s): 20 m + 80 m / (2√2). */
export const EXPECTED_SPEED_MPS = 8;
export const CADENCE_S = 10;
export const SAFE_RADIUS_M = 20 + (EXPECTED_SPEED_MPS * CADENCE_S) / (2 * Math.SQRT2);

const rad = (d) => (d * Math.PI) / 180;

/** Great-circle distance in metres (Geo.haversine). */
export function haversine(lat1, lon1, lat2, lon2) {
  const p1 = rad(lat1);
  const p2 = rad(lat2);
  const sp = Math.sin((p2 - p1) / 2);
  const sl = Math.sin(rad(lon2 - lon1) / 2);
  const hav = sp * sp + Math.cos(p1) * Math.cos(p2) * sl * sl;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, hav)));
}

/** Cumulative metres at each vertex of [[lon, lat], …]. */
function cumulative(coords) {
  const c = [0];
  for (let i = 1; i < coords.length; i++) {
    c.push(c[i - 1] + haversine(coords[i - 1][1], coords[i - 1][0], coords[i][1], coords[i][0]));
  }
  return c;
}

/** Length of [[lon, lat], …] in metres, rounded to centimetres as the API stores it. */
export function lengthM(coords) {
  if (coords.length < 2) return 0;
  const c = cumulative(coords);
  return Math.round(c[c.length - 1] * 100) / 100;
}

function wrapLon(d) {
  if (d >= -180 && d <= 180) return d;
  const r = (((d + 180) % 360) + 360) % 360 - 180;
  return r === -180 && d > 0 ? 180 : r;
}

/** Geo.projectOntoSegment: p, a, b as [lat, lon]. */
function projectOntoSegment(p, a, b, minFraction) {
  const tMin = Math.max(0, Math.min(1, minFraction));
  const cosLat = Math.cos(rad((a[0] + b[0]) / 2));
  const kx = rad(1) * EARTH_RADIUS_M * cosLat;
  const ky = rad(1) * EARTH_RADIUS_M;
  const bx = wrapLon(b[1] - a[1]) * kx;
  const by = (b[0] - a[0]) * ky;
  const px = wrapLon(p[1] - a[1]) * kx;
  const py = (p[0] - a[0]) * ky;
  const len2 = bx * bx + by * by;
  let t = len2 === 0 ? 0 : (px * bx + py * by) / len2;
  t = Math.max(tMin, Math.min(1, t));
  let closest;
  if (t <= 0) closest = a;
  else if (t >= 1) closest = b;
  else closest = [a[0] + t * (b[0] - a[0]), wrapLon(a[1] + t * wrapLon(b[1] - a[1]))];
  return { fraction: t, distanceM: haversine(p[0], p[1], closest[0], closest[1]) };
}

/** A line (Polyline) over [lat, lon] points. */
class Line {
  constructor(latLons) {
    this.pts = latLons;
    this.cum = [0];
    for (let i = 1; i < latLons.length; i++) {
      this.cum.push(this.cum[i - 1] + haversine(latLons[i - 1][0], latLons[i - 1][1], latLons[i][0], latLons[i][1]));
    }
  }

  get length() {
    return this.cum[this.cum.length - 1];
  }

  segLen(i) {
    return this.cum[i + 1] - this.cum[i];
  }

  segmentAt(along) {
    let lo = 0;
    let hi = this.pts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.cum[mid] < along) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  project(p, i, fromAlong) {
    const len = this.segLen(i);
    const minFraction = len === 0 || fromAlong <= this.cum[i] ? 0 : Math.min(1, (fromAlong - this.cum[i]) / len);
    const s = projectOntoSegment(p, this.pts[i], this.pts[i + 1], minFraction);
    const along = Math.max(fromAlong, this.cum[i] + s.fraction * len);
    return { along: Math.min(along, this.cum[i + 1]), distanceM: s.distanceM };
  }

  nearest(p) {
    let best = null;
    for (let i = 0; i < this.pts.length - 1; i++) {
      const c = this.project(p, i, 0);
      if (best === null || c.distanceM < best.distanceM) best = c;
    }
    return best;
  }

  firstPassWithin(p, radius, fromAlong) {
    const first = fromAlong <= 0 ? 0 : this.segmentAt(Math.min(fromAlong, this.length));
    let best = null;
    for (let i = first; i < this.pts.length - 1; i++) {
      const c = this.project(p, i, i === first ? fromAlong : 0);
      if (best === null) {
        if (c.distanceM <= radius) best = c;
      } else if (c.distanceM < best.distanceM) {
        best = c;
      }
      const v = this.pts[i + 1];
      if (best !== null && haversine(p[0], p[1], v[0], v[1]) > radius) break;
    }
    return best;
  }
}

const fmtNumber = (d) => String(d);
const LON_LAT = 'GeoJSON positions are [longitude, latitude]';
const MAX_LISTED_POSITION_ERRORS = 20;
const dist = (a, b) => haversine(a[0], a[1], b[0], b[1]);
const isValid = (lat, lon) => Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
/** [lat, lon] read the other way round, when that is a valid position. */
const swapped = ([lat, lon]) => (isValid(lon, lat) ? [lon, lat] : null);

function median(pts) {
  const lats = pts.map((p) => p[0]).sort((a, b) => a - b);
  const lons = pts.map((p) => p[1]).sort((a, b) => a - b);
  const mid = (pts.length - 1) >>> 1;
  return [lats[mid], lons[mid]];
}
const metres = (m) => `${m.toFixed(1)} m`;
const km = (m) => `${(m / 1000).toFixed(1)} km`;
const distance = (m) => (m < 10_000 ? metres(m) : km(m));

function stringProblem(value, required, max) {
  if (value === undefined || value === null) return required ? 'is required' : null;
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim() === '') return 'must not be blank';
  if (value.length > max) return `must be at most ${max} characters`;
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  return null;
}

function boundedProblem(value, min, max, unit, hint = '') {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number (${unit}), not ${value}`;
  if (value < min || value > max) return `${fmtNumber(value)} is outside [${fmtNumber(min)}, ${fmtNumber(max)}] ${unit}${hint}`;
  return null;
}

/**
 * Checks a route as the API would: {name, coordinates: [[lon, lat], …], checkpoints: [{name, lat,
 * lon, radiusM}]} → {errors: [{field, message}], warnings: [{field, message}], lengthM}, with the
 * API's hints for positions in [latitude, longitude] order (imported files get that wrong).
 */
export function checkRoute({ name, coordinates, checkpoints }) {
  const errors = [];
  const warnings = [];
  const err = (field, message) => errors.push({ field, message });
  const n = stringProblem(name, true, NAME_MAX);
  if (n) err('name', n);

  let line = null;
  if (coordinates.length < MIN_POSITIONS) {
    err('geometry.coordinates', `must have at least ${MIN_POSITIONS} positions (has ${coordinates.length})`);
  } else if (coordinates.length > MAX_POSITIONS) {
    err('geometry.coordinates', `must have at most ${MAX_POSITIONS} positions (has ${coordinates.length})`);
  } else {
    // RouteInput.positions: each in range, else named with a hint when it reads well swapped
    let outOfRange = 0;
    coordinates.forEach(([lon, lat], i) => {
      const lonOk = lon >= -180 && lon <= 180;
      const latOk = lat >= -90 && lat <= 90;
      if (lonOk && latOk) return;
      const problems = [];
      if (!lonOk) problems.push(`longitude ${fmtNumber(lon)} is outside [-180, 180]`);
      if (!latOk) problems.push(`latitude ${fmtNumber(lat)} is outside [-90, 90]`);
      const hint = isValid(lon, lat) ? `; ${LON_LAT}: are these two swapped?` : '';
      if (++outOfRange <= MAX_LISTED_POSITION_ERRORS) err(`geometry.coordinates[${i}]`, problems.join(' and ') + hint);
    });
    if (outOfRange > MAX_LISTED_POSITION_ERRORS) {
      err('geometry.coordinates', `${outOfRange - MAX_LISTED_POSITION_ERRORS} more invalid positions are not listed`);
    }
    const pts = outOfRange > 0 ? [] : coordinates.map(([lon, lat]) => [lat, lon]);
    const l = new Line(pts);
    // RouteInput.line: of the two ends of a too-long segment, blame the one farther from the
    // component-wise median of the line, each position once, and say whether swapping it helps.
    const centre = median(pts);
    const blamed = new Set();
    let count = 0;
    const budget = (field, message) => {
      if (++count <= MAX_LISTED_POSITION_ERRORS) err(field, message);
    };
    for (let i = 1; i < pts.length; i++) {
      const d = l.segLen(i - 1);
      if (d <= MAX_SEGMENT_M) continue;
      const odd = dist(pts[i], centre) >= dist(pts[i - 1], centre) ? i : i - 1;
      const other = odd === i ? i - 1 : i;
      if (blamed.has(odd)) continue;
      blamed.add(odd);
      const p = pts[odd];
      let msg = `is ${km(d)} from geometry.coordinates[${other}]; no segment may be longer than ${km(MAX_SEGMENT_M)}, `
        + `which usually means a position in [latitude, longitude] order (${LON_LAT})`;
      const sw = swapped(p);
      if (sw && dist(sw, pts[other]) <= MAX_SEGMENT_M) {
        msg += `: swapped to [${fmtNumber(p[0])}, ${fmtNumber(p[1])}] it would be ${km(dist(sw, pts[other]))} from it`;
      }
      budget(`geometry.coordinates[${odd}]`, msg);
    }
    if (count > MAX_LISTED_POSITION_ERRORS) {
      err('geometry.coordinates', `${count - MAX_LISTED_POSITION_ERRORS} more invalid positions are not listed`);
    }
    const bad = outOfRange > 0 || count > 0;
    if (!bad) {
      const len = l.length;
      if (len === 0) err('geometry.coordinates', 'the line has zero length: all its positions are the same');
      else if (len < MIN_LENGTH_M) err('geometry.coordinates', `the line is ${metres(len)} long; it must be at least ${metres(MIN_LENGTH_M)}`);
      else if (len > MAX_LENGTH_M) err('geometry.coordinates', `the line is ${km(len)} long; it must be at most ${km(MAX_LENGTH_M)}`);
      else line = l;
    }
  }

  if (checkpoints.length > MAX_CHECKPOINTS) {
    err('checkpoints', `must have at most ${MAX_CHECKPOINTS} checkpoints (has ${checkpoints.length})`);
  } else {
    const valid = checkpoints.map((c, i) => {
      const path = `checkpoints[${i}]`;
      const before = errors.length;
      const cn = stringProblem(c.name, true, CHECKPOINT_NAME_MAX);
      if (cn) err(`${path}.name`, cn);
      const looksSwapped = typeof c.lat === 'number' && typeof c.lon === 'number'
        && !isValid(c.lat, c.lon) && isValid(c.lon, c.lat);
      const la = boundedProblem(c.lat, -90, 90, 'degrees', looksSwapped ? ' (lat and lon look swapped)' : '');
      if (la) err(`${path}.lat`, la);
      const lo = boundedProblem(c.lon, -180, 180, 'degrees');
      if (lo) err(`${path}.lon`, lo);
      const r = boundedProblem(c.radiusM, MIN_RADIUS_M, MAX_RADIUS_M, 'metres');
      if (r) err(`${path}.radiusM`, r);
      return errors.length === before;
    });
    if (line) {
      let previousAlong = 0;
      let previous = -1;
      let swappedLine = null;
      let swappedLineTried = false;
      checkpoints.forEach((c, i) => {
        if (!valid[i]) return;
        const path = `checkpoints[${i}]`;
        const p = [c.lat, c.lon];
        const nearest = line.nearest(p);
        if (nearest.distanceM > c.radiusM) {
          let msg = `is ${distance(nearest.distanceM)} from the route, farther than its radiusM (${fmtNumber(c.radiusM)} m)`;
          const own = swapped(p);
          let fits = own !== null && line.nearest(own).distanceM <= c.radiusM;
          if (!fits) {
            if (!swappedLineTried) {
              const sw = line.pts.map(swapped);
              swappedLine = sw.every((x) => x !== null) ? new Line(sw) : null;
              swappedLineTried = true;
            }
            fits = swappedLine !== null && swappedLine.nearest(p).distanceM <= c.radiusM;
          }
          if (fits) msg += `; it would be on the route if geometry.coordinates were swapped (${LON_LAT}) or if its own lat and lon were`;
          err(path, msg);
          return;
        }
        const pass = line.firstPassWithin(p, c.radiusM, previousAlong);
        if (pass === null) {
          err(path, `is out of route order: the route passes it ${distance(nearest.along)} from the start, before `
            + `checkpoints[${previous}] (${distance(previousAlong)}); list checkpoints in the order the route reaches them`);
          return;
        }
        previousAlong = pass.along;
        previous = i;
      });
    }
    checkpoints.forEach((c, i) => {
      if (valid[i] && c.radiusM < SAFE_RADIUS_M) {
        warnings.push({
          field: `checkpoints[${i}].radiusM`,
          message: `${c.radiusM.toFixed(0)} m is below the ${Math.ceil(SAFE_RADIUS_M).toFixed(0)} m a rider at `
            + `${EXPECTED_SPEED_MPS} m/s with a fix every ${CADENCE_S} s is sure to reach; it may be passed without being reached`,
        });
      }
    });
  }
  return { errors, warnings, lengthM: lengthM(coordinates) };
}

/** Where along the line each checkpoint lies (metres), for ordering them; null when off the line. */
export function alongLine(coordinates, point) {
  if (coordinates.length < 2) return null;
  const l = new Line(coordinates.map(([lon, lat]) => [lat, lon]));
  return l.nearest([point.lat, point.lon]).along;
}
