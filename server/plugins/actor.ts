import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';

/** Who is acting, for the transition log. */
export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  if (p?.kind === 'staff') return { staffId: p.staff.id, deviceId: null };
  if (p?.kind === 'device') return { staffId: null, deviceId: p.device.id };
  return { staffId: null, deviceId: null };
}
