import { useState } from 'preact/hooks';
import type { HallView } from '../../protocol/halls.js';
import { api } from '../../ui-shared/api.js';
import { Field, Fields, hoursText, parseHours, useAction } from './shared.js';
import { type Key, t } from '../../ui-shared/i18n/index.js';

export function Settings({ hall, onSaved }: { hall: HallView; onSaved: (h: HallView) => void }) {
  const s = hall.settings;
  const [form, setForm] = useState({
    slaTargetWaitMinutes: String(s.slaTargetWaitMinutes), staffingGoalPercent: String(s.staffingGoalPercent), recallLimit: String(s.recallLimit), agingMinutes: String(s.agingMinutes),
    announcementTemplate: s.announcementTemplate, announcementRepeat: String(s.announcementRepeat), displayNotice: s.displayNotice,
    verifyWorkingDays: String(s.verifyWorkingDays), rectifyWorkingDays: String(s.rectifyWorkingDays), evaluationPeriodDays: String(s.evaluationPeriodDays),
    appointmentEarlyMinutes: String(s.appointmentEarlyMinutes), appointmentLateMinutes: String(s.appointmentLateMinutes), bookingsPerPhone: String(s.bookingsPerPhone),
    unconfirmedPerSlot: String(s.unconfirmedPerSlot), personalDataRetentionDays: String(s.personalDataRetentionDays),
    onlineGraceMinutes: String(s.onlineGraceMinutes),
    hours: hoursText(hall.openingHours),
  });
  const [requireTwoFactor, setRequireTwoFactor] = useState(s.requireTwoFactor);
  const [silentCalls, setSilentCalls] = useState(s.silentCalls);
  const [unverifiedBooking, setUnverifiedBooking] = useState(s.unverifiedBooking);
  const [kioskGreenChannel, setKioskGreenChannel] = useState(s.kioskGreenChannel);
  const [onlineQueue, setOnlineQueue] = useState(s.onlineQueue);
  const { run, banner, fields } = useAction(async () => undefined);
  const num = (k: keyof typeof form) => Number(form[k]);
  const field = (k: keyof typeof form, label: Key, type = 'number') => (
    <Field label={t(label)}><input name={k} type={type} value={form[k]} onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })} /></Field>
  );
  return (
    <Fields errors={fields}>
      {banner}
      <form class="cfg-form settings" onSubmit={(e) => {
        e.preventDefault();
        const openingHours = parseHours(form.hours);
        void run(async () => onSaved(await api('PATCH /halls/:hallId', { hallId: hall.id }, {
          openingHours,
          settings: {
            slaTargetWaitMinutes: num('slaTargetWaitMinutes'), staffingGoalPercent: num('staffingGoalPercent'), recallLimit: num('recallLimit'), agingMinutes: num('agingMinutes'),
            announcementTemplate: form.announcementTemplate, announcementRepeat: num('announcementRepeat'), displayNotice: form.displayNotice,
            verifyWorkingDays: num('verifyWorkingDays'), rectifyWorkingDays: num('rectifyWorkingDays'), evaluationPeriodDays: num('evaluationPeriodDays'),
            appointmentEarlyMinutes: num('appointmentEarlyMinutes'), appointmentLateMinutes: num('appointmentLateMinutes'), bookingsPerPhone: num('bookingsPerPhone'),
            unverifiedBooking, unconfirmedPerSlot: num('unconfirmedPerSlot'), personalDataRetentionDays: num('personalDataRetentionDays'),
            requireTwoFactor, silentCalls, kioskGreenChannel, onlineQueue, onlineGraceMinutes: num('onlineGraceMinutes'),
          },
        })), t('mgr.cfg.saved'));
      }}>
        {field('slaTargetWaitMinutes', 'mgr.cfg.slaTarget')}
        {field('staffingGoalPercent', 'mgr.cfg.staffingGoal')}
        {field('recallLimit', 'mgr.cfg.recallLimit')}
        {field('agingMinutes', 'mgr.cfg.aging')}
        {field('announcementRepeat', 'mgr.cfg.repeat')}
        {field('verifyWorkingDays', 'mgr.cfg.verifyDays')}
        {field('rectifyWorkingDays', 'mgr.cfg.rectifyDays')}
        {field('evaluationPeriodDays', 'mgr.cfg.evalDays')}
        {field('appointmentEarlyMinutes', 'mgr.cfg.apptEarly')}
        {field('appointmentLateMinutes', 'mgr.cfg.apptLate')}
        {field('bookingsPerPhone', 'mgr.cfg.bookingsPerPhone')}
        <Field label={t('mgr.cfg.unverifiedBooking')}>
          <select name="unverifiedBooking" value={unverifiedBooking} onChange={(e) => setUnverifiedBooking(e.currentTarget.value as typeof unverifiedBooking)}>
            {(['hold_unconfirmed', 'staff_only'] as const).map((m) => <option key={m} value={m}>{t(`mgr.cfg.unverified.${m}`)}</option>)}
          </select>
        </Field>
        {field('unconfirmedPerSlot', 'mgr.cfg.unconfirmedPerSlot')}
        <Field label={t('mgr.settings.kioskGreenChannel')}>
          <select name="kioskGreenChannel" value={kioskGreenChannel} onChange={(e) => setKioskGreenChannel(e.currentTarget.value as typeof kioskGreenChannel)}>
            {(['self', 'helper'] as const).map((m) => <option key={m} value={m}>{t(`mgr.settings.kioskGreen.${m}`)}</option>)}
          </select>
        </Field>
        {field('onlineGraceMinutes', 'mgr.cfg.onlineGrace')}
        {field('personalDataRetentionDays', 'mgr.cfg.retentionDays')}
        {field('announcementTemplate', 'mgr.cfg.template', 'text')}
        {field('displayNotice', 'mgr.cfg.notice', 'text')}
        <Field label={t('mgr.cfg.hours')}><textarea name="hours" rows={7} value={form.hours} onInput={(e) => setForm({ ...form, hours: e.currentTarget.value })} /></Field>
        <label class="check"><input type="checkbox" name="onlineQueue" checked={onlineQueue} onChange={(e) => setOnlineQueue(e.currentTarget.checked)} /> {t('mgr.cfg.onlineQueue')}</label>
        <label class="check"><input type="checkbox" name="silentCalls" checked={silentCalls} onChange={(e) => setSilentCalls(e.currentTarget.checked)} /> {t('mgr.cfg.silentCalls')}</label>
        <label class="check"><input type="checkbox" name="requireTwoFactor" checked={requireTwoFactor} onChange={(e) => setRequireTwoFactor(e.currentTarget.checked)} /> {t('mgr.cfg.requireTwoFactor')}</label>
        <button type="submit" class="primary">{t('mgr.cfg.save')}</button>
      </form>
    </Fields>
  );
}
