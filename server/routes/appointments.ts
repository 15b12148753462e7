import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { API } from '../../protocol/api.js';
import { addressKey, callerKey } from '../domain/addresses.js';
import { seesFullContact } from '../access/policies.js';
import { hallsVisibleTo, publicHallView } from '../halls/service.js';
import { actorOf } from '../plugins/actor.js';
import { hallOf, ISSUERS, requireStaff } from '../plugins/auth.js';
import { issuedTicketView } from '../tickets/views.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { provePhone, sendPhoneCode } from '../appointments/verification.js';
import {
  appointmentView, book, bookableServices, bookingVerification, cancelAppointment, cancelByCode, checkIn, publicAppointment, publicByCode, slotsOf,
} from '../appointments/service.js';
import { listAppointments } from '../appointments/repository.js';

/**
 * 预约. Public: the booking page and a 一网通办 portal list halls, services and slots, prove the
 * phone number with a one-time SMS code (where the hall has a gateway), book, look up and cancel
 * by code (rate-limited per address; per proven phone and per address in the service). Staff: enter a
 * booking taken by phone, list and cancel. Kiosk: check in with the code.
 */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const smsGateway = deps.config.smsWebhook !== null;
  const tags = ['appointments'];
  // Keyed by the app-wide key generator: the client's address, IPv6 per /64.
  const perAddress = { rateLimit: { max: deps.config.bookingRequestsPerMinute, timeWindow: 60_000 } };
  // Check-in codes: each kiosk and each staff member has its own budget, so one person guessing
  // at a kiosk does not stop check-in at the helper desk on the same LAN.
  const perCaller = {
    rateLimit: {
      max: deps.config.bookingRequestsPerMinute, timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => callerKey(req),
    },
  };

  app.get('/public/halls', {
    schema: { tags, summary: 'Halls that take bookings, for the booking page', ...API['GET /public/halls'] },
  }, async () => (await hallsVisibleTo(deps.db, null)).map(publicHallView));

  app.get('/public/halls/:hallId/booking', {
    schema: { tags, summary: 'The hall and its bookable services', ...API['GET /public/halls/:hallId/booking'] },
    onRequest: app.openHall,
  }, async (request) => {
    const hall = hallOf(request);
    return {
      hall: { id: hall.id, name: hall.name, timezone: hall.timezone }, services: await bookableServices(deps.db, hall.id),
      verification: bookingVerification(smsGateway, hall),
    };
  });

  app.post('/public/halls/:hallId/phone-codes', {
    schema: { tags, summary: 'Send a one-time code to the phone number of an online booking (halls with an SMS gateway); limited per number and per address', ...API['POST /public/halls/:hallId/phone-codes'] },
    onRequest: app.openHall,
    config: perAddress,
  }, async (request, reply) => {
    const hall = hallOf(request);
    if (bookingVerification(smsGateway, hall) !== 'sms') {
      throw new ConflictError('SMS_NOT_AVAILABLE', 'This hall sends no codes: book without one (held until check-in), or by phone with the hall.');
    }
    const sent = await sendPhoneCode(deps, hall, request.body.phone, addressKey(request.ip));
    // Delivered now rather than at the next round of the outbox.
    app.notifier.deliverDue().catch((err: unknown) => request.log.warn({ err }, 'could not hand the code to the SMS gateway yet'));
    return reply.code(202).send(sent);
  });

  app.get('/public/halls/:hallId/services/:serviceId/slots', {
    schema: { tags, summary: 'Slots of a service from today to its last bookable day, with places left', ...API['GET /public/halls/:hallId/services/:serviceId/slots'] },
    onRequest: app.openHall,
  }, async (request) => slotsOf(deps.db, hallOf(request), request.params.serviceId, deps.clock.now()));

  app.post('/public/halls/:hallId/appointments', {
    schema: { tags, summary: '网上预约: book a slot; answers the check-in code (only here)', ...API['POST /public/halls/:hallId/appointments'] },
    onRequest: app.openHall,
    config: perAddress,
  }, async (request, reply) => {
    const hall = hallOf(request);
    const { code: phoneCode, ...body } = request.body;
    const verification = bookingVerification(smsGateway, hall);
    if (verification === 'staff_only') {
      throw new ConflictError('ONLINE_BOOKING_OFF', 'This hall takes bookings by phone only: call the hall.');
    }
    if (verification === 'sms') {
      if (phoneCode === undefined) throw new BadRequestError('PHONE_CODE_REQUIRED', 'Ask for a code (POST …/phone-codes) and send it with the booking.', { field: 'body.code' });
      await provePhone(deps, hall.id, body.phone, phoneCode);
    }
    const proof = { verified: verification === 'sms', clientKey: addressKey(request.ip) };
    const { code, row } = await book(deps, hall.id, body, 'online', { staffId: null, deviceId: null }, proof);
    return reply.code(201).send({ code, appointment: await publicAppointment(deps.db, row) });
  });

  app.get('/public/appointments/:code', {
    schema: { tags, summary: 'A booking by its check-in code (name and phone masked)', ...API['GET /public/appointments/:code'] },
    config: perAddress,
  }, async (request) => publicByCode(deps.db, request.params.code));

  app.post('/public/appointments/:code/cancel', {
    schema: { tags, summary: 'The citizen cancels a booking with its code', ...API['POST /public/appointments/:code/cancel'] },
    config: perAddress,
  }, async (request) => publicAppointment(deps.db, await cancelByCode(deps, request.params.code)));

  app.post('/halls/:hallId/appointments', {
    schema: { tags, summary: '电话/现场预约: staff enter a booking for a citizen', ...API['POST /halls/:hallId/appointments'] },
    onRequest: app.authorize({ roles: ISSUERS }),
  }, async (request, reply) => {
    const { source, ...body } = request.body;
    // Staff spoke to the citizen (by phone or at the desk): the number is theirs as given.
    const { code, row } = await book(deps, request.params.hallId, body, source, actorOf(request), { verified: true, clientKey: null });
    return reply.code(201).send({ code, appointment: appointmentView(row, { fullContact: seesFullContact(requireStaff(request).staff.role) }) });
  });

  app.get('/halls/:hallId/appointments', {
    schema: { tags, summary: 'Bookings of a day', ...API['GET /halls/:hallId/appointments'] },
    onRequest: app.authorize({ roles: ISSUERS }),
  }, async (request) => {
    const viewer = { fullContact: seesFullContact(requireStaff(request).staff.role) };
    return (await listAppointments(deps.db, request.params.hallId, request.query)).map((row) => appointmentView(row, viewer));
  });

  app.post('/halls/:hallId/appointments/:appointmentId/cancel', {
    schema: { tags, summary: 'Staff cancel a booking (the citizen called)', ...API['POST /halls/:hallId/appointments/:appointmentId/cancel'] },
    onRequest: app.authorize({ roles: ISSUERS }),
  }, async (request) => appointmentView(
    await cancelAppointment(deps, request.params.hallId, request.params.appointmentId),
    { fullContact: seesFullContact(requireStaff(request).staff.role) },
  ));

  app.post('/halls/:hallId/appointments/check-in', {
    schema: { tags, summary: '预约签到: the booking of today becomes a ticket called ahead inside its window', ...API['POST /halls/:hallId/appointments/check-in'] },
    onRequest: app.authorize({ roles: ISSUERS, devices: ['kiosk'] }),
    config: perCaller,
  }, async (request, reply) => {
    const { ticket, estimate, appointment } = await checkIn(deps, request.params.hallId, request.body.code, actorOf(request));
    return reply.code(201).send({ ...issuedTicketView(ticket, estimate), appointment: await publicAppointment(deps.db, appointment) });
  });
};

export default routes;
