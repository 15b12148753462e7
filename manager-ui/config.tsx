import { useState } from 'preact/hooks';
import type { HallView } from '../protocol/halls.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { Calendar } from './config/calendar.js';
import { Devices } from './config/devices.js';
import { Halls } from './config/halls.js';
import { Services } from './config/services.js';
import { Settings } from './config/settings.js';
import { Sms } from './config/sms.js';
import { Staff } from './config/staff.js';
import { Windows } from './config/windows.js';
import { Zones } from './config/zones.js';

/** The configuration tab: one file per section under config/. */
type Section = 'services' | 'windows' | 'staff' | 'devices' | 'zones' | 'settings' | 'calendar' | 'sms' | 'halls';
const SECTIONS: Section[] = ['services', 'windows', 'staff', 'devices', 'zones', 'settings', 'calendar', 'sms'];

export function Config({ hall, admin, meId, onHallChanged }: { hall: HallView; admin: boolean; meId: number; onHallChanged: (h: HallView) => void }) {
  useLang();
  const [section, setSection] = useState<Section>('services');
  // The halls of the whole system are the admin's: only they create and move halls.
  const sections: Section[] = admin ? [...SECTIONS, 'halls'] : SECTIONS;
  return (
    <section class="panel">
      <div class="tabs small">
        {sections.map((s) => <button type="button" key={s} class={s === section ? 'on' : ''} data-testid={`cfg-${s}`} onClick={() => setSection(s)}>{t(`mgr.cfg.${s}` as Key)}</button>)}
      </div>
      {section === 'services' && <Services hallId={hall.id} />}
      {section === 'windows' && <Windows hallId={hall.id} />}
      {section === 'staff' && <Staff hallId={hall.id} admin={admin} meId={meId} />}
      {section === 'devices' && <Devices hallId={hall.id} timeZone={hall.timezone} />}
      {section === 'settings' && <Settings hall={hall} onSaved={onHallChanged} />}
      {section === 'zones' && <Zones hall={hall} onSaved={onHallChanged} />}
      {section === 'sms' && <Sms hall={hall} onSaved={onHallChanged} />}
      {section === 'halls' && <Halls />}
      {section === 'calendar' && <Calendar hallId={hall.id} businessDay={hall.businessDay} />}
    </section>
  );
}
