/**
 * Which URLs a server may make us open or fetch. Servers name URLs we act on: an authorization
 * page and a URL elicitation go to the user's browser, OAuth discovery is fetched by us. A URL
 * the browser opens must be a web page (`https:`, or `http:` on this machine): `file:`, `smb:`,
 * `vscode:` or `ms-*:` would hand the server a file, a network share or another program. A URL
 * we fetch must also stay on the server's origin or the authorization server it names, and must
 * not reach addresses the server itself is not on (this machine, the private network, the
 * link-local range where cloud metadata lives).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Where an address is, from the point of view of who may be sent there. */
export type AddressKind = 'loopback' | 'private' | 'link-local' | 'public';

/** `localhost`, `*.localhost` (RFC 6761: always this machine), or a loopback address literal. */
export function isLoopbackHost(hostname: string): boolean {
  const host = unbracket(hostname).toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return (isIPv4(host) || isIPv6(host)) && addressKind(host) === 'loopback';
}

/** The kind of an IP address literal (v4, v6, or v4-mapped v6); anything else is `public`. */
export function addressKind(address: string): AddressKind {
  const host = unbracket(address).toLowerCase();
  if (isIPv4(host)) return ipv4Kind(host.split('.').map(Number));
  if (!isIPv6(host)) return 'public';
  const words = expandIpv6(host);
  // v4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:7f00:1) and the old v4-compatible form.
  if (words.slice(0, 5).every((w) => w === 0) && (words[5] === 0xffff || (words[5] === 0 && words[6] !== 0))) {
    return ipv4Kind([words[6] >> 8, words[6] & 0xff]);
  }
  if (words.every((w, i) => w === 0 || (i === 7 && w === 1))) return 'loopback'; // :: and ::1
  if ((words[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((words[0] & 0xfe00) === 0xfc00 || (words[0] & 0xff00) === 0xff00) return 'private'; // unique local, multicast
  return 'public';
}

function ipv4Kind([a, b]: number[]): AddressKind {
  // 0.0.0.0/8 reaches this machine on most systems.
  if (a === 127 || a === 0) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b < 128) || a >= 224) return 'private';
  return 'public';
}

/** The eight 16-bit words of an IPv6 literal, a dotted v4 tail included. */
function expandIpv6(host: string): number[] {
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  const hex = v4 ? host.slice(0, v4.index) + [(+v4[1] << 8) | +v4[2], (+v4[3] << 8) | +v4[4]].map((w) => w.toString(16)).join(':') : host;
  const [head, tail] = hex.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

const unbracket = (h: string) => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

/**
 * Whether `target` may be reached on behalf of a server whose own addresses are `server`: public
 * addresses always; this machine, the private network or link-local only when the server is there
 * too, since then it could reach them anyway.
 */
export function addressAllowed(target: AddressKind, server: readonly AddressKind[]): boolean {
  return target === 'public' || server.includes(target);
}

/** Why `url` is not a web URL we may open or fetch (`https:`, or `http:` on this machine), or undefined when it is. */
export function webUrlProblem(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? undefined : `plain http to ${url.host} is not allowed (https is required off this machine)`;
  return `the scheme ${url.protocol} is not allowed (only https, and http on this machine)`;
}

/**
 * Why a URL a server wants opened in the user's browser (an authorization page, a URL
 * elicitation) must not be, or undefined when it may be shown to the user and opened.
 */
export function openableUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'it is not a valid URL';
  }
  return webUrlProblem(url);
}

/**
 * Why a URL the OAuth flow was asked to fetch must not be, or undefined when it may: a web URL on
 * one of `origins` (the server's own, then the authorization server's it names).
 */
export function fetchUrlProblem(url: URL, origins: ReadonlySet<string>): string | undefined {
  const problem = webUrlProblem(url);
  if (problem) return problem;
  if (!origins.has(url.origin)) return `${url.origin} is neither the server's origin nor its authorization server's`;
  return undefined;
}
