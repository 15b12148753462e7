import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/** The pages' client, run against a recorded fetch: what it sends, and what it makes of answers. */
describe('the typed API client', () => {
  let client: typeof import('../../ui-shared/api.js');
  let errorText: typeof import('../../ui-shared/errors.js').errorText;
  const sent: { url: string; init: RequestInit }[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };

  beforeAll(async () => {
    // As the test suite's browsers do, before any page script: check every answer.
    (globalThis as { hallCheckResponses?: boolean }).hallCheckResponses = true;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    });
    client = await import('../../ui-shared/api.js');
    ({ errorText } = await import('../../ui-shared/errors.js'));
  });
  afterEach(() => void sent.splice(0));

  const ticket = {
    id: 5, hallId: 1, serviceId: 2, businessDay: '2026-11-25', number: 1, displayNumber: 'A001', channel: 'kiosk', priorityClass: 'normal',
    status: 'called', windowId: 3, targetWindowId: null, parentTicketId: null, recallCount: 1, requeueCount: 0, issuedAt: 1, queuedAt: 1,
    calledAt: 2, startedAt: null, finishedAt: null, appointmentStart: null, appointmentEnd: null, outcome: null, followsTicketId: null, arrivedAt: 1, passedAt: null,
  };

  it('puts path parameters in the path, the rest in the query, the body as JSON, the CSRF token on writes', async () => {
    client.useCsrfToken('csrf-1');
    answer = { status: 200, body: [] };
    await client.api('GET /halls/:hallId/cases', { hallId: 1, limit: 200, overdue: 'true' });
    expect(sent[0]!.url).toBe('/api/v1/halls/1/cases?limit=200&overdue=true');
    expect(sent[0]!.init.method).toBe('GET');
    expect((sent[0]!.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();

    answer = { status: 200, body: { ticket } };
    const answered = await client.api('POST /halls/:hallId/windows/:windowId/recall', { hallId: 1, windowId: 3 }, { ticketId: 5 });
    expect(answered.ticket.displayNumber).toBe('A001');
    expect(sent[1]!.url).toBe('/api/v1/halls/1/windows/3/recall');
    expect(sent[1]!.init.body).toBe('{"ticketId":5}');
    expect((sent[1]!.init.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-1');
  });

  it('refuses an answer outside the contract, naming the field, instead of handing it to the page', async () => {
    answer = { status: 200, body: { ticket: { ...ticket, status: 'teleported' } } };
    const err = await client.api('POST /halls/:hallId/windows/:windowId/recall', { hallId: 1, windowId: 3 }, { ticketId: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(client.ApiError);
    expect((err as InstanceType<typeof client.ApiError>).code).toBe('BAD_RESPONSE');
    expect((err as InstanceType<typeof client.ApiError>).details).toEqual([expect.objectContaining({ field: 'response.ticket.status' })]);
  });

  it('turns a refusal into plain words that name the field that failed', async () => {
    answer = { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'Invalid body.newPassword.', details: [{ field: 'body.newPassword', message: 'too short' }] }, requestId: 'r' } };
    const err = await client.api('POST /auth/password', { currentPassword: 'a', newPassword: 'b' }).catch((e: unknown) => e);
    expect(errorText(err)).toBe('填写内容有误，请检查后再提交。 （有误的项：新密码）');
  });
});
