import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Counter } from 'prom-client';
import type { TestSendRefusalReason } from './sms.metrics.js';

/** The paths of the test-send routes, as Express mounts them. */
export const TEST_SEND_PATHS = [
  '/sms/test',
  '/environments/:environment/sms/test',
];

/**
 * Counts test sends answered 401, whichever check refused them (before the body is read, or at the
 * route's guard): mounted first on the test-send paths, it looks at the answer once it is sent.
 */
export function countUnauthorizedTestSends(refusals: Counter) {
  const reason: TestSendRefusalReason = 'unauthorized';
  return (
    _request: IncomingMessage,
    response: ServerResponse,
    next: () => void,
  ): void => {
    response.once('finish', () => {
      if (response.statusCode === 401) refusals.inc({ reason });
    });
    next();
  };
}
