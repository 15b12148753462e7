import crypto from 'node:crypto';

export interface OutgoingMessage {
  id: number;
  to: string;
  text: string;
}

/** Hands a message on; throws when it could not (the notifier retries later). */
export interface Sender {
  readonly name: string;
  /** The message stays in the outbox and reaches no phone (no gateway configured). */
  readonly keepsOnly?: boolean;
  send(message: OutgoingMessage): Promise<void>;
}

/** The default: every message is kept in the outbox (manager → 短信记录) and goes no further. */
export const outboxSender: Sender = { name: 'outbox', keepsOnly: true, send: async () => undefined };

/**
 * POSTs a JSON body signed with HMAC-SHA256 over `timestamp.body` (headers x-hall-timestamp and
 * x-hall-signature: sha256=<hex>), so the receiver can tell the hall sent it. Any answer but
 * 2xx, a timeout or a network error throws. A redirect is not followed: the signed body (a
 * citizen's number, a rating) goes to the configured host only; a redirect is its fault to fix.
 */
export async function postSigned(url: string, secret: string, payload: unknown, timeoutMs = 5000, what = 'gateway'): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = String(Date.now());
  const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hall-timestamp': timestamp, 'x-hall-signature': `sha256=${signature}` },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  if (res.status >= 300 && res.status < 400) throw new Error(`${what} answered ${res.status} (a redirect; not followed)`);
  if (!res.ok) throw new Error(`${what} answered ${res.status}`);
}

/** An SMS gateway behind an HTTP webhook: POST {id, to, text}, signed (`postSigned`). */
export function webhookSender(url: string, secret: string, timeoutMs = 5000): Sender {
  return {
    name: 'webhook',
    send: (message) => postSigned(url, secret, { id: message.id, to: message.to, text: message.text }, timeoutMs),
  };
}

/** Why a gateway URL is risky, or null: plain HTTP to another host sends citizens' numbers in clear. */
export function insecureGateway(url: string, setting = 'SMS_WEBHOOK_URL', what = 'phone numbers and texts cross'): string | null {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:') return null;
  const loopback = hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
  return loopback ? null : `${setting} is plain http:// to ${hostname}: ${what} the network unencrypted; use https://`;
}
