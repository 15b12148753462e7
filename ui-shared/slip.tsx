import QRCode from 'qrcode';
import { lang, nameOf, t } from './i18n/index.js';
import './slip.css';

/** What an 80 mm slip shows: the kiosk and the helper tablet print the same one. */
export interface SlipTicket {
  ticket: { displayNumber: string; priorityClass: 'normal' | 'priority' | 'appointment'; issuedAt: number };
  estimate: { peopleAhead: number; estimatedWaitMinutes: number | null };
  /** With its materials list (请携带), where the page knows it. */
  service: { nameZh: string; nameEn: string; materials?: readonly string[] };
  /** The QR code (SVG) of the citizen's phone page. */
  qr: string;
}

export function Slip({ issued, hallName, timeZone }: { issued: SlipTicket; hallName: string; timeZone: string }) {
  const at = new Date(issued.ticket.issuedAt).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false, timeZone });
  return (
    <div class="slip" aria-hidden="true">
      <div class="slip-hall">{hallName}</div>
      <div class="slip-service">{nameOf(issued.service)}</div>
      <div class="slip-number">{issued.ticket.displayNumber}</div>
      {issued.ticket.priorityClass !== 'normal' && <div class="slip-tag">{t(`class.${issued.ticket.priorityClass}`)}</div>}
      <div>{t('kiosk.ahead', { n: issued.estimate.peopleAhead })}</div>
      {issued.estimate.estimatedWaitMinutes !== null && <div>{t('kiosk.estimate', { n: issued.estimate.estimatedWaitMinutes })}</div>}
      <div>{t('kiosk.slipTime')}: {at}</div>
      {issued.service.materials && issued.service.materials.length > 0 && (
        <div class="slip-materials">
          <div>{t('materials.bring')}</div>
          <ul>{issued.service.materials.map((m) => <li key={m}>{m}</li>)}</ul>
        </div>
      )}
      <div class="slip-qr" dangerouslySetInnerHTML={{ __html: issued.qr }} />
      <div class="slip-small">{t('kiosk.scan')}</div>
      <div class="slip-small">{t('kiosk.slipNote')}</div>
    </div>
  );
}

/** The QR code (SVG) of a ticket's phone page, for the screen and the slip. */
export function phonePageQr(token: string): Promise<string> {
  return QRCode.toString(`${location.origin}/t/${token}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/** Sizes the printed page to the slip (80 mm wide, as long as its content): one page, no waste. */
export function fitPageToSlip(): void {
  const slip = document.querySelector<HTMLElement>('.slip');
  if (!slip) return;
  slip.classList.add('measure');
  const mm = slip.getBoundingClientRect().height * 25.4 / 96;
  slip.classList.remove('measure');
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`@page { size: 80mm ${Math.ceil(mm) + 8}mm; margin: 3mm; }`);
  document.adoptedStyleSheets = [sheet];
}

