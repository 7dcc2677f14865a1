/**
 * Bundles the library core (src/index.ts) for browsers into one ESM file with esbuild. Fails if any
 * module it reaches needs a Node built-in (platform: browser). Used by the web example
 * (`npm run web`, scripts/serve-web.ts, which bundles into a temporary folder).
 * Run: npx tsx scripts/build-browser.ts OUTFILE
 */
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** Writes the bundle to `outfile`; returns its size in bytes. */
export async function bundleBrowser(outfile: string, minify = false): Promise<number> {
  const r = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    minify,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return Object.values(r.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) throw new Error('Usage: npx tsx scripts/build-browser.ts OUTFILE');
  const bytes = await bundleBrowser(out, process.argv.includes('--minify'));
  console.log(`wrote ${out} (${(bytes / 1024).toFixed(0)} KiB)`);
}
