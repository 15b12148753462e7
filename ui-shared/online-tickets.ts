/** 在线排队 on this phone (the booking page takes the number, the phone page and the entrance QR code use it). */

/** Tokens of numbers taken online on this phone: the entrance QR code's page confirms them. */
const ONLINE_KEY = 'phone.online';

export function rememberOnline(token: string): void {
  const kept = onlineTokens().filter((t) => t !== token);
  localStorage.setItem(ONLINE_KEY, JSON.stringify([token, ...kept].slice(0, 5)));
}

export function onlineTokens(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(ONLINE_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

