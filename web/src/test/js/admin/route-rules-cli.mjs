// Runs the designer's route rules over cases read from a JSON file (argv[2]) and prints the results
// as JSON on stdout, for RouteRulesParityTest to compare with the routes API's RouteInput.
// A case: {name, geometry: {coordinates}, checkpoints}; a result: {errors, warnings, lengthM}.
import { readFileSync } from 'node:fs';
import { checkRoute } from '../../../main/resources/webroot/admin/route-rules.js';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = cases.map((c) => checkRoute({
  name: c.name,
  coordinates: c.geometry.coordinates,
  checkpoints: c.checkpoints,
}));
process.stdout.write(JSON.stringify(results));
