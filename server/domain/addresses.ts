import net from 'node:net';
import proxyAddr from '@fastify/proxy-addr';

/**
 * The key a client's address is counted under by every per-address limit (requests, sign-in
 * failures, bookings, socket handshakes): an IPv4 address as it is, an IPv6 address by its /64
 * (one home or office line is handed a whole /64, so its single addresses cost nothing to rotate).
 */
export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not a client
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(bare)) return bare;
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(ip: string): string[] {
  let text = ip.toLowerCase();
  // A dotted IPv4 tail (::1.2.3.4) is the last two groups.
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}

/**
 * TRUST_PROXY as Fastify's `trustProxy` takes it: `false` (no proxy: the connection's address), a
 * hop count, or the proxies' own addresses and CIDR ranges. A client's own X-Forwarded-For
 * entries are never believed: only what the configured proxies appended.
 */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Reads TRUST_PROXY; null when it is not one of the accepted forms. */
export function parseTrustProxy(raw: string): TrustProxy | null {
  const value = raw.trim();
  if (value === '' || value === 'false' || value === '0') return false;
  // `true` once meant "believe every X-Forwarded-For entry"; now it is the nearest proxy only.
  if (value === 'true') return 1;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const valid = entries.every((e) => {
    if (NAMED_RANGES.has(e)) return true;
    const [address, bits, more] = e.split('/');
    if (more !== undefined || !address || net.isIP(address) === 0) return false;
    if (bits === undefined) return true;
    const max = net.isIPv4(address) ? 32 : 128;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
  });
  return valid && entries.length > 0 ? entries : null;
}

/** Who a request is counted as: a device or a staff member by their identity, anyone else by address. */
export function callerKey(request: { ip: string; principal: { kind: 'staff'; staff: { id: number } } | { kind: 'device'; device: { id: number } } | null }): string {
  const p = request.principal;
  if (p?.kind === 'device') return `device:${p.device.id}`;
  if (p?.kind === 'staff') return `staff:${p.staff.id}`;
  return addressKey(request.ip);
}

/** Trusts the first `hops` hops from this server (hop 0 is the connection itself). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/** TRUST_PROXY as a function of (address, hop): the one rule REST (Fastify) and sockets apply. */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return trustHops(trust);
  return proxyAddr.compile(trust);
}
