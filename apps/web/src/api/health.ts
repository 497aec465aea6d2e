import { readinessSchema, type Readiness } from '@kpl/shared';
import { apiRequest } from './client';

/** Readiness of the backing components. A 503 carries the same body: it is a result to show, not a failure. */
export function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  return apiRequest('/health/ready', { schema: readinessSchema, auth: false, acceptStatuses: [503], signal });
}
