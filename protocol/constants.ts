/**
 * Plain values shared by the server and the pages, kept free of zod so the kiosk and display
 * bundles do not carry the validation library just to know a header name.
 */
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'hq_session';
/** The cookie's name over HTTPS: the __Host- prefix binds it to this host, path / and Secure. */
export const SECURE_SESSION_COOKIE = '__Host-hq_session';
export const SOCKET_PATH = '/socket.io';

export const hallEventTypes = [
  'ticket:issued',
  'ticket:called',
  'ticket:recalled',
  'ticket:started',
  'ticket:finished',
  'ticket:no_show',
  'ticket:requeued',
  'ticket:transferred',
  'ticket:held',
  'ticket:cancelled',
  'ticket:expired',
  'ticket:arrived',
  'ticket:passed_over',
  'window:opened',
  'window:closed',
  'window:paused',
  'window:resumed',
  'window:changed',
  'service:changed',
  'hall:changed',
  'evaluation:recorded',
  'evaluation:appealed',
  'case:changed',
] as const;

/** GB/T 39734-2020 一次一评, five levels; 4 and 5 are 差评. Stored as 1–5. */
export const evaluationLevels = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;
export type EvaluationLevel = (typeof evaluationLevels)[number];
export const levelNumber = (level: EvaluationLevel): number => evaluationLevels.indexOf(level) + 1;

/** 暂停 reasons, in the order pages offer them: 午休, 临时离开, 业务咨询, 会议/培训, 其他. */
export const pauseReasons = ['lunch', 'away', 'consulting', 'meeting', 'other'] as const;
/** Who a 绿色通道 is for, in the order the kiosk asks: 老年人, 残疾人, 孕妇, 军人, 其他. */
export const greenCategories = ['elderly', 'disabled', 'pregnant', 'military', 'other'] as const;
/**
 * The devices a hall pairs: 取号机, 叫号屏, 评价器, 呼叫器 (a window's keypad, or the /caller page
 * on a phone), LED strips (a controller polling plain text) and 窗口屏 (the screen above a window,
 * `/window-screen`). Evaluators, keypads and window screens belong to a window; an LED strip may
 * (else it shows the hall's or a zone's calls).
 */
export const deviceKinds = ['kiosk', 'display', 'evaluator', 'caller', 'led', 'window_screen'] as const;
/** The kinds paired to one window (required), and those that may be (optional). */
export const WINDOW_DEVICE_KINDS: readonly (typeof deviceKinds)[number][] = ['evaluator', 'caller', 'window_screen'];
export const OPTIONAL_WINDOW_DEVICE_KINDS: readonly (typeof deviceKinds)[number][] = ['led'];
/** The keys of a 呼叫器: 呼叫, 重呼, 开始, 完成, 过号, 转移, 暂停 (again: 恢复), 评价, and 查询 (no action). */
export const callerKeys = ['call', 'recall', 'start', 'finish', 'no_show', 'transfer', 'pause', 'rate', 'status'] as const;

/** 工作人员公示 photos: JPEG, PNG or WebP, at most this size (the window screen shows ~300 px). */
export const STAFF_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const STAFF_PHOTO_MAX_BYTES = 512 * 1024;

/** Where a complaint came from when not from a rating: 意见簿, the 12345 hotline, a phone call, other (a letter, a website). */
export const complaintSources = ['comment_book', 'hotline_12345', 'phone_call', 'other'] as const;
/** 差评: 不满意 or 非常不满意 (levels 4 and 5), which open a follow-up case. */
export const isBadLevel = (level: EvaluationLevel): boolean => levelNumber(level) >= 4;

/**
 * The link that pairs a kiosk, display or evaluator: opened once on the device, the token in the
 * fragment (never sent to the server's logs) is kept and leaves the address bar.
 */
export function pairingUrl(base: string, kind: string, token: string): string {
  // An LED controller has no page: it polls the text with its token in the address (never logged).
  if (kind === 'led') return `${base}/api/v1/led/text?token=${token}`;
  return `${base}/${kind.replace('_', '-')}#token=${token}`;
}

/** A day in milliseconds (calendar arithmetic in UTC days; a hall's business day is protocol's businessDay). */
export const DAY_MS = 86_400_000;

/**
 * The shapes of the keys the system hands out, stated once (zod-free: pages import them): a
 * ticket token (128 random bits, base64url), a device token, a row id in a path.
 */
export const TICKET_TOKEN = /^[A-Za-z0-9_-]{22}$/;
export const DEVICE_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
export const ID_TEXT = /^[1-9][0-9]{0,15}$/;
