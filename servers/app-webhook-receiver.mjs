// A stand-in for the existing Next.js app's webhook route (POST /api/facial-recognition/webhook),
// written to that app's behaviour, not to ours, so tests show what the real receiver does with
// what we send:
//   - Authorization must be `Bearer <FACIAL_RECOGNITION_WEBHOOK_SECRET>`: 401 otherwise;
//   - `result` is required: 400 otherwise;
//   - the camera: `camera_id` is the app's own Camera id, a foreign key of DetectionEvent, used as it
//     is (an id with no Camera fails the insert: 500); when it is absent or null, the Camera whose
//     streamUrl equals `camera_stream_url`; failing that, the most recently seen ONLINE camera; with
//     none, 400 "No camera found";
//   - the name: "Desconocido" or "Unknown" is UNKNOWN; otherwise an ACTIVE client whose name, email or
//     DNI contains it, compared case-insensitively, makes it MATCHED; otherwise NEW_FACE;
//   - success: 201 with the DetectionEvent.
// It does not verify signatures (the app does not).
//
//   node app-webhook-receiver.mjs --port 0 --token-env FACIAL_RECOGNITION_WEBHOOK_SECRET
//
// POST /api/facial-recognition/webhook   a delivery
// POST /_seed      {"cameras":[{"id","streamUrl","status","lastSeen"}],"clients":[{"id","name","email","dni","status"}]}
//                  replaces the app's cameras and clients (and forgets the events)
// GET  /_events    every DetectionEvent created so far
// GET  /_requests  every delivery with the status it was answered
import http from 'node:http';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const token = process.env[args['token-env'] || 'FACIAL_RECOGNITION_WEBHOOK_SECRET'];
if (!token) {
  console.error('app-webhook-receiver: the token environment variable must be set');
  process.exit(2);
}
const expected = createHash('sha256').update(`Bearer ${token}`).digest();
const authorised = (h) => typeof h === 'string'
  && timingSafeEqual(createHash('sha256').update(h).digest(), expected);
const MAX_BODY = 1024 * 1024;
const ROUTE = '/api/facial-recognition/webhook';

let cameras = [];
let clients = [];
const events = [];
const requests = [];

function respond(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// the app's findFirst({ where: { OR: [{name: {contains, mode: 'insensitive'}}, {email: ...}, {dni: ...}], status: 'ACTIVE' } })
function matchClient(name) {
  const n = name.toLowerCase();
  return clients.find((c) => c.status === 'ACTIVE'
    && [c.name, c.email, c.dni].some((f) => typeof f === 'string' && f.toLowerCase().includes(n)));
}

function findCamera(body) {
  if (body.camera_id) return { id: body.camera_id, foreignKey: true };
  if (body.camera_stream_url) {
    const byUrl = cameras.find((c) => c.streamUrl === body.camera_stream_url);
    if (byUrl) return { id: byUrl.id, by: 'streamUrl' };
  }
  const online = cameras.filter((c) => c.status === 'ONLINE')
    .sort((a, b) => String(b.lastSeen || '').localeCompare(String(a.lastSeen || '')));
  return online.length ? { id: online[0].id, by: 'mostRecentOnline' } : null;
}

function webhook(req, raw) {
  if (!authorised(req.headers.authorization)) return [401, { error: 'Unauthorized' }];
  let body;
  try { body = JSON.parse(raw); } catch { return [400, { error: 'Invalid JSON' }]; }
  if (!body || typeof body !== 'object' || !body.result) return [400, { error: 'Missing result' }];
  const camera = findCamera(body);
  if (!camera) return [400, { error: 'No camera found' }];
  if (camera.foreignKey && !cameras.some((c) => c.id === camera.id)) {
    // Prisma P2003: Foreign key constraint failed on the field: `cameraId`
    return [500, { error: 'Internal server error' }];
  }
  const name = String(body.result.name ?? '');
  let status;
  let client = null;
  if (name === 'Desconocido' || name === 'Unknown') {
    status = 'UNKNOWN';
  } else {
    client = matchClient(name) || null;
    status = client ? 'MATCHED' : 'NEW_FACE';
  }
  const event = { id: randomUUID(), cameraId: camera.id, cameraFoundBy: camera.by || 'id', clientId: client && client.id,
    status, name, confidence: body.result.confidence, distance: body.result.distance, box: body.result.box,
    timestamp: body.result.timestamp || body.timestamp, createdAt: new Date().toISOString() };
  events.push(event);
  return [201, { success: true, event }];
}

function handle(req, res, raw) {
  if (raw === null) return respond(res, 413, { error: `body over ${MAX_BODY} bytes` });
  if (req.url === '/_events' && req.method === 'GET') return respond(res, 200, events);
  if (req.url === '/_requests' && req.method === 'GET') return respond(res, 200, requests);
  if (req.url === '/_seed' && req.method === 'POST') {
    let seed;
    try { seed = JSON.parse(raw); } catch { return respond(res, 400, { error: 'not JSON' }); }
    cameras = Array.isArray(seed.cameras) ? seed.cameras : [];
    clients = Array.isArray(seed.clients) ? seed.clients : [];
    events.length = 0;
    requests.length = 0;
    return respond(res, 200, { cameras: cameras.length, clients: clients.length });
  }
  if (req.url !== ROUTE) return respond(res, 404, { error: 'Not found' });
  if (req.method !== 'POST') return respond(res, 405, { error: 'Method not allowed' });
  const [status, body] = webhook(req, raw);
  let parsed = null;
  try { parsed = JSON.parse(raw); } catch { /* recorded as null */ }
  requests.push({ status, answer: body, body: parsed, webhookId: req.headers['webhook-id'] || null,
    receivedAt: new Date().toISOString() });
  return respond(res, status, body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    try {
      handle(req, res, size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      if (!res.headersSent) respond(res, 500, { error: String(e.message || e) });
      else res.destroy();
    }
  });
});

server.listen(Number(args.port || 0), args.host || '127.0.0.1', () => {
  console.log(`app-webhook-receiver listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
