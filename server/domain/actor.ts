/**
 * Who made a change, for a ticket's history: a staff member, a device, the citizen holding the
 * token (neither), or the server itself (day-end expiry). Shared by every feature and plugins.
 */
export interface Actor {
  staffId: number | null;
  deviceId: number | null;
  /** The server itself, not a person (day-end expiry). */
  system?: boolean;
}

/** The citizen on their phone page: the token is their credential, not an account. */
export const citizen: Actor = { staffId: null, deviceId: null };
/** The server itself (day-end expiry). */
export const system: Actor = { staffId: null, deviceId: null, system: true };
