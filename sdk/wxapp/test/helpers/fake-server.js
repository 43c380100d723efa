// A local HTTP server that records every request and answers with what the test says: the stand-in for denglu in
// the wire-format tests. `answer(req)` returns {status?, body?, headers?} (body: object → JSON, string → as is);
// without an answer the server replies 404 {code: 1004}.

const http = require('node:http');

async function parseMultipart(headers, raw) {
  const request = new Request('http://fake/', { method: 'POST', headers: { 'content-type': headers['content-type'] }, body: raw });
  const form = await request.formData();
  const fields = {};
  const files = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else files[key] = { filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, files };
}

/** Starts the server; resolves {base, requests, answer (settable), close()}. */
async function startFakeServer(answer) {
  const state = { answer: answer || (() => null), requests: [] };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const entry = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: raw.toString('utf8'),
        raw,
        json: undefined,
        form: undefined,
      };
      try {
        entry.json = JSON.parse(entry.body);
      } catch {
        // not JSON
      }
      if (/^multipart\/form-data/i.test(req.headers['content-type'] || '')) entry.form = await parseMultipart(req.headers, raw);
      state.requests.push(entry);
      let reply;
      try {
        reply = (await state.answer(entry)) || { status: 404, body: { code: 1004, message: 'no such endpoint' } };
      } catch (error) {
        reply = { status: 500, body: { code: 1000, message: String(error) } };
      }
      const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status || 200, Object.assign({ 'content-type': 'application/json' }, reply.headers));
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    get requests() {
      return state.requests;
    },
    set answer(fn) {
      state.answer = fn;
    },
    /** Forgets the recorded requests and sets a new answer. */
    reset(fn) {
      state.requests = [];
      state.answer = fn || (() => null);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** The raw (as sent) names of the request's headers, e.g. ['Host', 'authorization', ...]. */
function rawHeaderNames(entry) {
  return entry.rawHeaders.filter((_, i) => i % 2 === 0);
}

module.exports = { startFakeServer, rawHeaderNames };
