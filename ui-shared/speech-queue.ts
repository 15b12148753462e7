/** One call waiting to be spoken: its sentence and how many times it may still be said. */
interface Pending {
  ticketId: number;
  text: string;
  left: number;
  spoken: boolean;
}

/**
 * What the hall hears next, kept current in a busy hall. Each call is said once before any is
 * said again; a call's repeats are dropped as soon as a newer call waits behind it; a 重呼
 * replaces what was still waiting for that ticket; a citizen who has reached the window (or left)
 * is not called any more. Twelve windows calling at once are twelve sentences, not twenty-four.
 */
export class SpeechQueue {
  #items: Pending[] = [];

  /** A call to announce `repeat` times (0: the chime alone, given as an empty sentence). */
  add(ticketId: number, text: string, repeat: number): void {
    this.withdraw(ticketId);
    this.#items.push({ ticketId, text: repeat === 0 ? '' : text, left: Math.max(1, repeat), spoken: false });
  }

  /** The ticket's citizen is at the window or gone: nothing more is said about them. */
  withdraw(ticketId: number): void {
    this.#items = this.#items.filter((p) => p.ticketId !== ticketId);
  }

  get size(): number {
    return this.#items.length;
  }

  /** The next sentence to say ('' for a chime alone), or undefined when nothing waits. */
  next(): string | undefined {
    // A call already said once gives way to anyone waiting behind it.
    while (this.#items.length > 1 && this.#items[0]!.spoken) this.#items.shift();
    const head = this.#items[0];
    if (!head) return undefined;
    head.spoken = true;
    head.left--;
    if (head.left === 0) this.#items.shift();
    return head.text;
  }
}
