/**
 * How personal details are shown to whoever may see them only in part, stated once for the
 * server's views and the pages: enough to recognise, not enough to call or to name.
 */

/** 138****5678. */
export function maskContact(contact: string): string {
  const digits = contact.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** 张*, 张*明, 欧**锋. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}
