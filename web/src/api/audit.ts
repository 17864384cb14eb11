import { api } from './client';
import type { AuditEvent, AuditVerification, Page } from './types';

export interface AuditFilter {
  readonly entityType: string;
  readonly entityId: string;
}

export const auditApi = {
  events: (filter: AuditFilter, cursor: string | null, limit = 50) =>
    api.get<Page<AuditEvent>>('/audit-events', {
      limit,
      cursor,
      entityType: filter.entityType.trim(),
      entityId: filter.entityId.trim(),
    }),
  verify: () => api.post<AuditVerification>('/audit-events/verify', {}),
};
