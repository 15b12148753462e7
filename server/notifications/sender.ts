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
 * An SMS gateway behind an HTTP webhook: POST {id, to, text} as JSON, signed with HMAC-SHA256 over
 * `timestamp.body` (headers x-hall-timestamp and x-hall-signature: sha256=<hex>), so the gateway
 * can tell the hall sent it. Any answer but 2xx, a timeout or a network error is a failure.
 */
export function webhookSender(url: string, secret: string, timeoutMs = 5000): Sender {
  return {
    name: 'webhook',
    async send(message) {
      const body = JSON.stringify({ id: message.id, to: message.to, text: message.text });
      const timestamp = String(Date.now());
      const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hall-timestamp': timestamp, 'x-hall-signature': `sha256=${signature}` },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        // The signed message carries the citizen's full number: it goes to the configured host
        // only. A redirect is the gateway's fault to fix, not a place to send it on to.
        redirect: 'manual',
      });
      if (res.status >= 300 && res.status < 400) throw new Error(`gateway answered ${res.status} (a redirect; not followed)`);
      if (!res.ok) throw new Error(`gateway answered ${res.status}`);
    },
  };
}

/** Why a gateway URL is risky, or null: plain HTTP to another host sends citizens' numbers in clear. */
export function insecureGateway(url: string): string | null {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:') return null;
  const loopback = hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
  return loopback ? null : `SMS_WEBHOOK_URL is plain http:// to ${hostname}: phone numbers and texts cross the network unencrypted; use https://`;
}
