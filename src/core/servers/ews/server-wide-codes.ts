import type { MessageCode } from '../../../shared/message-codes.ts';

/**
 * Beyond the sign-in and network failures every connector has: the mailbox itself. Apart
 * from the connector so the registry knows them without loading the EWS client.
 */
export const EWS_SERVER_WIDE_CODES: readonly MessageCode[] = [
  'mailbox-not-found',
  'impersonation-denied',
];
