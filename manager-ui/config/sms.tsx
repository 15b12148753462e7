import { useEffect, useState } from 'preact/hooks';
import type { HallView } from '../../protocol/halls.js';
import { type InboundSmsView, type NotificationView, renderTemplate, SAMPLE_VALUES, type SmsTemplates, TEMPLATE_FIELDS } from '../../protocol/notifications.js';
import { api } from '../../ui-shared/api.js';
import { type Key, t, useLang } from '../../ui-shared/i18n/index.js';
import { Field, Fields, useAction } from './shared.js';

const KINDS: (keyof SmsTemplates)[] = ['issued', 'ahead', 'called', 'reminder', 'rate'];
const when = (ms: number, timeZone: string) => new Date(ms).toLocaleString('zh-CN', { timeZone, hour12: false });

/**
 * 短信通知: the text of each notice, previewed with sample values as it is typed (nothing is saved
 * until 保存), when "N people ahead" and the booking reminder go, and the outbox with each
 * message's delivery state.
 */
export function Sms({ hall, onSaved }: { hall: HallView; onSaved: (h: HallView) => void }) {
  useLang();
  const [templates, setTemplates] = useState<SmsTemplates>(hall.settings.smsTemplates);
  const [aheadAt, setAheadAt] = useState(String(hall.settings.smsAheadAt));
  const [reminder, setReminder] = useState(String(hall.settings.smsReminderMinutes));
  const [smsNumber, setSmsNumber] = useState(hall.settings.smsNumber ?? '');
  const [outbox, setOutbox] = useState<NotificationView[]>([]);
  const [inbound, setInbound] = useState<InboundSmsView[]>([]);
  const load = () => Promise.all([
    api('GET /halls/:hallId/notifications', { hallId: hall.id, limit: 100 }).then(setOutbox),
    api('GET /halls/:hallId/sms/inbound', { hallId: hall.id, limit: 100 }).then(setInbound),
  ]);
  const { run, banner, fields } = useAction(load);
  useEffect(() => void run(async () => undefined), [hall.id]);
  return (
    <Fields errors={fields}>
      {banner}
      <form class="cfg-form sms" onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onSaved(await api('PATCH /halls/:hallId', { hallId: hall.id }, {
          settings: { smsTemplates: templates, smsAheadAt: Number(aheadAt), smsReminderMinutes: Number(reminder), smsNumber: smsNumber.trim() === '' ? null : smsNumber.trim() },
        })), t('mgr.cfg.saved'));
      }}>
        <p class="muted" id="sms-fields">{t('mgr.sms.fields', { fields: TEMPLATE_FIELDS.map((f) => `{${f}}`).join(' ') })}</p>
        {KINDS.map((kind) => (
          <div class="sms-template" key={kind}>
            <Field label={t(`mgr.sms.kind.${kind}` as Key)}>
              <textarea name={kind} rows={2} maxLength={200} aria-describedby="sms-fields" value={templates[kind]} onInput={(e) => setTemplates({ ...templates, [kind]: e.currentTarget.value })} />
            </Field>
            <div class="sms-preview" data-testid={`preview-${kind}`}><small>{t('mgr.sms.preview')}</small> {renderTemplate(templates[kind], SAMPLE_VALUES)}</div>
          </div>
        ))}
        <Field label={t('mgr.sms.aheadAt')}><input name="smsAheadAt" type="number" min="0" max="50" value={aheadAt} onInput={(e) => setAheadAt(e.currentTarget.value)} /></Field>
        <Field label={t('mgr.sms.reminder')}><input name="smsReminderMinutes" type="number" min="10" max="1440" value={reminder} onInput={(e) => setReminder(e.currentTarget.value)} /></Field>
        <Field label={t('mgr.sms.number')}><input name="smsNumber" inputMode="numeric" value={smsNumber} onInput={(e) => setSmsNumber(e.currentTarget.value)} /></Field>
        <button type="submit" class="primary">{t('mgr.cfg.save')}</button>
      </form>
      <h3>{t('mgr.sms.inbound')}</h3>
      {inbound.length === 0 ? <p class="muted">{t('mgr.none')}</p> : (
        <table data-testid="inbound">
          <thead><tr><th>{t('mgr.sms.time')}</th><th>{t('mgr.sms.from')}</th><th>{t('mgr.sms.text')}</th><th>{t('mgr.sms.done')}</th><th>{t('mgr.sms.reply')}</th></tr></thead>
          <tbody>
            {inbound.map((m) => (
              <tr key={m.id}>
                <td>{when(m.receivedAt, hall.timezone)}</td><td>{m.from ?? '—'}</td><td>{m.text ?? '—'}</td>
                <td>{t(`mgr.sms.action.${m.action}` as Key)}</td><td>{m.reply ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('mgr.sms.outbox')}</h3>
      {outbox.some((n) => n.status === 'kept') && <p class="warning-banner" role="status" data-testid="no-gateway">{t('mgr.sms.noGateway')}</p>}
      {outbox.length === 0 ? <p class="muted">{t('mgr.none')}</p> : (
        <table data-testid="outbox">
          <thead><tr><th>{t('mgr.sms.time')}</th><th>{t('mgr.sms.to')}</th><th>{t('mgr.sms.kindCol')}</th><th>{t('mgr.sms.text')}</th><th>{t('mgr.sms.state')}</th></tr></thead>
          <tbody>
            {outbox.map((n) => (
              <tr key={n.id}>
                <td>{when(n.createdAt, hall.timezone)}</td><td>{n.to}</td><td>{t(`mgr.sms.kind.${n.kind}` as Key)}</td><td>{n.text}</td>
                <td>{t(`mgr.sms.status.${n.status}` as Key)}{n.attempts > 1 ? ` · ${t('mgr.sms.attempts', { n: n.attempts })}` : ''}{n.lastError ? ` · ${n.lastError}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Fields>
  );
}
