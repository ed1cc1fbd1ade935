/**
 * Share links: the code and realm travel in the URL fragment (never sent to a server), as
 * `#code=<base64url of deflate-raw>&realm=worker`. Opening one shows the code in the playground
 * without running it. Browsers without CompressionStream get `#raw=<base64url of UTF-8>`.
 * Whether a fragment holds one at all is `holdsShare`, in names.ts: the bootstrap asks it as the
 * page loads, without loading this module.
 */
export interface Shared {
  readonly code: string;
  readonly realm?: 'main' | 'worker';
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function pipe(
  bytes: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const response = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}

export async function encodeShare({ code, realm }: Shared): Promise<string> {
  const bytes = new TextEncoder().encode(code);
  const params = new URLSearchParams();
  if (typeof CompressionStream === 'function')
    params.set('code', toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw'))));
  else params.set('raw', toBase64Url(bytes));
  if (realm) params.set('realm', realm);
  return params.toString();
}

/** Reads a fragment (with or without "#"); undefined when it holds no shared code. */
export async function decodeShare(fragment: string): Promise<Shared | undefined> {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const realmParam = params.get('realm');
  const realm = realmParam === 'main' || realmParam === 'worker' ? realmParam : undefined;
  try {
    const packed = params.get('code');
    const raw = params.get('raw');
    let bytes: Uint8Array | undefined;
    if (packed !== null) bytes = await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw'));
    else if (raw !== null) bytes = fromBase64Url(raw);
    if (!bytes) return undefined;
    const code = new TextDecoder().decode(bytes);
    return realm ? { code, realm } : { code };
  } catch {
    return undefined;
  }
}

/** The playground's address under the site's base path. */
export function playgroundUrl(fragment: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  return new URL(`${base}playground/#${fragment}`, location.origin).href;
}
