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
  const token = /^Token\s+(\S+)$/i.exec(
    headerOf(request, 'authorization') ?? '',
  )?.[1];
  if (!sameSecret(token, context.credentials.gatewayApiToken)) {
    return failure(
      401,
      GATEWAY_API_ERROR_CODES.unauthorized,
      'Missing or invalid API token.',
    );
  }
  const parsed = parseJsonBody(request.body);
  if (!parsed) {
    return failure(
      422,
      GATEWAY_API_ERROR_CODES.invalidBody,
      'The body is not valid JSON.',
    );
  }
  const sms = readOrFieldError(() => readMtSms(parsed.value));
  if (sms instanceof SandboxFieldError) {
    return failure(
      422,
      GATEWAY_API_ERROR_CODES.invalidBody,
      `Invalid ${sms.message}`,
      [sms.field],
    );
  }
  const digits = sms.recipients.map((recipient) => recipient.digits);
  const magic = magicFailureOf(digits, 'GatewayApi');
  if (magic) {
    return failure(
      SANDBOX_MAGIC_STATUS[magic],
      GATEWAY_API_ERROR_CODES[magic],
      FAILURE_MESSAGE[magic],
      undefined,
      magicFailureHeaders(magic),
    );
  }
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
  return jsonReply(200, {
    ids,
    usage: { countries, currency: 'EUR', total_cost: 0 },
  });
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
  if (typeof message !== 'string' || message === '') {
    throw new SandboxFieldError('message', 'must be a non-empty string.');
  }
  if (!Array.isArray(recipients) || recipients.length === 0) {
    throw new SandboxFieldError('recipients', 'must be a non-empty array.');
  }
  const phones = recipients.map((recipient: unknown, index) => {
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
  if (
    label !== undefined &&
    (typeof label !== 'string' || label.length > 255)
  ) {
    throw new SandboxFieldError(
      'label',
      'must be a string of at most 255 characters.',
    );
  }
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
  if (callback_url !== undefined && !isHttpUrl(callback_url)) {
    throw new SandboxFieldError(
      'callback_url',
      'must be an http or https URL when present.',
    );
  }
  if (
    userref !== undefined &&
    (typeof userref !== 'string' || userref.length > 255)
  ) {
    throw new SandboxFieldError(
      'userref',
      'must be a string of at most 255 characters.',
    );
  }
  return {
    sender,
    message,
    recipients: phones,
    callbackUrl: callback_url,
    userref,
  };
}

function failure(
  status: number,
  code: string,
  message: string,
  variables?: string[],
  headers: Record<string, string> = {},
): SandboxReply {
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
