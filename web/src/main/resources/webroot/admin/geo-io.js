// Route files in and out. Import: GPX (trk/trkseg/trkpt, else rte/rtept; wpt become checkpoints),
// GeoJSON (a LineString, a Feature or a FeatureCollection; Point features become checkpoints) and
// KML (the first LineString placemark; Point placemarks become checkpoints). Export: a GeoJSON
// FeatureCollection that this import reads back. Coordinates are WGS-84 [lon, lat] throughout.

export class ImportError extends Error {}

const DEFAULT_RADIUS_M = 50;

/** {name, coordinates: [[lon, lat]], checkpoints: [{name, lat, lon, radiusM}]} from a file's text. */
export function parseRouteFile(fileName, text) {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.gpx')) return parseGpx(text);
  if (lower.endsWith('.kml')) return parseKml(text);
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return parseGeoJson(text);
  const t = text.trimStart();
  if (t.startsWith('{')) return parseGeoJson(text);
  if (t.includes('<gpx')) return parseGpx(text);
  if (t.includes('<kml')) return parseKml(text);
  throw new ImportError(`${fileName}: not a GPX, KML or GeoJSON file`);
}

function xml(text, what) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) throw new ImportError(`not well-formed ${what}`);
  return doc;
}

const byName = (node, name) => Array.from(node.getElementsByTagNameNS('*', name));
const childText = (node, name) => {
  const c = Array.from(node.children).find((e) => e.localName === name);
  return c ? c.textContent.trim() : '';
};

function finite(...xs) {
  return xs.every((x) => Number.isFinite(x));
}

export function parseGpx(text) {
  const doc = xml(text, 'GPX');
  let pts = byName(doc, 'trkpt');
  if (pts.length === 0) pts = byName(doc, 'rtept');
  const coordinates = pts.map((p) => [Number(p.getAttribute('lon')), Number(p.getAttribute('lat'))]);
  if (coordinates.some(([lon, lat]) => !finite(lon, lat))) throw new ImportError('a GPX point has no numeric lat/lon');
  const trk = byName(doc, 'trk')[0] ?? byName(doc, 'rte')[0];
  const checkpoints = byName(doc, 'wpt').map((w, i) => ({
    name: childText(w, 'name') || `Checkpoint ${i + 1}`,
    lat: Number(w.getAttribute('lat')),
    lon: Number(w.getAttribute('lon')),
    radiusM: DEFAULT_RADIUS_M,
  }));
  return done({ name: trk ? childText(trk, 'name') : '', coordinates, checkpoints }, 'GPX track');
}

function kmlCoordinates(text) {
  return text.trim().split(/\s+/).filter(Boolean).map((tuple) => {
    const [lon, lat] = tuple.split(',').map(Number);
    if (!finite(lon, lat)) throw new ImportError(`a KML coordinate is not lon,lat: ${tuple.slice(0, 40)}`);
    return [lon, lat];
  });
}

export function parseKml(text) {
  const doc = xml(text, 'KML');
  let name = '';
  let coordinates = [];
  const checkpoints = [];
  for (const pm of byName(doc, 'Placemark')) {
    const pmName = childText(pm, 'name');
    const line = byName(pm, 'LineString')[0];
    const point = byName(pm, 'Point')[0];
    if (line && coordinates.length === 0) {
      coordinates = kmlCoordinates(byName(line, 'coordinates')[0]?.textContent ?? '');
      name = pmName;
    } else if (point && !line) {
      const [c] = kmlCoordinates(byName(point, 'coordinates')[0]?.textContent ?? '');
      if (c) checkpoints.push({ name: pmName || `Checkpoint ${checkpoints.length + 1}`, lat: c[1], lon: c[0], radiusM: DEFAULT_RADIUS_M });
    }
  }
  return done({ name, coordinates, checkpoints }, 'KML LineString placemark');
}

export function parseGeoJson(text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`not valid JSON: ${e.message}`);
  }
  let name = '';
  let coordinates = null;
  const checkpoints = [];
  const visit = (obj, props) => {
    if (!obj || typeof obj !== 'object') return;
    if (obj.type === 'FeatureCollection') (obj.features ?? []).forEach((f) => visit(f, {}));
    else if (obj.type === 'Feature') visit(obj.geometry, obj.properties ?? {});
    else if (obj.type === 'LineString' && coordinates === null) {
      coordinates = (obj.coordinates ?? []).map((c) => [Number(c[0]), Number(c[1])]);
      name = typeof props?.name === 'string' ? props.name : '';
    } else if (obj.type === 'Point' && Array.isArray(obj.coordinates)) {
      const radius = Number(props?.radiusM);
      checkpoints.push({
        name: typeof props?.name === 'string' ? props.name : `Checkpoint ${checkpoints.length + 1}`,
        lat: Number(obj.coordinates[1]),
        lon: Number(obj.coordinates[0]),
        radiusM: Number.isFinite(radius) ? radius : DEFAULT_RADIUS_M,
      });
    }
  };
  visit(json, {});
  if (coordinates?.some(([lon, lat]) => !finite(lon, lat))) throw new ImportError('a GeoJSON position is not [lon, lat] numbers');
  return done({ name, coordinates: coordinates ?? [], checkpoints }, 'GeoJSON LineString');
}

function done(route, what) {
  if (route.coordinates.length < 2) throw new ImportError(`no ${what} with at least 2 points found`);
  return route;
}

/** A GeoJSON FeatureCollection: the line (properties.name) and one Point per checkpoint. */
export function toGeoJson({ name, coordinates, checkpoints }) {
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { name }, geometry: { type: 'LineString', coordinates } },
      ...checkpoints.map((c) => ({
        type: 'Feature',
        properties: { name: c.name, radiusM: c.radiusM },
        geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
      })),
    ],
  };
}
