import { audit, SYSTEM } from '../audit/repository.js';
import { write, type WriteDeps } from '../db/write.js';
import type { Hall } from '../halls/service.js';
import { DAY_MS } from '../../protocol/constants.js';


export interface Erased {
  tickets: number;
  appointments: number;
  messages: number;
  evaluations: number;
  /** 短信预约 texts received. */
  texts: number;
  complaints: number;
  phoneCodes: number;
}

/**
 * 个人信息保护法: a citizen's name and phone number (and what a ticket says about them: the 绿色通道
 * reason, the helper's note) are kept only for the hall's retention period after the visit, then
 * erased in place. Numbers, times, outcomes, ratings and every statistic stay. Runs from
 * housekeeping; a row already erased is not touched again.
 */
export async function erasePersonalData(deps: WriteDeps, hall: Pick<Hall, 'id' | 'settings'>): Promise<Erased> {
  return write(deps, async ({ trx, now }) => {
    const before = now - hall.settings.personalDataRetentionDays * DAY_MS;
    const tickets = await trx.updateTable('tickets').set({ phone: null, note: null, priority_reason: null })
      .where('hall_id', '=', hall.id).where('issued_at', '<', before)
      .where((eb) => eb.or([eb('phone', 'is not', null), eb('note', 'is not', null), eb('priority_reason', 'is not', null)]))
      .executeTakeFirst();
    const appointments = await trx.updateTable('appointments').set({ citizen_name: '', phone: '' })
      .where('hall_id', '=', hall.id).where('slot_end', '<', before).where('phone', '<>', '')
      .executeTakeFirst();
    // A message's text names the citizen's ticket and its link (the ticket's key) too.
    const messages = await trx.updateTable('notifications').set({ phone: '', text: '' })
      .where('hall_id', '=', hall.id).where('created_at', '<', before).where('phone', '<>', '')
      .executeTakeFirst();
    const evaluations = await trx.updateTable('evaluations').set({ contact: null })
      .where('hall_id', '=', hall.id).where('created_at', '<', before).where('contact', 'is not', null)
      .executeTakeFirst();
    const complaints = await trx.updateTable('complaints').set({ contact: null })
      .where('hall_id', '=', hall.id).where('received_at', '<', before).where('contact', 'is not', null)
      .executeTakeFirst();
    // Texts received (短信预约): the number, the words and the answer (it carries the check-in code).
    const texts = await trx.updateTable('sms_inbound').set({ phone: null, text: null, reply: null })
      .where('hall_id', '=', hall.id).where('received_at', '<', before).where('phone', 'is not', null)
      .executeTakeFirst();
    const phoneCodes = await trx.deleteFrom('phone_codes').where('hall_id', '=', hall.id).where('created_at', '<', before).executeTakeFirst();
    const erased: Erased = {
      tickets: Number(tickets.numUpdatedRows), appointments: Number(appointments.numUpdatedRows), messages: Number(messages.numUpdatedRows),
      evaluations: Number(evaluations.numUpdatedRows), complaints: Number(complaints.numUpdatedRows), phoneCodes: Number(phoneCodes.numDeletedRows),
      texts: Number(texts.numUpdatedRows),
    };
    if (Object.values(erased).some((n) => n > 0)) {
      await audit(trx, now, { hallId: hall.id, actorId: SYSTEM.id, actor: SYSTEM.name, action: 'personal_data.erased', detail: { ...erased, before }, ip: null });
    }
    return erased;
  });
}
