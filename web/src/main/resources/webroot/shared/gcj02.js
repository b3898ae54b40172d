// WGS-84 → GCJ-02, for display only.
//
// Basemaps of mainland China (AutoNavi/Amap, Tencent, …) are drawn in GCJ-02, a deliberately
// shifted datum; a WGS-84 position from a phone's GPS lands 100–700 m away from the street on
// them. The standard published approximation below (Krasovsky 1940 ellipsoid and the widely used
// polynomial offset) shifts a WGS-84 position onto such a basemap. Outside China the datum is not
// used and positions are returned unchanged. Stored data always stays WGS-84.

const A = 6378245.0; // Krasovsky 1940 semi-major axis (m)
const EE = 0.00669342162296594323; // Krasovsky 1940 first eccentricity squared
const PI = Math.PI;

/** The rough bounding box in which GCJ-02 applies. */
export function outOfChina(lat, lon) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x, y) {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  r += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
  r += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
  return r;
}

function offsetLon(x, y) {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  r += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
  r += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
  return r;
}

/** @returns {[number, number]} [lat, lon] in GCJ-02 (unchanged outside China). */
export function wgs84ToGcj02(lat, lon) {
  if (outOfChina(lat, lon)) return [lat, lon];
  let dLat = offsetLat(lon - 105.0, lat - 35.0);
  let dLon = offsetLon(lon - 105.0, lat - 35.0);
  const radLat = lat / 180.0 * PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
  dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * PI);
  return [lat + dLat, lon + dLon];
}
