import { describe, expect, it } from 'vitest';
import { CallBoard } from '../../protocol/call-board.js';
import type { TicketEvent } from '../../protocol/events.js';
import type { TicketView } from '../../protocol/tickets.js';
import { announcementText, spokenNumber } from '../../ui-shared/announcement.js';
import { SpeechQueue } from '../../ui-shared/speech-queue.js';

describe('announcements', () => {
  it('read the letter as a letter and each digit on its own', () => {
    expect(spokenNumber('A001')).toBe('A零零一');
    expect(spokenNumber('G100')).toBe('G一零零');
    expect(spokenNumber('B1024')).toBe('B一零二四');
  });

  it('fill the hall template', () => {
    expect(announcementText('请{number}号到{window}号窗口办理', 'A001', '3')).toBe('请A零零一号到3号窗口办理');
    expect(announcementText('{number}，{number}，请到{window}号窗口', 'C020', '12')).toBe('C零二零，C零二零，请到12号窗口');
  });
});

describe('CallBoard', () => {
  let seq = 0;
  const ticket = (id: number, displayNumber: string, businessDay = '2026-11-25'): TicketView => ({
    id, hallId: 1, serviceId: 1, businessDay, number: Number(displayNumber.slice(1)), displayNumber, channel: 'kiosk',
    priorityClass: 'normal', status: 'called', windowId: null, targetWindowId: null, parentTicketId: null, recallCount: 0, requeueCount: 0,
    issuedAt: 0, queuedAt: 0, calledAt: null, startedAt: null, finishedAt: null, appointmentStart: null, appointmentEnd: null, outcome: null, followsTicketId: null,
    arrivedAt: 0, passedAt: null,
  });
  const event = (type: TicketEvent['type'], ticketId: number, number: string, window: { id: number; number: string } | null, day?: string): TicketEvent => ({
    hallId: 1, seq: ++seq, type, windowId: window?.id ?? null, ticketRef: null, at: seq * 1000,
    payload: { action: 'call', ticket: ticket(ticketId, number, day), window },
  });

  it('keeps one current call per window and the recent calls, newest first', () => {
    const board = new CallBoard();
    const w1 = { id: 1, number: '1' };
    const w2 = { id: 2, number: '2' };
    expect(board.apply(event('ticket:called', 10, 'A001', w1))?.displayNumber).toBe('A001');
    board.apply(event('ticket:called', 11, 'A002', w2));
    expect(board.apply(event('ticket:recalled', 10, 'A001', w1))?.displayNumber).toBe('A001');
    expect(board.recent.map((c) => c.displayNumber)).toEqual(['A001', 'A002']);
    expect(board.apply(event('ticket:started', 10, 'A001', w1))).toBeNull();
    expect(board.current.get(1)?.displayNumber).toBe('A001');
    board.apply(event('ticket:finished', 10, 'A001', w1));
    expect([...board.current.keys()]).toEqual([2]);
    board.apply(event('ticket:no_show', 11, 'A002', w2));
    expect(board.current.size).toBe(0);
    expect(board.recent).toHaveLength(2);
  });

  it("lists one business day's calls: yesterday's leave with today's first call, or when the display's clock says the day changed", () => {
    const board = new CallBoard();
    const w1 = { id: 1, number: '1' };
    board.apply(event('ticket:called', 10, 'A001', w1, '2026-11-25'));
    board.apply(event('ticket:called', 11, 'A002', w1, '2026-11-25'));
    board.apply(event('ticket:called', 20, 'A001', w1, '2026-11-26'));
    expect(board.recent.map((c) => `${c.businessDay} ${c.displayNumber}`)).toEqual(['2026-11-26 A001']);
    board.apply(event('ticket:called', 21, 'A002', w1, '2026-11-26'));
    // Overnight with no calls: the display's clock starts the day, and the list is empty.
    board.startDay('2026-11-27');
    expect(board.recent).toEqual([]);
    board.startDay('2026-11-26'); // an earlier day never brings anything back
    expect(board.day).toBe('2026-11-27');
  });
});

describe('SpeechQueue', () => {
  const sayAll = (q: SpeechQueue) => {
    const said: (string | undefined)[] = [];
    for (let s = q.next(); s !== undefined; s = q.next()) said.push(s);
    return said;
  };

  it('repeats a call as the hall sets while nobody else waits', () => {
    const q = new SpeechQueue();
    q.add(1, 'A001', 2);
    expect(sayAll(q)).toEqual(['A001', 'A001']);
    q.add(2, 'A002', 0);
    expect(sayAll(q)).toEqual(['']); // repeat 0: the chime alone
  });

  it('says each waiting call once before any again, drops repeats others wait behind, keeps the last one\'s', () => {
    const q = new SpeechQueue();
    q.add(1, 'A001', 2);
    expect(q.next()).toBe('A001'); // being said while three more come in
    q.add(2, 'A002', 2);
    q.add(3, 'A003', 2);
    q.add(4, 'A004', 2);
    expect(sayAll(q)).toEqual(['A002', 'A003', 'A004', 'A004']);
  });

  it('never calls a citizen who reached the window, and a 重呼 replaces what still waited for that ticket', () => {
    const q = new SpeechQueue();
    q.add(1, 'A001', 2);
    q.add(2, 'A002', 2);
    q.add(3, 'A003', 2);
    q.withdraw(2);
    q.add(1, 'A001 again', 1);
    expect(q.size).toBe(2);
    expect(sayAll(q)).toEqual(['A003', 'A001 again']);
  });
});
