import type { Kysely } from 'kysely';
import type { StaffSkill } from '../../protocol/staff.js';
import { audit, type AuditBy } from '../audit/repository.js';
import type { Database } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { findStaff } from './repository.js';

/**
 * The services a staff member may handle (授权事项), or null when none are listed: then whatever
 * their window serves. Calling, choosing a ticket and transfers all ask this.
 */
export async function skillsOf(db: Kysely<Database>, staffId: number | null): Promise<ReadonlySet<number> | null> {
  if (staffId === null) return null;
  const rows = await db.selectFrom('staff_skills').select('service_id').where('staff_id', '=', staffId).execute();
  return rows.length ? new Set(rows.map((r) => r.service_id)) : null;
}

/** Whether someone with these 授权事项 (null: not restricted) may handle a service. */
export const mayHandle = (skills: ReadonlySet<number> | null, serviceId: number): boolean => skills === null || skills.has(serviceId);

/** Every listed skill of the hall's staff, by person. */
export async function skillsOfHall(db: Kysely<Database>, hallId: number): Promise<Map<number, StaffSkill[]>> {
  const rows = await db.selectFrom('staff_skills').innerJoin('staff', 'staff.id', 'staff_skills.staff_id')
    .select(['staff_skills.staff_id', 'staff_skills.service_id', 'staff_skills.level']).where('staff.hall_id', '=', hallId)
    .orderBy('staff_skills.service_id').execute();
  const out = new Map<number, StaffSkill[]>();
  for (const r of rows) out.set(r.staff_id, [...(out.get(r.staff_id) ?? []), { serviceId: r.service_id, level: r.level }]);
  return out;
}

/** Replaces a person's 授权事项 with the list given (empty: no restriction), each a service of the hall. */
export async function setSkills(deps: WriteDeps, hallId: number, staffId: number, skills: StaffSkill[], by: AuditBy): Promise<StaffSkill[]> {
  return write(deps, async ({ trx, now }) => {
    const staff = await findStaff(trx, hallId, staffId);
    if (!staff || staff.hall_id !== hallId) throw new NotFoundError('STAFF_NOT_FOUND', `Staff member ${staffId} does not exist in hall ${hallId}.`);
    const known = new Set((await trx.selectFrom('services').select('id').where('hall_id', '=', hallId).execute()).map((s) => s.id));
    skills.forEach((s, i) => {
      if (!known.has(s.serviceId)) throw new BadRequestError('SKILL_SERVICE_UNKNOWN', `Service ${s.serviceId} is not a service of this hall.`, { field: `body.skills.${i}.serviceId` });
    });
    await trx.deleteFrom('staff_skills').where('staff_id', '=', staffId).execute();
    if (skills.length) await trx.insertInto('staff_skills').values(skills.map((s) => ({ staff_id: staffId, service_id: s.serviceId, level: s.level }))).execute();
    await audit(trx, now, { hallId, actorId: by.id, actor: by.name, action: 'staff.skills', target: staff.username, detail: { skills }, ip: by.ip });
    return [...skills].sort((a, b) => a.serviceId - b.serviceId);
  });
}
