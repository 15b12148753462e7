import { SpeechQueue } from './speech-queue.js';

export { announcementText, spokenNumber } from './announcement.js';

/**
 * Speaks announcements one after another, never overlapping: a short chime, then the sentence
 * in zh-CN, repeated as the hall sets while nobody newer waits (`SpeechQueue`). Browsers allow
 * sound only after a user gesture, so the display calls `unlock()` from its first tap.
 */
export class Announcer {
  #queue = new SpeechQueue();
  #busy = false;
  #audio: AudioContext | null = null;

  get unlocked(): boolean {
    return this.#audio?.state === 'running';
  }

  /**
   * Whether the browser lets the page make sound without a tap (Chromium started with
   * --autoplay-policy=no-user-gesture-required, as the README's display set-up does).
   */
  async mayPlay(): Promise<boolean> {
    const audio = (this.#audio ??= new AudioContext());
    if (audio.state === 'running') return true;
    // resume() stays pending while autoplay is blocked: ask, and give it a moment.
    const resumed = audio.resume().then(() => true);
    const waited = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500));
    return (await Promise.race([resumed, waited])) && this.unlocked;
  }

  /** The installed Chinese (zh-CN) voice, if any; without one the display chimes and shows the call. */
  #chineseVoice(): SpeechSynthesisVoice | undefined {
    return speechSynthesis.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase().startsWith('zh-cn'));
  }

  /** The same, once the browser has listed its voices (they arrive a moment after the page loads). */
  async chineseVoiceSoon(): Promise<boolean> {
    if (speechSynthesis.getVoices().length === 0) {
      await new Promise<void>((resolve) => {
        speechSynthesis.addEventListener('voiceschanged', () => resolve(), { once: true });
        setTimeout(resolve, 1500);
      });
    }
    return this.#chineseVoice() !== undefined;
  }

  async unlock(): Promise<void> {
    this.#audio ??= new AudioContext();
    await this.#audio.resume();
    // Some browsers also need one utterance from inside the gesture.
    speechSynthesis.speak(new SpeechSynthesisUtterance(''));
  }

  /** A ticket's call: the chime, then the sentence up to `repeat` times (0: the chime alone). */
  announce(ticketId: number, text: string, repeat: number): void {
    this.#queue.add(ticketId, text, repeat);
    void this.#run();
  }

  /** The citizen has reached the window (or left): their call is not said (again). */
  withdraw(ticketId: number): void {
    this.#queue.withdraw(ticketId);
  }

  async #run(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let text = this.#queue.next(); text !== undefined; text = this.#queue.next()) {
        await this.#chime();
        if (text) await this.#speak(text);
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Two soft tones (叮咚), made here rather than loaded, so nothing depends on a file. */
  #chime(): Promise<void> {
    const ctx = this.#audio;
    if (!ctx || ctx.state !== 'running') return Promise.resolve();
    return new Promise((resolve) => {
      const t0 = ctx.currentTime;
      [880, 660].forEach((freq, i) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t0 + i * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.4, t0 + i * 0.35 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.35 + 0.33);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0 + i * 0.35);
        osc.stop(t0 + i * 0.35 + 0.34);
        if (i === 1) osc.onended = () => resolve();
      });
    });
  }

  #speak(text: string): Promise<void> {
    // Without a Chinese voice the sentence would come out garbled: the chime and the screen carry the call.
    const voice = this.#chineseVoice();
    if (!voice) return Promise.resolve();
    return new Promise((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = 'zh-CN';
      u.rate = 0.85;
      u.voice = voice;
      // Never let a stuck engine block the queue: a sentence takes well under 15 s.
      const guard = setTimeout(resolve, 15_000);
      u.onend = u.onerror = () => {
        clearTimeout(guard);
        resolve();
      };
      speechSynthesis.speak(u);
    });
  }
}
