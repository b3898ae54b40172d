// gcjToWgs against the forward shift on known points of mainland China (run by AdminJsModulesTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wgs84ToGcj02 } from '../../../main/resources/webroot/shared/gcj02.js';
import { gcjToWgs } from '../../../main/resources/webroot/admin/gcj-inverse.js';
import { haversine } from '../../../main/resources/webroot/admin/route-rules.js';

// [name, lat, lon] in WGS-84: city centres from the far west to the north-east and south.
const PLACES = [
  ['Shanghai People\'s Square', 31.2304, 121.4737],
  ['Beijing Tiananmen', 39.9042, 116.3974],
  ['Guangzhou', 23.1291, 113.2644],
  ['Shenzhen', 22.5431, 114.0579],
  ['Chengdu', 30.5728, 104.0668],
  ['Urumqi', 43.8256, 87.6168],
  ['Lhasa', 29.6520, 91.1721],
  ['Harbin', 45.8038, 126.5349],
  ['Haikou', 20.0440, 110.1999],
  ['Kunming', 24.8801, 102.8329],
];

test('the forward shift is real (hundreds of metres) on every test point', () => {
  for (const [name, lat, lon] of PLACES) {
    const [gLat, gLon] = wgs84ToGcj02(lat, lon);
    const shift = haversine(lat, lon, gLat, gLon);
    assert.ok(shift > 50 && shift < 1000, `${name}: shift ${shift} m`);
  }
});

test('inverse(forward(w)) is w within 0.5 m', () => {
  let worst = 0;
  for (const [name, lat, lon] of PLACES) {
    const [gLat, gLon] = wgs84ToGcj02(lat, lon);
    const [wLat, wLon] = gcjToWgs(gLat, gLon);
    const err = haversine(lat, lon, wLat, wLon);
    worst = Math.max(worst, err);
    assert.ok(err < 0.5, `${name}: ${err} m`);
  }
  console.log(`# max error inverse(forward(w)) vs w: ${worst.toExponential(2)} m`);
});

test('forward(inverse(g)) is g within 0.5 m, treating the places as GCJ-02 positions', () => {
  let worst = 0;
  for (const [name, lat, lon] of PLACES) {
    const [wLat, wLon] = gcjToWgs(lat, lon);
    const [gLat, gLon] = wgs84ToGcj02(wLat, wLon);
    const err = haversine(lat, lon, gLat, gLon);
    worst = Math.max(worst, err);
    assert.ok(err < 0.5, `${name}: ${err} m`);
  }
  console.log(`# max error forward(inverse(g)) vs g: ${worst.toExponential(2)} m`);
});

test('a grid over China: inverse(forward(w)) within 0.5 m everywhere', () => {
  let worst = 0;
  for (let lat = 18.5; lat <= 53; lat += 0.75) {
    for (let lon = 74; lon <= 134; lon += 0.75) {
      const [gLat, gLon] = wgs84ToGcj02(lat, lon);
      const [wLat, wLon] = gcjToWgs(gLat, gLon);
      worst = Math.max(worst, haversine(lat, lon, wLat, wLon));
    }
  }
  console.log(`# max error over the grid: ${worst.toExponential(2)} m`);
  assert.ok(worst < 0.5, `worst ${worst} m`);
});

test('outside China positions are unchanged both ways', () => {
  assert.deepEqual(gcjToWgs(51.5074, -0.1278), [51.5074, -0.1278]);
  assert.deepEqual(gcjToWgs(35.6762, 139.6503), [35.6762, 139.6503]);
});
