import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_CSP, PAGE_HTML } from './page-html.js';

// slack-to-html ships browser-ready ES modules; the page loads them from here, never from a CDN.
const VENDOR_DIR = dirname(fileURLToPath(import.meta.resolve('slack-to-html')));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};

function fileUnder(base: string, relative: string): string | undefined {
  const full = resolve(base, relative);
  const type = TYPES[full.slice(full.lastIndexOf('.'))];
  return full.startsWith(base + sep) && type !== undefined ? full : undefined;
}

/** The page, its compiled modules (under /assets) and slack-to-html (under /vendor); 404 for anything else. */
export async function serveFile(res: ServerResponse, path: string, assetsDir: string): Promise<void> {
  if (path === '/') {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PAGE_CSP,
      'Cache-Control': 'no-store',
    });
    res.end(PAGE_HTML);
    return;
  }
  const file = path.startsWith('/assets/')
    ? fileUnder(resolve(assetsDir), path.slice('/assets/'.length))
    : path.startsWith('/vendor/slack-to-html/')
      ? fileUnder(VENDOR_DIR, path.slice('/vendor/slack-to-html/'.length))
      : undefined;
  const body = file === undefined ? undefined : await readFile(file).catch(() => undefined);
  if (file === undefined || body === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[file.slice(file.lastIndexOf('.'))],
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
