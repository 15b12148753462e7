import { describe, expect, it } from 'vitest';
import type { HallEvent } from '../../protocol/events.js';
import { EventBus } from '../../server/db/bus.js';
import { PublishOrder } from '../../server/db/write.js';

const event = (hallId: number, seq: number) => ({ hallId, seq, type: 'ticket:issued', windowId: null, ticketRef: null, payload: {}, at: 0 }) as unknown as HallEvent;

describe('PostgreSQL publish order', () => {
  it('publishes a hall\'s changes in the order they took their seqs, whichever commit answers first', () => {
    const bus = new EventBus();
    const seen: number[] = [];
    bus.subscribe((e) => seen.push(e.seq));
    const order = new PublishOrder(bus);
    const first = order.enter(1);
    const second = order.enter(1);
    const third = order.enter(1);
    const otherHall = order.enter(2);

    second([event(1, 2), event(1, 3)]); // its commit answered first
    otherHall([event(2, 1)]); // another hall does not wait
    expect(seen).toEqual([1]);
    first([event(1, 1)]);
    expect(seen).toEqual([1, 1, 2, 3]);
    third(null); // rolled back: publishes nothing and holds nobody up
    const fourth = order.enter(1);
    fourth([event(1, 4)]);
    expect(seen).toEqual([1, 1, 2, 3, 4]);
  });
});
