/**
 * `npm run web`: build web/dist/ (./build.ts) and serve it on localhost (default port 8080, or PORT; PORT=0 picks a
 * free one). A plain static server: web/dist/ is all the page needs, so any static host serves it as well.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, buildWeb } from './build.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
};

export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serve `root` on `host:port` (port 0: a free one); resolves once listening. */
export function serveStatic(root: string = DIST, port = 0, host = '127.0.0.1'): Promise<WebServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`),
    );
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr !== null ? addr.port : port;
      ok({ url: `http://${host}:${actual}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWeb();
  const port = Number(process.env.PORT ?? 8080);
  const s = await serveStatic(DIST, Number.isInteger(port) && port >= 0 ? port : 8080);
  process.stdout.write(`initlab playground: ${s.url} (Ctrl-C stops)\n`);
}
