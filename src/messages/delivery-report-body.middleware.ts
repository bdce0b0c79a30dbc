import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestBodyError } from '../http/request-body.error.js';

/** Where providers post delivery reports. */
export const DELIVERY_REPORTS_PATH_PREFIX = '/delivery-reports/';

/** The largest delivery report body read. */
export const MAX_DELIVERY_REPORT_BODY_BYTES = 16 * 1024;

type ReportRequest = IncomingMessage & { body?: unknown };

/** True for a request to the delivery report route, which carries no API key. */
export function isDeliveryReportRequest(request: IncomingMessage): boolean {
  return (request.url ?? '').startsWith(DELIVERY_REPORTS_PATH_PREFIX);
}

/**
 * Reads a delivery report's body, at most 16 KiB (413 beyond, stopping at the limit) and JSON
 * (400 otherwise), before the service's own body parser, whose limit is larger. Other requests
 * pass untouched.
 */
export function readDeliveryReportBody(
  request: ReportRequest,
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (!isDeliveryReportRequest(request) || request.method !== 'POST') {
    next();
    return;
  }
  const declared = Number(request.headers['content-length']);
  if (declared > MAX_DELIVERY_REPORT_BODY_BYTES) {
    next(tooLarge());
    return;
  }
  readLimited(request).then((text) => {
    try {
      request.body = JSON.parse(text);
      next();
    } catch {
      next(requestBodyError(400, 'The delivery report is not JSON.'));
    }
  }, next);
}

async function readLimited(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DELIVERY_REPORT_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(): Error {
  return requestBodyError(
    413,
    `The delivery report is larger than ${MAX_DELIVERY_REPORT_BODY_BYTES} bytes.`,
  );
}
