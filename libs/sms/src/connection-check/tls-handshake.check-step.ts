import type { Socket } from 'node:net';
import {
  connect as tlsConnect,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { describeCertificate } from '../certificates/client-certificate.js';
import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import { within } from './check-deadline.js';
import { reasonOf, type StepOutcome } from './connection-step.recorder.js';
import type { CheckedHost } from './dns.check-step.js';

// Certificate verification failures as Node and OpenSSL name them: the server's certificate, not the
// handshake itself, is what failed.
const SERVER_CERTIFICATE_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/;

// In TLS 1.3 the server judges the client certificate after the client's side of the handshake is
// done; a server that accepts it sends session tickets at once, one that refuses it an alert.
const CLIENT_CERTIFICATE_VERDICT_MS = 1_000;

/** A handshake to make: over which connection, with which trust and certificate, by when. */
export interface HandshakeJob {
  socket: Socket;
  target: CheckedHost;
  secureContext: SecureContext;
  /** True when the context presents a client certificate. */
  mutual: boolean;
  deadline: number;
}

/** What a handshake came to. */
export interface Handshake {
  socket: TLSSocket;
  protocol?: string;
  detail: string;
  serverCertificate?: SmsCertificateInfo;
  failure?: { code: string; reason: string };
}

/**
 * Completes a TLS handshake over the connected socket; with a client certificate, tells whether the
 * server asked for it and, in TLS 1.3, waits for the server's verdict on it.
 */
export async function handshakeOver(job: HandshakeJob): Promise<Handshake> {
  const { host, literal } = job.target;
  const tlsSocket = tlsConnect({
    socket: job.socket,
    // The certificate is checked against this name; SNI is not sent for an IP address.
    host,
    servername: literal ? undefined : host,
    secureContext: job.secureContext,
  });
  try {
    await within(secureConnection(tlsSocket), job.deadline);
  } catch (error) {
    tlsSocket.on('error', () => undefined);
    return { socket: tlsSocket, detail: '', failure: failureOf(error) };
  }
  const protocol = tlsSocket.getProtocol() ?? undefined;
  const peer = tlsSocket.getPeerX509Certificate();
  const handshake: Handshake = {
    socket: tlsSocket,
    protocol,
    detail: `${protocol ?? 'TLS'} with ${tlsSocket.getCipher().name}.`,
    serverCertificate: peer && describeCertificate(peer),
  };
  if (!job.mutual) return handshake;
  if (!askedForClientCertificate(tlsSocket)) {
    return withDetail(handshake, NOT_ASKED);
  }
  // TLS 1.2: the server judged the certificate before its Finished message.
  if (protocol !== 'TLSv1.3') return withDetail(handshake, ASKED_AND_COMPLETED);
  return withClientCertificateVerdict(handshake, job.deadline);
}

const NOT_ASKED =
  'The server did not ask for a client certificate, so none was presented.';
const ASKED_AND_COMPLETED =
  'The server asked for the client certificate and completed the handshake with it.';

/**
 * True when the server sent a CertificateRequest. In TLS 1.2 and 1.3 only that message brings the
 * server's signature algorithms to a client, so OpenSSL has algorithms shared with the server only
 * after one came (one naming no algorithm OpenSSL knows counts as none: no certificate could answer it).
 */
function askedForClientCertificate(socket: TLSSocket): boolean {
  return socket.getSharedSigalgs().length > 0;
}

function withDetail(handshake: Handshake, sentence: string): Handshake {
  return { ...handshake, detail: `${handshake.detail} ${sentence}` };
}

/** The `tls` step's outcome, and the server certificate's failure when that is what failed. */
export function judgeHandshake(handshake: Handshake): {
  outcome: StepOutcome;
  serverCertificateFailure?: string;
} {
  const { failure, protocol } = handshake;
  if (!failure) {
    return { outcome: { result: 'ok', detail: handshake.detail, protocol } };
  }
  const serverCertificateFailure = SERVER_CERTIFICATE_CODES.test(failure.code)
    ? failure.reason
    : undefined;
  return {
    outcome: {
      result: 'failed',
      detail: serverCertificateFailure
        ? `The handshake was stopped: the server's certificate was refused.`
        : `The handshake failed: ${failure.reason}.`,
      protocol,
    },
    serverCertificateFailure,
  };
}

function secureConnection(tlsSocket: TLSSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tlsSocket.once('secureConnect', resolve);
    tlsSocket.once('error', reject);
  });
}

function failureOf(error: unknown): { code: string; reason: string } {
  return {
    code: String((error as NodeJS.ErrnoException).code ?? ''),
    reason: reasonOf(error),
  };
}

/** A TLS 1.3 handshake with the server's late verdict on the client certificate added. */
async function withClientCertificateVerdict(
  handshake: Handshake,
  deadline: number,
): Promise<Handshake> {
  const verdict = await clientCertificateVerdict(handshake.socket, deadline);
  if (verdict === 'accepted') return withDetail(handshake, ASKED_AND_COMPLETED);
  if (verdict === 'silent') {
    return withDetail(
      handshake,
      `The server asked for the client certificate and had not refused it within ${CLIENT_CERTIFICATE_VERDICT_MS} ms.`,
    );
  }
  return {
    ...handshake,
    failure: {
      code: '',
      reason: `the server refused the client certificate (${verdict})`,
    },
  };
}

/** `accepted` when the server sent a session ticket, `silent` when it said nothing, else the refusal. */
function clientCertificateVerdict(
  socket: TLSSocket,
  deadline: number,
): Promise<string> {
  const waitMs = Math.max(
    0,
    Math.min(CLIENT_CERTIFICATE_VERDICT_MS, deadline - performance.now()),
  );
  return new Promise((resolve) => {
    const done = (verdict: string) => {
      clearTimeout(timer);
      socket.removeAllListeners('session');
      socket.on('error', () => undefined);
      resolve(verdict);
    };
    const timer = setTimeout(() => done('silent'), waitMs);
    socket.once('session', () => done('accepted'));
    socket.once('error', (error) => done(reasonOf(error)));
    socket.once('close', () => done('the connection was closed'));
  });
}
