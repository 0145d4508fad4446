/**
 * A leaver's records passing to a teammate (ARCHITECTURE 9.1): each domain that owns such records
 * moves its own inside the members service's transaction and hands back one fact per record.
 */
export interface Handover {
  teamId: number;
  from: number;
  to: number;
}
