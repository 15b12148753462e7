/**
 * What a staff password must be (OWASP ASVS 5.0, 6.2): at least 12 characters, at most 128, not
 * one of the passwords attackers try first, and not the username. No composition rules: length
 * and a deny list do more, and people keep passphrases they can remember.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

// Passwords of 12+ characters seen most in public breach lists, and the patterns Chinese offices
// use (pinyin, dates, keyboard walks, the unit's name); all compared lower-case.
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456123456', '123123123123', '111111111111', '000000000000',
  '1234567890qw', '1234567890abc', '123456789abc', 'abc123456789', 'a12345678901', 'qwertyuiop12', 'qwertyuiop123',
  '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', 'qazwsxedcrfv', '1q2w3e4r5t6y', '1q2w3e4r5t6y7u', 'q1w2e3r4t5y6', 'zaq12wsxcde3',
  'password1234', 'password123456', 'passw0rd1234', 'p@ssw0rd1234', 'p@ssword1234', 'password@123', 'password!123',
  'administrator', 'admin1234567', 'admin123456789', 'admin@123456', 'adminadmin12', 'root12345678', 'changeme1234',
  'welcome12345', 'letmein12345', 'iloveyou1234', 'sunshine1234', 'football1234', 'baseball1234', 'superman1234',
  'woaini1314520', 'woaini520131', 'woaini123456', '5201314520131', '520131452013', 'a5201314a520', 'wodemima1234',
  'zhangwei1234', 'wangfang1234', 'zhongguo1234', 'zhongguo123456', 'beijing12345', 'shanghai1234', 'china1234567',
  'zhengwu12345', 'zhengwu123456', 'zwfw12345678', 'dating123456', 'hall12345678', 'queue1234567', 'paidui123456',
  'abcdefghijkl', 'abcd12345678', 'abcd1234abcd', 'aaaaaaaaaaaa', 'asdfghjkl123', 'asdfghjkl;\'', 'zxcvbnm12345',
  '147258369147', '147258369123', '159357159357', '741852963741', '987654321098', '098765432109', '112233445566',
  '123qweasdzxc', 'qweasdzxc123', 'asd123456789', 'qwe123456789', 'qwerty123456', 'qwertyuiopas', 'trustno11234',
]);

/** Why the password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN) return `at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'one of the most common passwords';
  if (/^(.)\1+$/.test(password)) return 'one character repeated';
  if (isSequence(lower)) return 'a run of consecutive characters';
  const user = username.toLowerCase();
  if (user.length >= 3 && lower.includes(user)) return 'contains the username';
  return null;
}

/** "123456789012", "abcdefghijklm", "987654321…": each character one more (or less) than the last. */
function isSequence(s: string): boolean {
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    // 9→0 continues a digit run ("…7890123").
    if (d !== step && !(step === 1 && s[i - 1] === '9' && s[i] === '0') && !(step === -1 && s[i - 1] === '0' && s[i] === '9')) return false;
  }
  return true;
}
