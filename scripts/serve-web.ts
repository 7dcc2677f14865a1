/**
 * The web example (examples/web) with the library bundled for browsers, served on 127.0.0.1. The bundle
 * goes to a temporary folder, never into the checkout. Used by `npm run web` and
 * test/library/browser.test.ts. Run: npx tsx scripts/serve-web.ts [PORT]   (default 8080; 0: any)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleBrowser } from './build-browser.js';

const example = (name: string) => readFileSync(new URL(`../examples/web/${name}`, import.meta.url), 'utf8');

/** Serves the page until the server is closed; `close` also removes the bundle's folder. */
export async function serveWeb(port = 0): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-web-'));
  await bundleBrowser(join(dir, 'mtcgk.js'));
  const files: Record<string, [string, string]> = {
    '/': [example('index.html'), 'text/html'],
    '/app.js': [example('app.js'), 'text/javascript'],
    '/mtcgk.js': [readFileSync(join(dir, 'mtcgk.js'), 'utf8'), 'text/javascript'],
  };
  const server = createServer((req, res) => {
    const f = files[req.url ?? ''];
    res.writeHead(f ? 200 : 404, { 'content-type': f?.[1] ?? 'text/plain' }).end(f?.[0] ?? 'not found');
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}/`;
  const close = async () => {
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(dir, { recursive: true, force: true });
  };
  return { server, url, close };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url, close } = await serveWeb(Number(process.argv[2] ?? 8080));
  console.log(`mtcgk web example on ${url} (Ctrl-C stops it)`);
  process.once('SIGINT', () => void close().then(() => process.exit(0)));
}
