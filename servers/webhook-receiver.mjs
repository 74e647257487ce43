// A stand-in for the Next.js app's webhook route: checks the Bearer token, verifies the Standard
// Webhooks signature with the `standardwebhooks` package and the signing key (a secret of its own,
// not the token), records every delivery, and can be told to fail, throttle or stall so the
// sender's retries can be tested.
//
//   node webhook-receiver.mjs --port 0 --token-env WEBHOOK_TOKEN --signing-key-env WEBHOOK_SIGNING_KEY
//
// POST <any path>          a delivery: 201 when authorised and verified, 401 otherwise
// GET  /_deliveries        every delivery so far (JSON)
// DELETE /_deliveries      forget them
// POST /_behaviour         {"status":500,"times":2} | {"status":429,"retryAfter":1,"times":1}
//                          | {"delayMs":3000,"times":1}: the next `times` deliveries get that;
//                          anything else is refused with 400 and changes nothing
import http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const token = process.env[args['token-env'] || 'WEBHOOK_TOKEN'];
const signingKey = process.env[args['signing-key-env'] || 'WEBHOOK_SIGNING_KEY'];
if (!token || !signingKey) {
  console.error('webhook-receiver: the token and signing key environment variables must both be set');
  process.exit(2);
}
// a Standard Webhooks key: base64, whsec_ prefix optional
const verifier = new Webhook(signingKey);
// compared as digests of equal length, in constant time: how long a refusal takes says nothing of the token
const expectedAuthorization = createHash('sha256').update(`Bearer ${token}`).digest();
function authorisedBy(header) {
  if (typeof header !== 'string') return false;
  return timingSafeEqual(createHash('sha256').update(header).digest(), expectedAuthorization);
}
const MAX_BODY = 1024 * 1024;

// a behaviour, or the reason it is refused
function parseBehaviour(raw) {
  let b;
  try { b = JSON.parse(raw || '{}'); } catch { return { error: 'not JSON' }; }
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return { error: 'not a JSON object' };
  const known = ['status', 'times', 'retryAfter', 'delayMs'];
  const unknown = Object.keys(b).filter((k) => !known.includes(k));
  if (unknown.length) return { error: `unknown fields ${unknown.join(', ')}` };
  const int = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
  if (b.status !== undefined && !int(b.status, 100, 599)) return { error: 'status must be an integer 100-599' };
  if (b.times !== undefined && !int(b.times, 1, 1000)) return { error: 'times must be an integer 1-1000' };
  if (b.delayMs !== undefined && !int(b.delayMs, 0, 600000)) return { error: 'delayMs must be an integer 0-600000' };
  if (b.retryAfter !== undefined && !int(b.retryAfter, 0, 86400)
      && !(typeof b.retryAfter === 'string' && b.retryAfter.length <= 100 && /^[\x20-\x7e]*$/.test(b.retryAfter))) {
    return { error: 'retryAfter must be seconds 0-86400 or a short header value' };
  }
  return { behaviour: b };
}
const deliveries = [];
const seenIds = new Set();
let behaviours = [];

function respond(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
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
      // whatever a request did, the receiver keeps serving the next one
      if (!res.headersSent) respond(res, 500, { error: String(e.message || e) });
      else res.destroy();
    }
  });
});

function handle(req, res, raw) {
  if (raw === null) return respond(res, 413, { error: `body over ${MAX_BODY} bytes` });
  if (req.url === '/_deliveries' && req.method === 'GET') return respond(res, 200, deliveries);
  if (req.url === '/_deliveries' && req.method === 'DELETE') {
    deliveries.length = 0;
    seenIds.clear();
    return respond(res, 200, { cleared: true });
  }
  if (req.url === '/_behaviour' && req.method === 'POST') {
    const { behaviour: b, error } = parseBehaviour(raw);
    if (error) return respond(res, 400, { error });
    for (let i = 0; i < (b.times || 1); i++) behaviours.push(b);
    return respond(res, 200, { queued: behaviours.length });
  }
  if (req.method !== 'POST') return respond(res, 405, { error: 'POST only' });

  const authorised = authorisedBy(req.headers['authorization']);
  let verified = false;
  let verifyError = null;
  try {
    verifier.verify(raw, {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': req.headers['webhook-signature'],
    });
    verified = true;
  } catch (e) {
    verifyError = String(e.message || e);
  }
  let body = null;
  try { body = JSON.parse(raw); } catch { /* recorded as null */ }
  const b = behaviours.shift();
  const status = !authorised || !verified ? 401 : (b && b.status) || 201;
  const id = req.headers['webhook-id'];
  const entry = { id, path: req.url, authorised, verified, verifyError, status, body,
    timestamp: req.headers['webhook-timestamp'], signature: req.headers['webhook-signature'], raw,
    duplicate: seenIds.has(id), receivedAt: new Date().toISOString() };
  if (status >= 200 && status < 300) seenIds.add(id);
  deliveries.push(entry);
  const send = () => respond(res, status, status === 201 ? { ok: true } : { error: verifyError || 'refused' },
    b && b.retryAfter !== undefined ? { 'retry-after': String(b.retryAfter) } : {});
  if (b && b.delayMs) setTimeout(() => { try { send(); } catch { res.destroy(); } }, b.delayMs); else send();
}

server.listen(Number(args.port || 0), args.host || '127.0.0.1', () => {
  console.log(`webhook-receiver listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
