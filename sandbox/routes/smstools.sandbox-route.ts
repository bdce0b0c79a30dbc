import {
  SandboxFieldError,
  readOrFieldError,
} from '../server/sandbox-body.error.js';
import { randomAlphanumericId } from './alphanumeric-id.js';
import { isJsonObject, parseJsonBody } from '../server/sandbox-json.js';
import {
  SANDBOX_MAGIC_STATUS,
  magicFailureHeaders,
  magicFailureOf,
  type SandboxMagicFailure,
} from '../messages/sandbox-magic-number.js';
import { readRecipient } from '../messages/sandbox-recipient.js';
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

/** The path of the Smstools endpoint. */
export const SMSTOOLS_PATH = '/smstools/v1/message/send';

/** The sandbox's error codes, in the provider's `{"error":"<code>"}` form. */
export const SMSTOOLS_ERROR_CODES = {
  invalidParameter: '101',
  invalidCredentials: '104',
  'server-error': '500',
  unavailable: '503',
  'rate-limited': '429',
} as const;

const FAILURE_MESSAGE: Record<SandboxMagicFailure, string> = {
  'server-error': 'Internal server error',
  unavailable: 'Service temporarily unavailable',
  'rate-limited': 'Too many requests',
};

interface SmstoolsMessage {
  message: string;
  to: string[];
  sender: string;
}

/**
 * `POST /smstools/v1/message/send` as Smstools answers it: `X-Client-Id` and `X-Client-Secret`
 * headers, a JSON body `{message, to, sender}` (`to` digits, or an array of them);
 * `{"messageid":"..."}` on success (`{"messageids":[...]}` for several numbers).
 */
export function createSmstoolsRoute(
  context: SandboxRouteContext,
): SandboxRoute {
  return {
    methods: ['POST'],
    takesEnvironment: true,
    matches: (pathname) => pathname === SMSTOOLS_PATH,
    handle: (request) => send(request, context),
  };
}

function send(
  request: SandboxRequest,
  context: SandboxRouteContext,
): SandboxReply {
  const { smstoolsClientId, smstoolsClientSecret } = context.credentials;
  if (
    !sameSecret(headerOf(request, 'x-client-id'), smstoolsClientId) ||
    !sameSecret(headerOf(request, 'x-client-secret'), smstoolsClientSecret)
  ) {
    return jsonReply(401, {
      error: SMSTOOLS_ERROR_CODES.invalidCredentials,
      errorMsg: 'Invalid credentials',
    });
  }
  const parsed = parseJsonBody(request.body);
  if (!parsed) return jsonReply(400, { error: 'error parsing json' });
  const sms = readOrFieldError(() => readMessage(parsed.value));
  if (sms instanceof SandboxFieldError) {
    return jsonReply(400, {
      error: SMSTOOLS_ERROR_CODES.invalidParameter,
      errorMsg: sms.message,
    });
  }
  const magic = magicFailureOf(sms.to, 'Smstools');
  if (magic) {
    return jsonReply(
      SANDBOX_MAGIC_STATUS[magic],
      { error: SMSTOOLS_ERROR_CODES[magic], errorMsg: FAILURE_MESSAGE[magic] },
      magicFailureHeaders(magic),
    );
  }
  const ids = sms.to.map((to) => {
    const id = randomAlphanumericId(31);
    context.record(
      { id, provider: 'Smstools', to, from: sms.sender, text: sms.message },
      request,
    );
    return id;
  });
  return jsonReply(
    200,
    ids.length === 1 ? { messageid: ids[0] } : { messageids: ids },
  );
}

function readMessage(body: unknown): SmstoolsMessage {
  if (!isJsonObject(body))
    throw new SandboxFieldError('body', 'must be a JSON object.');
  const { message, to, sender } = body;
  if (typeof message !== 'string' || message === '') {
    throw new SandboxFieldError('message', 'must be a non-empty string.');
  }
  const numbers: unknown[] = Array.isArray(to) ? to : [to];
  if (numbers.length === 0)
    throw new SandboxFieldError('to', 'must name at least one number.');
  const recipients = numbers.map((number) => {
    const phone =
      typeof number === 'string' &&
      /^\d+$/.test(number) &&
      readRecipient(number);
    if (!phone) {
      throw new SandboxFieldError(
        'to',
        'must be a string of the E.164 digits of a phone number, without +, or an array of them.',
      );
    }
    return phone.e164;
  });
  if (
    typeof sender !== 'string' ||
    !(/^\d{1,14}$/.test(sender) || /^[\p{L}\p{N} ]{1,11}$/u.test(sender)) ||
    sender.trim() === ''
  ) {
    throw new SandboxFieldError(
      'sender',
      'must be a number of at most 14 digits or a name of at most 11 letters, digits and spaces.',
    );
  }
  return { message, to: recipients, sender };
}
