import { findStaffByUsername } from '../staff/repository.js';
import type { Config } from '../config.js';
import { writeAll, type WriteDeps } from '../db/write.js';
import { createDevice } from '../devices/service.js';
import { createHall } from '../halls/service.js';
import { listHalls } from '../halls/repository.js';
import { createService } from '../services/service.js';
import { createStaff } from '../staff/service.js';
import { createWindow } from '../windows/service.js';

export interface Credential {
  username: string;
  displayName: string;
  role: string;
  password: string;
}

export interface DemoHall {
  hallId: number;
  hallName: string;
  credentials: Credential[];
  devices: { kind: string; name: string; token: string }[];
  serviceIds: Record<string, number>;
  windowIds: Record<string, number>;
}

const SERVICES = [
  { code: 'social_security', nameZh: '社会保险', nameEn: 'Social security', prefix: 'A', expectedMinutes: 10, bookingDaysAhead: 7, slotCapacity: 4, onlinePerHour: 10, materials: ['居民身份证 原件', '社会保障卡', '《社会保险参保登记表》 1份'] },
  { code: 'medical_insurance', nameZh: '医疗保障', nameEn: 'Medical insurance', prefix: 'B', expectedMinutes: 8, onlinePerHour: 10, materials: ['居民身份证 原件', '医保电子凭证或社会保障卡'] },
  { code: 'housing_fund', nameZh: '住房公积金', nameEn: 'Housing provident fund', prefix: 'C', expectedMinutes: 12, onlinePerHour: 6, materials: ['居民身份证 原件', '本人银行卡', '购房合同或不动产权证书 复印件1份'] },
  { code: 'real_estate', nameZh: '不动产登记', nameEn: 'Real estate registration', prefix: 'D', expectedMinutes: 20, dailyQuota: 150, issueCutoffMinutes: 30, bookingDaysAhead: 14, slotCapacity: 2, materials: ['居民身份证 原件及复印件', '不动产权证书 原件', '购房合同 原件', '婚姻关系证明 原件'], conditions: '申请人为不动产权利人或其委托代理人；委托办理的，另带授权委托书和代理人身份证。' },
  { code: 'business_registration', nameZh: '市场主体登记', nameEn: 'Business registration', prefix: 'E', expectedMinutes: 15, materials: ['法定代表人身份证 原件', '公司章程 1份', '住所使用证明 1份'] },
  { code: 'household', nameZh: '户籍办理', nameEn: 'Household registration', prefix: 'F', expectedMinutes: 10, onlinePerHour: 6, materials: ['居民户口簿 原件', '居民身份证 原件'] },
  { code: 'tax', nameZh: '税务办理', nameEn: 'Tax services', prefix: 'G', expectedMinutes: 12, materials: ['营业执照 副本', '经办人身份证 原件'] },
  { code: 'complaint', nameZh: '办不成事反映', nameEn: 'Unresolved matters', prefix: 'H', expectedMinutes: 15 },
] as const;

const WEEKDAYS_9_TO_5 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '09:00', close: '17:00' }));

/**
 * A realistic district centre: seven everyday services plus 办不成事反映, eight comprehensive
 * windows, a real-estate/tax domain window, a green-channel window and a complaint window,
 * a manager, clerks, a 帮办 helper, a kiosk and a display. Every password and token is random and returned
 * once, for the caller to print.
 */
export async function seedDemoHall(deps: WriteDeps & { passwordHashCost: number }): Promise<DemoHall> {
  const hall = await createHall(deps, {
    name: '示例区政务服务中心',
    parentId: null,
    level: 'district',
    timezone: 'Asia/Shanghai',
    openingHours: [...WEEKDAYS_9_TO_5, { weekday: 6, open: '09:00', close: '12:00' }],
    settings: {},
  });
  const serviceIds: Record<string, number> = {};
  for (const [i, s] of SERVICES.entries()) {
    const row = await createService(deps, hall.id, {
      ...s, dailyQuota: 'dailyQuota' in s ? s.dailyQuota : null, active: true, sortOrder: i,
      materials: 'materials' in s ? [...s.materials] : [], conditions: 'conditions' in s ? s.conditions : '',
      issueCutoffMinutes: 'issueCutoffMinutes' in s ? s.issueCutoffMinutes : 0,
      onlinePerHour: 'onlinePerHour' in s ? s.onlinePerHour : 0,
      // 预约: social security and real estate take bookings, in half-hour slots.
      bookingDaysAhead: 'bookingDaysAhead' in s ? s.bookingDaysAhead : 0, slotMinutes: 30, slotCapacity: 'slotCapacity' in s ? s.slotCapacity : 2,
    });
    serviceIds[s.code] = row.id;
  }
  const windowIds: Record<string, number> = {};
  for (let n = 1; n <= 8; n++) {
    const w = await createWindow(deps, hall.id, { number: String(n), kind: 'comprehensive', specialPurpose: null, tiers: [], active: true });
    windowIds[w.number] = w.id;
  }
  const everyday = SERVICES.filter((s) => s.code !== 'complaint').map((s) => serviceIds[s.code]!);
  const more = [
    { number: '9', kind: 'domain' as const, specialPurpose: null, tiers: [[serviceIds.real_estate!], [serviceIds.tax!, serviceIds.housing_fund!]] },
    { number: '10', kind: 'special' as const, specialPurpose: 'green_channel' as const, tiers: [everyday] },
    { number: '11', kind: 'special' as const, specialPurpose: 'complaint' as const, tiers: [[serviceIds.complaint!]] },
  ];
  for (const spec of more) {
    const w = await createWindow(deps, hall.id, { ...spec, active: true });
    windowIds[w.number] = w.id;
  }

  const credentials: Credential[] = [];
  const people = [
    { username: 'manager', displayName: '王主任', role: 'manager' as const },
    ...['张敏', '李强', '刘洋', '陈静', '杨帆', '赵磊'].map((displayName, i) => ({
      username: `clerk${String(i + 1).padStart(2, '0')}`, displayName, role: 'clerk' as const,
    })),
    { username: 'helper01', displayName: '刘导办', role: 'helper' as const },
  ];
  for (const person of people) {
    const { password } = await createStaff(deps, hall.id, person);
    credentials.push({ ...person, password });
  }
  const devices = [];
  for (const d of [{ kind: 'kiosk' as const, name: '一楼取号机' }, { kind: 'display' as const, name: '大厅叫号屏' }]) {
    const { token } = await createDevice(deps, hall.id, { ...d, windowId: null });
    devices.push({ ...d, token });
  }
  return { hallId: hall.id, hallName: hall.name, credentials, devices, serviceIds, windowIds };
}

/**
 * The first start: the admin (random password) when there is none, and the demo hall when
 * there are no halls.
 */
export async function seedIfEmpty(deps: WriteDeps, config: Config): Promise<{ admin: Credential | null; demo: DemoHall | null }> {
  // One transaction: a first start killed half-way leaves nothing behind, and the next start
  // seeds (and prints) everything again. The caller prints the secrets after the commit.
  return writeAll({ ...deps, passwordHashCost: config.passwordHashCost }, async (inner) => {
    let admin: Credential | null = null;
    const hasAdmin = await inner.db.selectFrom('staff').select('id').where('role', '=', 'admin').executeTakeFirst();
    if (!hasAdmin) {
      const username = (await findStaffByUsername(inner.db, 'admin')) ? `admin${Date.now() % 10_000}` : 'admin';
      const { password } = await createStaff(inner, null, { username, displayName: '系统管理员', role: 'admin' });
      admin = { username, displayName: '系统管理员', role: 'admin', password };
    }
    const demo = (await listHalls(inner.db, null)).length === 0 ? await seedDemoHall(inner) : null;
    return { admin, demo };
  });
}
