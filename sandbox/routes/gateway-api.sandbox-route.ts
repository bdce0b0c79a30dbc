import { randomUUID } from 'node:crypto';
import { measureSmsText } from '@app/sms/message/message-encoding.js';
import type { SmsPhoneNumber } from '@app/sms';
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
import { readRecipient } from '../messages/sandbox-recipient.js';
import { gatewayApiDeliveryReport } from '../messages/sandbox-delivery-report.formats.js';
import { isHttpUrl } from './http-url.js';
import { jsonReply } from '../server/sandbox-reply.js';
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

/** The path of the Gateway API endpoint. */
export const GATEWAY_API_PATH = '/gatewayapi/rest/mtsms';

/** The sandbox's error codes, in the provider's `0x....` form. */
export const GATEWAY_API_ERROR_CODES = {
  unauthorized: '0x0213',
  invalidBody: '0x0216',
  'server-error': '0x0500',
  unavailable: '0x0503',
  'rate-limited': '0x0429',
} as const;

const FAILURE_MESSAGE: Record<SandboxMagicFailure, string> = {
  'server-error': 'Internal server error.',
  unavailable: 'Service temporarily unavailable, retry later.',
  'rate-limited': 'Too many requests, retry later.',
};

interface MtSms {
  sender: string;
  message: string;
  recipients: SmsPhoneNumber[];
  /** Where to post delivery reports, when asked for. */
  callbackUrl?: string;
  userref?: string;
}

/**
 * `POST /gatewayapi/rest/mtsms` as Gateway API answers it: `Authorization: Token <token>`, a JSON
 * body with `sender`, `message`, `recipients[].msisdn` (JSON numbers), optional `label` and
 * `encoding: "UCS2"`; `{"ids":[...],"usage":{...}}` on success.
 */
export function createGatewayApiRoute(
  context: SandboxRouteContext,
): SandboxRoute {
  return {
    methods: ['POST'],
    takesEnvironment: true,
    matches: (pathname) => pathname === GATEWAY_API_PATH,
    handle: (request) => send(request, context),
  };
}

function send(
  request: SandboxRequest,
  context: SandboxRouteContext,
): SandboxReply {
  if (!isAuthorized(request, context)) {
    return failure({
      status: 401,
      code: GATEWAY_API_ERROR_CODES.unauthorized,
      message: 'Missing or invalid API token.',
    });
  }
  const sms = readBody(request);
  if ('status' in sms) return sms;
  const magic = magicFailureOf(
    sms.recipients.map((recipient) => recipient.digits),
    'GatewayApi',
  );
  if (magic) return magicFailure(magic);
  return jsonReply(200, recordMessages(request, context, sms));
}

function isAuthorized(
  request: SandboxRequest,
  context: SandboxRouteContext,
): boolean {
  const token = /^Token\s+(\S+)$/i.exec(
    headerOf(request, 'authorization') ?? '',
  )?.[1];
  return sameSecret(token, context.credentials.gatewayApiToken);
}

/** The message the body asks for, or the 422 reply naming what is wrong with it. */
function readBody(request: SandboxRequest): MtSms | SandboxReply {
  const parsed = parseJsonBody(request.body);
  if (!parsed) {
    return failure({
      status: 422,
      code: GATEWAY_API_ERROR_CODES.invalidBody,
      message: 'The body is not valid JSON.',
    });
  }
  const sms = readOrFieldError(() => readMtSms(parsed.value));
  if (sms instanceof SandboxFieldError) {
    return failure({
      status: 422,
      code: GATEWAY_API_ERROR_CODES.invalidBody,
      message: `Invalid ${sms.message}`,
      variables: [sms.field],
    });
  }
  return sms;
}

function magicFailure(magic: SandboxMagicFailure): SandboxReply {
  return failure({
    status: SANDBOX_MAGIC_STATUS[magic],
    code: GATEWAY_API_ERROR_CODES[magic],
    message: FAILURE_MESSAGE[magic],
    headers: magicFailureHeaders(magic),
  });
}

/** Records one message per recipient; the success body with their ids and the usage by country. */
function recordMessages(
  request: SandboxRequest,
  context: SandboxRouteContext,
  sms: MtSms,
): { ids: number[]; usage: Record<string, unknown> } {
  const countries: Record<string, number> = {};
  const ids = sms.recipients.map((recipient) => {
    const id = context.nextNumericId();
    context.record(
      {
        id,
        provider: 'GatewayApi',
        to: recipient.e164,
        from: sms.sender,
        text: sms.message,
        deliveryReport:
          sms.callbackUrl === undefined
            ? undefined
            : gatewayApiDeliveryReport({
                url: sms.callbackUrl,
                id,
                e164: recipient.e164,
                userref: sms.userref,
              }),
      },
      request,
    );
    const country = recipient.country ?? 'ZZ';
    countries[country] = (countries[country] ?? 0) + 1;
    return Number(id);
  });
  return { ids, usage: { countries, currency: 'EUR', total_cost: 0 } };
}

function readMtSms(body: unknown): MtSms {
  if (!isJsonObject(body))
    throw new SandboxFieldError('body', 'must be a JSON object.');
  const {
    sender,
    message,
    recipients,
    label,
    encoding,
    callback_url,
    userref,
  } = body;
  // The checks run in the order of the fields, so the first bad one is the one named.
  const checkedSender = readSender(sender);
  const checkedMessage = readMessage(message);
  const phones = readRecipients(recipients);
  readOptionalShortString('label', label);
  readEncoding(encoding, checkedMessage);
  const callbackUrl = readCallbackUrl(callback_url);
  return {
    sender: checkedSender,
    message: checkedMessage,
    recipients: phones,
    callbackUrl,
    userref: readOptionalShortString('userref', userref),
  };
}

function readSender(sender: unknown): string {
  if (
    typeof sender !== 'string' ||
    sender.trim() === '' ||
    (sender.length > 11 && !/^\d{1,15}$/.test(sender))
  ) {
    throw new SandboxFieldError(
      'sender',
      'must be 1 to 11 characters, or up to 15 digits.',
    );
  }
  return sender;
}

function readMessage(message: unknown): string {
  if (typeof message !== 'string' || message === '') {
    throw new SandboxFieldError('message', 'must be a non-empty string.');
  }
  return message;
}

function readRecipients(recipients: unknown): SmsPhoneNumber[] {
  if (!Array.isArray(recipients) || recipients.length === 0) {
    throw new SandboxFieldError('recipients', 'must be a non-empty array.');
  }
  return recipients.map((recipient: unknown, index) => {
    const msisdn = isJsonObject(recipient) ? recipient.msisdn : undefined;
    const phone = Number.isSafeInteger(msisdn)
      ? readRecipient(String(msisdn))
      : undefined;
    if (!phone) {
      throw new SandboxFieldError(
        `recipients[${index}].msisdn`,
        'must be a JSON number: the E.164 digits of a phone number, without +.',
      );
    }
    return phone;
  });
}

/** `label` and `userref`: absent, or a string of at most 255 characters. */
function readOptionalShortString(
  field: string,
  value: unknown,
): string | undefined {
  if (
    value !== undefined &&
    (typeof value !== 'string' || value.length > 255)
  ) {
    throw new SandboxFieldError(
      field,
      'must be a string of at most 255 characters.',
    );
  }
  return value;
}

function readEncoding(encoding: unknown, message: string): void {
  if (encoding !== undefined && encoding !== 'UCS2') {
    throw new SandboxFieldError('encoding', 'must be "UCS2" when present.');
  }
  if (encoding === undefined && measureSmsText(message).encoding === 'UCS-2') {
    // The real gateway would send GSM-7 and mangle these characters; the sandbox says so instead.
    throw new SandboxFieldError(
      'encoding',
      'must be "UCS2": the message has characters outside GSM-7.',
    );
  }
}

function readCallbackUrl(callbackUrl: unknown): string | undefined {
  if (callbackUrl !== undefined && !isHttpUrl(callbackUrl)) {
    throw new SandboxFieldError(
      'callback_url',
      'must be an http or https URL when present.',
    );
  }
  return callbackUrl;
}

/** A Gateway API error body: `code`, `message`, a fresh `incident_uuid` and, when given, `variables`. */
interface GatewayApiFailure {
  status: number;
  code: string;
  message: string;
  /** The names of the bad fields. */
  variables?: string[];
  headers?: Record<string, string>;
}

function failure({
  status,
  code,
  message,
  variables,
  headers = {},
}: GatewayApiFailure): SandboxReply {
  return jsonReply(
    status,
    {
      code,
      message,
      incident_uuid: randomUUID(),
      ...(variables && { variables }),
    },
    headers,
  );
}
