import { useEffect, useState } from 'preact/hooks';
import { api } from '../ui-shared/api.js';
import type { Announcer } from '../ui-shared/speech.js';

/**
 * Whether the display may speak. A display started with autoplay allowed (README: kiosk mode)
 * speaks without a tap; otherwise the first tap or key unlocks it. What it can do is reported,
 * so the manager's device page can say when a display has no sound or no Chinese voice.
 */
export function useSound(announcer: Announcer): boolean {
  const [unlocked, setUnlocked] = useState(false);
  const report = (allowed: boolean) => announcer.chineseVoiceSoon()
    .then((chineseVoice) => api('POST /devices/me/sound', { allowed, chineseVoice }))
    .catch((err: unknown) => console.warn('could not report the display\'s sound', err));
  useEffect(() => void announcer.mayPlay().then((ok) => {
    if (ok) setUnlocked(true);
    return report(ok);
  }), []);
  useEffect(() => {
    if (unlocked) return;
    const unlock = () => {
      void announcer.unlock().then(() => {
        setUnlocked(true);
        return report(true);
      });
    };
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [unlocked]);
  return unlocked;
}
