import { useState } from 'preact/hooks';
import type { OnlineQueueInfo } from '../protocol/online.js';
import { maskContact } from '../protocol/masking.js';
import { api } from '../ui-shared/api.js';
import { nameOf, t } from '../ui-shared/i18n/index.js';
import { MaterialsList } from '../ui-shared/materials.js';
import { type Draft, usePhoneCode } from './details-form.js';

type QueueService = OnlineQueueInfo['services'][number];

/** 现在排队: the services that give today's numbers online, with what is left of this hour's. */
export function QueueChoice({ info, onPick }: { info: OnlineQueueInfo; onPick: (s: QueueService) => void }) {
  if (!info.open || info.services.length === 0) return null;
  return (
    <section class="card queue-now" data-testid="queue-now">
      <h2>{t('book.queue.title')}</h2>
      <p class="hint">{t('book.queue.hint', { n: info.graceMinutes })}</p>
      <div class="choices">
        {info.services.map((s) => {
          const open = s.issuing && s.leftThisHour > 0;
          return (
            <button type="button" key={s.serviceId} class="choice" data-testid={`queue-service-${s.serviceId}`} disabled={!open} onClick={() => onPick(s)}>
              <b>{s.prefix}</b> {nameOf(s)}
              <small>{!s.issuing ? t('book.queue.notNow') : s.leftThisHour === 0 ? t('book.queue.hourFull') : t('book.queue.waiting', { n: s.waiting, left: s.leftThisHour })}</small>
            </button>
          );
        })}
      </div>
    </section>
  );
}

/**
 * The mobile number, proven with the SMS code, then 取号: the phone page of the new number opens
 * (it keeps the token, so the hall's entrance QR code can confirm the arrival later).
 */
export function QueueForm({ hallId, service, draft, onDraft, invalidFields, onBack, onQueued, onError }: {
  hallId: number;
  service: QueueService;
  draft: Draft;
  onDraft: (change: Partial<Draft>) => void;
  invalidFields: string[];
  onBack: () => void;
  onQueued: (token: string) => void;
  onError: (err: unknown | null) => void;
}) {
  const { phone, code, codeSent } = draft;
  const [busy, setBusy] = useState(false);
  const { resendIn, sendCode } = usePhoneCode(hallId, draft, onDraft, onError);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    onError(null);
    try {
      const queued = await api('POST /public/halls/:hallId/queue', { hallId }, { serviceId: service.serviceId, phone, code });
      onQueued(queued.ticket.token);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  }

  const invalid = (f: string) => (invalidFields.includes(f) ? { 'aria-invalid': 'true' as const, 'aria-describedby': 'booking-error' } : {});
  return (
    <section class="card">
      <button type="button" class="link-button" onClick={onBack}>← {t('book.back')}</button>
      <h2>{t('book.queue.for', { service: nameOf(service) })}</h2>
      <p class="when" data-testid="queue-facts">
        {t('book.queue.facts', { n: service.waiting, minutes: service.estimatedWaitMinutes ?? '—' })}
      </p>
      <MaterialsList materials={service.materials} conditions={service.conditions} />
      <form class="details" onSubmit={(e) => void submit(e)}>
        <label class="field">
          <span>{t('book.phone')}</span>
          <input name="phone" type="tel" inputMode="numeric" autoComplete="tel" required maxLength={11} value={phone} onInput={(e) => onDraft({ phone: e.currentTarget.value })} aria-describedby="queue-phone-hint" {...invalid('phone')} />
          <small id="queue-phone-hint">{t('book.queue.phoneHint')}</small>
        </label>
        <div class="field verify">
          <label for="queue-code">{t('book.verifyCode')}</label>
          <div class="verify-row">
            <input id="queue-code" name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={6} pattern="[0-9]{6}" value={code}
              onInput={(e) => onDraft({ code: e.currentTarget.value.replace(/\D/g, '') })} aria-describedby="queue-code-hint" {...invalid('code')} />
            <button type="button" class="secondary" data-testid="queue-send-code" disabled={!/^1[3-9]\d{9}$/.test(phone) || resendIn > 0} onClick={() => void sendCode()}>
              {resendIn > 0 ? t('book.resendIn', { s: resendIn }) : t('book.sendCode')}
            </button>
          </div>
          <small id="queue-code-hint" role="status">{codeSent ? t('book.codeSent', { phone: maskContact(codeSent.phone) }) : ''}</small>
        </div>
        <button type="submit" class="primary big" data-testid="queue-submit" disabled={busy}>{t('book.queue.submit')}</button>
      </form>
    </section>
  );
}
