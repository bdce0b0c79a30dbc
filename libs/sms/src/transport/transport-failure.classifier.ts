import type { ExchangeProgress } from './exchange-progress.js';
import type { SmsTransportFailureKind } from './sms-transport.error.js';

const DNS_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EAI_NODATA',
  'ENODATA',
  'ESERVFAIL',
]);

// Alerts a server sends when it refuses the client's certificate or the handshake.
const HANDSHAKE_ALERT =
  /ALERT_(BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_(REVOKED|EXPIRED|UNKNOWN|REQUIRED)|UNKNOWN_CA|ACCESS_DENIED|HANDSHAKE_FAILURE|DECRYPT_ERROR)/;

// The peer closed or reset the connection (`UND_ERR_SOCKET`: undici's "other side closed").
const PEER_CLOSED_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** The kind of a failed exchange, and whether the message may have been sent anyway. */
export interface TransportFailure {
  kind: Exclude<SmsTransportFailureKind, 'too-large' | 'redirect'>;
  maybeSent: boolean;
  /** The low-level error code, when there is one (e.g. `ECONNREFUSED`). */
  code?: string;
}

/**
 * Classifies an error raised by an exchange from the error's code and the exchange's progress.
 *
 * @param failure the low-level error's code and failing system call (`getaddrinfo` means DNS)
 * @param timedOut whether the exchange's own timeout ended it
 * @param mutualTls whether the request presented a client certificate
 */
export function classifyTransportFailure(
  progress: ExchangeProgress,
  failure: { code?: string; syscall?: string },
  timedOut: boolean,
  mutualTls: boolean,
): TransportFailure {
  const { code, syscall } = failure;
  if (timedOut) {
    return {
      kind: 'timeout',
      maybeSent: progress.requestMayHaveArrived,
      code,
    };
  }
  if (!progress.connected) {
    const dns =
      syscall === 'getaddrinfo' || (code !== undefined && DNS_CODES.has(code));
    return { kind: dns ? 'dns' : 'connect', maybeSent: false, code };
  }
  if (!progress.secured || refusedAfterHandshake(progress, code, mutualTls)) {
    return { kind: 'tls', maybeSent: false, code };
  }
  return {
    kind: 'reset',
    maybeSent: progress.requestMayHaveArrived,
    code,
  };
}

/**
 * True when a fresh TLS 1.3 connection was refused by the server's late check of the handshake.
 * In TLS 1.3 the client considers the handshake done, and writes its request, before the server
 * has checked the client's certificate. A server that refuses it answers with an alert, or simply
 * closes the connection before sending anything, not even the session tickets it sends to clients
 * it accepts; either way it never reads the request.
 */
function refusedAfterHandshake(
  progress: ExchangeProgress,
  code: string | undefined,
  mutualTls: boolean,
): boolean {
  if (progress.reused || progress.answered || code === undefined) return false;
  if (HANDSHAKE_ALERT.test(code)) return true;
  return (
    mutualTls &&
    progress.tls13 &&
    !progress.ticketReceived &&
    PEER_CLOSED_CODES.has(code)
  );
}

// `error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:file.c:1601:...`
const OPENSSL_ERROR = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/;

/** An error message on one line, with OpenSSL's short reason in place of its source-file details. */
export function readableErrorText(message: string): string {
  return (OPENSSL_ERROR.exec(message)?.[1] ?? message)
    .replace(/\s+/g, ' ')
    .trim();
}
