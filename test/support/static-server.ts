/**
 * A static file server for end-to-end tests, standing in for a real host:
 * serves a build folder under a base path, optionally with the headers the
 * build's own `_headers` file declares (as Netlify/Cloudflare Pages would), or
 * with none (as GitHub Pages). Listens on a random loopback port; over HTTP/1.1,
 * or, given a certificate, over HTTP/2 with TLS as real hosts serve (for measuring loads).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { createGzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  /** Origin plus base path, always ending in "/". */
  readonly url: string;
  readonly origin: string;
  /** Paths requested so far, in order, by anyone (pages, workers, the service worker's precache). */
  readonly requests: string[];
  /**
   * Paths the browser navigated to (loaded as a page: `Sec-Fetch-Mode: navigate`), in order, for
   * counting reloads; the service worker fetching the same page into its precache is not one.
   */
  readonly navigations: string[];
  /** Serves another build from now on, at the same origin (a deploy of a new version). */
  setRoot(root: string): void;
  /**
   * While true, every request is still recorded but its connection is dropped unanswered, as a host
   * the reader cannot reach. For what bypasses a browser context's offline emulation.
   */
  setUnreachable(unreachable: boolean): void;
  close(): Promise<void>;
}

/** Parses the global (`/*`) section of a Netlify-style `_headers` file. */
export function parseHeadersFile(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let inGlobal = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '');
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      inGlobal = line.trim() === '/*';
      continue;
    }
    const match = /^\s+([^:]+):\s*(.+)$/.exec(line);
    if (inGlobal && match?.[1] && match[2]) headers[match[1].trim()] = match[2].trim();
  }
  return headers;
}

export async function serveStatic(
  firstRoot: string,
  {
    base = '/',
    headers = true,
    overrides = {},
    compress = false,
    tls,
  }: {
    base?: string;
    /** Send the headers from the build's `_headers` file (false: like GitHub Pages). */
    headers?: boolean;
    /** Replace a path's response, e.g. to break the service worker on purpose. */
    overrides?: Record<string, { status: number; type: string; body: string }>;
    /** Gzip text files for browsers that accept it, as every real host does (for measuring loads). */
    compress?: boolean;
    /**
     * Serve HTTP/2 over TLS with this certificate (localCertificate), at https://localhost:port.
     * The browser must be told to accept it (`--ignore-certificate-errors`).
     */
    tls?: Certificate;
  } = {},
): Promise<StaticServer> {
  let root = firstRoot;
  let unreachable = false;
  const extra =
    headers && existsSync(join(root, '_headers'))
      ? parseHeadersFile(readFileSync(join(root, '_headers'), 'utf8'))
      : {};
  const requests: string[] = [];
  const navigations: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (req.headers['sec-fetch-mode'] === 'navigate') navigations.push(path);
    if (unreachable) return req.socket.destroy();
    const send = (status: number, file: string | null) => {
      for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
      if (!file) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      if (
        compress &&
        /^(text\/|application\/(json|xml)|image\/svg)/.test(type) &&
        /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
      ) {
        res.writeHead(status, { 'content-type': type, 'content-encoding': 'gzip', vary: 'accept-encoding' });
        createReadStream(file).pipe(createGzip()).pipe(res);
        return;
      }
      res.writeHead(status, { 'content-type': type });
      createReadStream(file).pipe(res);
    };
    const override = overrides[path];
    if (override) {
      for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
      res.writeHead(override.status, { 'content-type': override.type }).end(override.body);
      return;
    }
    if (!path.startsWith(base)) return send(404, null);
    const relative = normalize(path.slice(base.length)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, relative);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (existsSync(file)) return send(200, file);
    const notFound = join(root, '404.html');
    return send(404, existsSync(notFound) ? notFound : null);
  };
  const sessions = new Set<Http2Session>();
  const server = tls
    ? createSecureServer(
        { ...tls, allowHTTP1: true },
        // HTTP/2's compatibility API answers the calls the handler makes as HTTP/1.1's does.
        handle as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void,
      ).on('session', (session) => {
        sessions.add(session.on('close', () => sessions.delete(session)));
      })
    : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${base}`,
    origin,
    requests,
    navigations,
    setRoot: (next) => {
      root = next;
    },
    setUnreachable: (next) => {
      unreachable = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A browser keeps its HTTP/2 connection open; close() would wait for it.
        for (const session of sessions) session.destroy();
      }),
  };
}

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

/**
 * A throwaway self-signed certificate for localhost, made with `openssl`, or undefined where there
 * is no openssl (then say so and serve HTTP/1.1).
 */
export function localCertificate(): Certificate | undefined {
  const folder = mkdtempSync(join(tmpdir(), 'interleave-tls-'));
  try {
    const result = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        join(folder, 'key.pem'),
        '-out',
        join(folder, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    if (result.status !== 0) return undefined;
    return {
      key: readFileSync(join(folder, 'key.pem'), 'utf8'),
      cert: readFileSync(join(folder, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
