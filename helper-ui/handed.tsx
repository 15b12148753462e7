import type { HallView } from '../protocol/halls.js';
import { type Key, nameOf, t } from '../ui-shared/i18n/index.js';
import { fitPageToSlip, Slip, type SlipTicket } from '../ui-shared/slip.js';

/** The number handed over: the citizen scans the QR on the tablet, or the slip is printed. */
export function Handed({ issued, hall, onNext }: { issued: SlipTicket; hall: HallView; onNext: () => void }) {
  const print = () => {
    fitPageToSlip();
    window.print();
  };
  return (
    <main class="handed" data-testid="handed">
      <div class="handed-label">{t('kiosk.yourNumber')}</div>
      <div class="handed-number" data-testid="handed-number">{issued.ticket.displayNumber}</div>
      <div class="handed-service">{nameOf(issued.service)}{issued.ticket.priorityClass !== 'normal' ? ` · ${t(`class.${issued.ticket.priorityClass}` as Key)}` : ''}</div>
      <div>{t('kiosk.ahead', { n: issued.estimate.peopleAhead })}</div>
      <div class="handed-qr" dangerouslySetInnerHTML={{ __html: issued.qr }} />
      <p>{t('helper.scan')}</p>
      <div class="handed-actions">
        <button type="button" class="ghost" data-testid="print" onClick={print}>{t('helper.print')}</button>
        <button type="button" class="primary" data-testid="next-citizen" onClick={onNext}>{t('helper.next')}</button>
      </div>
      <Slip issued={issued} hallName={hall.name} timeZone={hall.timezone} />
    </main>
  );
}
