import type { Kysely } from 'kysely';
import type { AuditEntry } from '../../protocol/auth.js';
import type { AuditRow, Database } from '../db/schema.js';

/** Who made a change, for the audit log: a signed-in person, or the system itself (first start, CLI). */
export interface AuditBy {
  id: number | null;
  name: string;
  ip: string | null;
}
export const SYSTEM: AuditBy = { id: null, name: 'system', ip: null };

export interface AuditRecord {
  hallId: number | null;
  actorId: number | null;
  /** Username, device name or "system", as it is now (names change; the log keeps what was). */
  actor: string;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

/** Appends to the audit log; inside the change's own transaction where there is one. */
export async function audit(db: Kysely<Database>, at: number, r: AuditRecord): Promise<void> {
  await db.insertInto('audit_log').values({
    hall_id: r.hallId, at, actor_id: r.actorId, actor: r.actor, action: r.action, target: r.target ?? null,
    detail: r.detail ? JSON.stringify(r.detail) : null, ip: r.ip ?? null,
  }).execute();
}

export async function listAudit(db: Kysely<Database>, q: { before?: number; action?: string; limit: number }): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  const rows = await query.orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map(auditView);
}

function auditView(r: AuditRow): AuditEntry {
  return {
    id: r.id, hallId: r.hall_id, at: r.at, actorId: r.actor_id, actor: r.actor, action: r.action, target: r.target,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null, ip: r.ip,
  };
}
