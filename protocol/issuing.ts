// Kept free of zod: the kiosk and helper bundles import it.
/**
 * Whether a service takes a number now, as the kiosk and the helper tablet both show it: `closed`
 * (switched off), `ended` (outside the hours or past its cut-off), `full` (today's quota is
 * used up), or `open`. The server refuses the same cases.
 */
export function issuingState(s: { active: boolean; issuing: boolean; dailyQuota: number | null; issuedToday: number }): 'open' | 'closed' | 'full' | 'ended' {
  if (!s.active) return 'closed';
  if (!s.issuing) return 'ended';
  if (s.dailyQuota !== null && s.issuedToday >= s.dailyQuota) return 'full';
  return 'open';
}
