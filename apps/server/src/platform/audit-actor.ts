/** Who acted, as audit entries record it. Structural, so the platform needs no module's Actor type. */
export interface AuditActor {
  id: string;
  displayName: string;
  ip: string | null;
  requestId: string | null;
}

/** The actor fields of an audit entry (all null for the system itself). */
export const actorFields = (a: AuditActor | null) => ({
  actorId: a?.id ?? null,
  actorName: a?.displayName ?? null,
  ip: a?.ip ?? null,
  requestId: a?.requestId ?? null,
});
