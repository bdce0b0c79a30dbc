import { randomUUID } from 'node:crypto';
import {
  SandboxFieldError,
  readOrFieldError,
} from '../server/sandbox-body.error.js';
import { isJsonObject, parseJsonBody } from '../server/sandbox-json.js';
import {
  SANDBOX_MAGIC_STATUS,
  magicFailureHeaders,
  magicFailureOf,
  type SandboxMagicFailure,
} from '../messages/sandbox-magic-number.js';
import { teliaDeliveryReport } from '../messages/sandbox-delivery-report.formats.js';
import { isHttpUrl } from './http-url.js';
import { readRecipient } from '../messages/sandbox-recipient.js';
import { jsonReply, textReply } from '../server/sandbox-reply.js';
import {
  headerOf,
  type SandboxReply,
  type SandboxRequest,
} from '../server/sandbox-request.interface.js';
import type {
  SandboxRoute,
  SandboxRouteContext,
} from './sandbox-route.interface.js';
import { sameSecret } from './sandbox-secret.js';

/** The sender address in the Telia endpoint URL that the sandbox gives out. */
export const SANDBOX_TELIA_SENDER_ADDRESS = '12345';

/** The Telia endpoint path for a sender address. */
export function teliaRequestsPath(senderAddress: string): string {
  return `/telia/messaging/v1/outbound/${encodeURIComponent(senderAddress)}/requests`;
}

const PATH = /^\/telia\/messaging\/v1\/outbound\/([^/]+)\/requests$/;
// Bounds the memory of clientCorrelators, like the inbox's capacity.
const REMEMBERED_CORRELATORS = 1000;

type TeliaException = {
  kind: 'serviceException' | 'policyException';
  messageId: string;
};

const FAILURE: Record<
  SandboxMagicFailure,
  TeliaException & { status: number; text: string }
> = {
  'server-error': {
    kind: 'serviceException',
    messageId: 'SVC0001',
    status: SANDBOX_MAGIC_STATUS['server-error'],
    text: 'A service error occurred: internal error.',
  },
  unavailable: {
    kind: 'serviceException',
    messageId: 'SVC0001',
    status: SANDBOX_MAGIC_STATUS.unavailable,
    text: 'A service error occurred: temporarily unavailable, retry later.',
  },
  // The gateway reports its rate limit as a policy exception with 403, not as 429.
  'rate-limited': {
    kind: 'policyException',
    messageId: 'POL3003',
    status: 403,
    text: 'Too many requests: retry later with the same clientCorrelator.',
  },
};

interface OutboundMessageRequest {
  addresses: string[];
  senderAddress: string;
  senderName: string | null;
  message: string;
  clientCorrelator: string | undefined;
  /** `receiptRequest`, when the request asks for delivery reports. */
  receipt?: { notifyUrl: string; callbackData: string | undefined };
}

/**
 * `POST /telia/messaging/v1/outbound/{senderAddress}/requests` as Telia SMS Gateway answers it:
 * mutual TLS with a client certificate from the sandbox CA (otherwise 403 with an empty body),
 * `Authorization: Bearer <apiKey>`, a JSON body rooted at `outboundMessageRequest`; 201 with
 * `{"resourceReference":{"resourceURL":".../requests/{id}"}}`. A repeated `clientCorrelator` is
 * answered with the first request's resource and not recorded again.
 */
export function createTeliaRoute(context: SandboxRouteContext): SandboxRoute {
  const correlators = new Map<string, string>();
  return {
    methods: ['POST'],
    takesEnvironment: true,
    matches: (pathname) => PATH.test(pathname),
    handle: (request) => send(request, context, correlators),
  };
}

function send(
  request: SandboxRequest,
  context: SandboxRouteContext,
  correlators: Map<string, string>,
): SandboxReply {
  if (!request.clientCertificateAuthorized) return { status: 403 };
  const apiKey = /^Bearer\s+(\S+)$/i.exec(
    headerOf(request, 'authorization') ?? '',
  )?.[1];
  if (!sameSecret(apiKey, context.credentials.teliaApiKey)) {
    return exception({
      status: 401,
      kind: 'policyException',
      messageId: 'POL0001',
      text: 'A policy error occurred: %1',
      variables: ['missing or invalid API key'],
    });
  }
  const parsed = parseJsonBody(request.body);
  // The gateway answers an unreadable body with plain text.
  if (!parsed)
    return textReply(400, 'Bad Request: the body is not valid JSON.');
  const pathSender = decodePathSegment(PATH.exec(request.url.pathname)![1]);
  const outbound = readOrFieldError(() =>
    readOutbound(parsed.value, pathSender),
  );
  if (outbound instanceof SandboxFieldError) return fieldException(outbound);
  const correlationKey =
    outbound.clientCorrelator &&
    `${outbound.senderAddress}\n${outbound.clientCorrelator}`;
  const earlier = correlationKey ? correlators.get(correlationKey) : undefined;
  if (earlier) return created(request, outbound.senderAddress, earlier);

  const magic = magicFailureOf(outbound.addresses, 'TeliaSmsGateway');
  if (magic) {
    return exception({
      ...FAILURE[magic],
      variables: [],
      headers: magicFailureHeaders(magic),
    });
  }
  const id = randomUUID();
  recordMessages(request, context, outbound, id);
  if (correlationKey) remember(correlators, correlationKey, id);
  return created(request, outbound.senderAddress, id);
}

/** The gateway's answer to a missing or wrong field. */
function fieldException(error: SandboxFieldError): SandboxReply {
  return error.field === 'address'
    ? exception({
        status: 400,
        kind: 'serviceException',
        messageId: 'SVC0004',
        text: 'No valid addresses provided in %1: %2',
        variables: [error.field, error.reason],
      })
    : exception({
        status: 400,
        kind: 'serviceException',
        messageId: 'SVC0002',
        text: 'Invalid input value for %1: %2',
        variables: [error.field, error.reason],
      });
}

/** Records one message per address; several addresses get `<id>-1`, `<id>-2`, ... */
function recordMessages(
  request: SandboxRequest,
  context: SandboxRouteContext,
  outbound: OutboundMessageRequest,
  id: string,
): void {
  outbound.addresses.forEach((to, index) => {
    const messageId =
      outbound.addresses.length === 1 ? id : `${id}-${index + 1}`;
    context.record(
      {
        id: messageId,
        provider: 'TeliaSmsGateway',
        to,
        from: outbound.senderName ?? outbound.senderAddress,
        text: outbound.message,
        deliveryReport:
          outbound.receipt &&
          teliaDeliveryReport({
            url: outbound.receipt.notifyUrl,
            e164: to,
            callbackData: outbound.receipt.callbackData,
          }),
      },
      request,
    );
  });
}

function readOutbound(
  body: unknown,
  pathSender: string,
): OutboundMessageRequest {
  const root = isJsonObject(body) ? body.outboundMessageRequest : undefined;
  if (!isJsonObject(root)) {
    throw new SandboxFieldError(
      'outboundMessageRequest',
      'must be the JSON object at the root.',
    );
  }
  // The checks run in this order, so the first bad field is the one named.
  const receipt = readReceiptRequest(root.receiptRequest);
  const addresses = readAddresses(root.address);
  const senderAddress = readSenderAddress(root.senderAddress, pathSender);
  const senderName = readOptionalNonEmptyString('senderName', root.senderName);
  const message = readMessageText(root.outboundSMSTextMessage);
  return {
    addresses,
    senderAddress,
    senderName: senderName ?? null,
    message,
    clientCorrelator: readOptionalNonEmptyString(
      'clientCorrelator',
      root.clientCorrelator,
    ),
    receipt,
  };
}

/** `address`: one `tel:+<E.164>` or a non-empty array of them; the E.164 numbers. */
function readAddresses(address: unknown): string[] {
  const addresses: unknown[] = Array.isArray(address) ? address : [address];
  if (addresses.length === 0)
    throw new SandboxFieldError('address', 'must not be empty.');
  return addresses.map((entry) => {
    const phone =
      typeof entry === 'string' &&
      entry.startsWith('tel:+') &&
      readRecipient(entry.slice(4));
    if (!phone) {
      throw new SandboxFieldError(
        'address',
        'each entry must be tel: and an E.164 number.',
      );
    }
    return phone.e164;
  });
}

function readSenderAddress(senderAddress: unknown, pathSender: string): string {
  if (typeof senderAddress !== 'string' || senderAddress === '') {
    throw new SandboxFieldError('senderAddress', 'must be a non-empty string.');
  }
  if (senderAddress !== pathSender) {
    throw new SandboxFieldError(
      'senderAddress',
      'must equal the sender address in the request URL.',
    );
  }
  return senderAddress;
}

/** `senderName` and `clientCorrelator`: absent, or a non-empty string. */
function readOptionalNonEmptyString(
  field: string,
  value: unknown,
): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new SandboxFieldError(
      field,
      'must be a non-empty string when present.',
    );
  }
  return value;
}

function readMessageText(outboundSMSTextMessage: unknown): string {
  const message = isJsonObject(outboundSMSTextMessage)
    ? outboundSMSTextMessage.message
    : undefined;
  if (typeof message !== 'string' || message === '') {
    throw new SandboxFieldError(
      'outboundSMSTextMessage.message',
      'must be a non-empty string.',
    );
  }
  return message;
}

/** `receiptRequest`: `notifyURL`, `notificationFormat` (JSON only) and `callbackData`. */
function readReceiptRequest(value: unknown): OutboundMessageRequest['receipt'] {
  if (value === undefined) return undefined;
  if (!isJsonObject(value) || !isHttpUrl(value.notifyURL)) {
    throw new SandboxFieldError(
      'receiptRequest.notifyURL',
      'must be an http or https URL.',
    );
  }
  if (
    value.notificationFormat !== undefined &&
    value.notificationFormat !== 'JSON'
  ) {
    throw new SandboxFieldError(
      'receiptRequest.notificationFormat',
      'must be "JSON".',
    );
  }
  const { callbackData } = value;
  if (callbackData !== undefined && typeof callbackData !== 'string') {
    throw new SandboxFieldError(
      'receiptRequest.callbackData',
      'must be a string when present.',
    );
  }
  return { notifyUrl: value.notifyURL, callbackData };
}

function created(
  request: SandboxRequest,
  senderAddress: string,
  id: string,
): SandboxReply {
  // The resource sits under the URL the request was sent to, environment prefix included.
  const base = request.origin + (request.environment?.prefix ?? '');
  const resourceURL = `${base}${teliaRequestsPath(senderAddress)}/${id}`;
  return jsonReply(
    201,
    { resourceReference: { resourceURL } },
    { location: resourceURL },
  );
}

/** A Telia `requestError` reply: the exception's kind, id, text with `%1`-style slots, and their values. */
interface TeliaExceptionReply extends TeliaException {
  status: number;
  text: string;
  variables: string[];
  headers?: Record<string, string>;
}

function exception({
  status,
  kind,
  messageId,
  text,
  variables,
  headers = {},
}: TeliaExceptionReply): SandboxReply {
  return jsonReply(
    status,
    { requestError: { [kind]: { messageId, text, variables } } },
    headers,
  );
}

function remember(
  correlators: Map<string, string>,
  key: string,
  id: string,
): void {
  correlators.set(key, id);
  // A Map iterates in insertion order, so the first key is the oldest.
  if (correlators.size > REMEMBERED_CORRELATORS) {
    correlators.delete(correlators.keys().next().value!);
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
