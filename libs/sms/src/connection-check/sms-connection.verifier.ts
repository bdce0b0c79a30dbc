import { X509Certificate } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { connect as tcpConnect, type Socket } from 'node:net';
import {
  connect as tlsConnect,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  hostOf,
  isAddressAllowed,
  type SmsAddressPolicy,
} from '../transport/address-policy.lookup.js';
import {
  certificateValidityProblem,
  inspectClientCertificate,
} from '../certificates/client-certificate.js';
import {
  createTlsContext,
  trustedCertificateAuthorities,
} from '../transport/https-agent.factory.js';
import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import type {
  SmsConnectionReport,
  SmsConnectionStep,
  SmsConnectionStepName,
} from './sms-connection-report.interface.js';
import { SmsEnvironmentContext } from '../environment/sms-environment.context.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { SmsSettingsResolver } from '../settings/sms-settings.resolver.js';
import { SMS_MODULE_OPTIONS } from '../sms.module-definition.js';
import { DEFAULT_SMS_TIMEOUT_MS } from '../sms.constants.js';

// Certificate verification failures as Node and OpenSSL name them: the server's certificate, not the
// handshake itself, is what failed.
const SERVER_CERTIFICATE_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/;

// In TLS 1.3 the server judges the client certificate after the client's side of the handshake is
// done; a server that accepts it sends session tickets at once, one that refuses it an alert.
const CLIENT_CERTIFICATE_VERDICT_MS = 1_000;

const DAY_MS = 24 * 60 * 60 * 1000;

// How long an orderly close may take before the connection is cut.
const CLOSE_GRACE_MS = 1_000;

/** A step's outcome before it is timed. */
type StepOutcome = Omit<SmsConnectionStep, 'name' | 'durationMs'>;

class StepTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Checks the effective SMS settings of the site or an environment without sending an SMS: resolves
 * the provider's host (held to the environment address policy for environment settings), opens a
 * TCP connection, completes the TLS handshake with the same trust and, for Telia, the same client
 * certificate as a send, and checks the server's and the client's certificates. No HTTP request is
 * written. Each step reports its result and duration; the whole check takes at most the module's
 * `timeoutMs`, and its connection is closed before it returns.
 */
@Injectable()
export class SmsConnectionVerifier {
  private readonly logger = new Logger('SmsConnectionVerifier');
  private readonly timeoutMs: number;
  private readonly ca: string[] | undefined;
  private readonly addressPolicy?: SmsAddressPolicy;
  private serverTrust?: SecureContext;

  constructor(
    @Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions,
    private readonly resolver: SmsSettingsResolver,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
    this.ca = trustedCertificateAuthorities(options.extraCaCertificates);
    this.addressPolicy = options.environmentAddressPolicy;
  }

  /**
   * Checks the settings that a send for `environment` would use.
   *
   * @param environment the environment; by default the current one of `SmsEnvironmentContext`,
   *   else the site
   * @throws SmsNotConfiguredError when neither the environment nor the site has settings
   */
  async verify(
    environment: string | null = SmsEnvironmentContext.current() ?? null,
  ): Promise<SmsConnectionReport> {
    const resolved = await this.resolver.resolve(environment);
    const { settings } = resolved;
    const started = performance.now();
    const deadline = started + this.timeoutMs;
    const url = new URL(settings.apiUrl);
    const { host, literal } = hostOf(url);
    const port = Number(url.port || 443);
    const policy =
      resolved.source === 'environment' ? this.addressPolicy : undefined;
    const steps: SmsConnectionStep[] = [];
    const run = async (
      name: SmsConnectionStepName,
      step: () => Promise<StepOutcome> | StepOutcome,
    ): Promise<SmsConnectionStep> => {
      const stepStarted = performance.now();
      let outcome: StepOutcome;
      try {
        outcome = await step();
      } catch (error) {
        outcome = { result: 'failed', detail: reasonOf(error) };
      }
      const done = {
        name,
        ...outcome,
        durationMs: outcome.result === 'skipped' ? 0 : elapsed(stepStarted),
      };
      steps.push(done);
      return done;
    };
    const skip = (name: SmsConnectionStepName, detail: string) =>
      run(name, () => ({ result: 'skipped', detail }));

    let socket: Socket | undefined;
    let tlsSocket: TLSSocket | undefined;
    try {
      let addresses: LookupAddress[] = [];
      const dns = await run('dns', async () => {
        addresses = literal
          ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
          : await within(
              dnsLookup(host, { all: true, verbatim: true }),
              deadline,
            );
        return this.judgeAddresses(host, literal, addresses, policy);
      });
      if (dns.result === 'failed') {
        await skip('tcp', 'The host was not resolved to an allowed address.');
      } else {
        await run('tcp', async () => {
          socket = await connectToFirst(addresses, port, deadline);
          return {
            result: 'ok',
            detail: `Connected to ${socket.remoteAddress}:${port}.`,
            addresses: [socket.remoteAddress ?? ''],
          };
        });
      }
      const connected = socket;
      let serverCertificate: SmsConnectionStep['certificate'];
      let serverCertificateFailure: string | undefined;
      if (!connected) {
        await skip('tls', 'No TCP connection was made.');
      } else {
        await run('tls', async () => {
          const context = this.contextFor(settings);
          const handshake = await handshakeOver(
            connected,
            host,
            literal,
            context,
            settings.certificatePemCrt !== undefined,
            deadline,
          );
          tlsSocket = handshake.socket;
          serverCertificate = handshake.serverCertificate;
          if (handshake.failure) {
            if (SERVER_CERTIFICATE_CODES.test(handshake.failure.code)) {
              serverCertificateFailure = handshake.failure.reason;
            }
            return {
              result: 'failed',
              detail: serverCertificateFailure
                ? `The handshake was stopped: the server's certificate was refused.`
                : `The handshake failed: ${handshake.failure.reason}.`,
              protocol: handshake.protocol,
            };
          }
          return {
            result: 'ok',
            detail: handshake.detail,
            protocol: handshake.protocol,
          };
        });
      }
      await run('serverCertificate', () =>
        judgeServerCertificate(serverCertificate, serverCertificateFailure),
      );
      await run('clientCertificate', () => judgeClientCertificate(settings));
    } finally {
      close(tlsSocket, socket);
    }

    const report: SmsConnectionReport = {
      ok: steps.every((step) => step.result !== 'failed'),
      provider: settings.type,
      source: resolved.source,
      environment: resolved.environment,
      target: `${url.hostname}:${port}`,
      steps,
      durationMs: elapsed(started),
    };
    this.logger.log(
      `SMS connection verified: provider=${settings.type} url=${url.origin}${url.pathname} ${resolved.source === 'environment' ? `source=environment:${resolved.environment}` : 'source=site'} ok=${report.ok} steps=${steps.map((step) => `${step.name}:${step.result}`).join(',')} durationMs=${report.durationMs}`,
    );
    return report;
  }

  private judgeAddresses(
    host: string,
    literal: boolean,
    addresses: LookupAddress[],
    policy: SmsAddressPolicy | undefined,
  ): StepOutcome {
    const list = addresses.map(({ address }) => address);
    if (list.length === 0) {
      return { result: 'failed', detail: `The host ${host} has no address.` };
    }
    if (policy && list.some((address) => !isAddressAllowed(policy, address))) {
      return {
        result: 'failed',
        detail: `The host ${host} is or resolves to an address that environment settings may not reach (a loopback, private or otherwise internal address); a send would be refused.`,
        addresses: list,
      };
    }
    return {
      result: 'ok',
      detail: literal
        ? `The host is the IP address ${host}; nothing to resolve.`
        : `The host ${host} resolves to ${list.join(', ')}.`,
      addresses: list,
    };
  }

  /** The TLS context of a send with these settings: the same trust, and Telia's certificate. */
  private contextFor(settings: SmsSettings): SecureContext {
    if (settings.certificatePemCrt !== undefined) {
      return createTlsContext({
        ca: this.ca,
        clientCertificate: {
          certificatePem: settings.certificatePemCrt,
          privateKeyPem: settings.certificatePemKey ?? '',
        },
      });
    }
    this.serverTrust ??= createTlsContext({ ca: this.ca });
    return this.serverTrust;
  }
}

/**
 * Closes the check's connection: a completed TLS session with a close_notify, so that the provider
 * sees an orderly goodbye rather than a reset, and anything else at once.
 */
function close(tlsSocket: TLSSocket | undefined, socket: Socket | undefined) {
  if (
    !tlsSocket?.encrypted ||
    tlsSocket.destroyed ||
    !tlsSocket.readyState.includes('open')
  ) {
    tlsSocket?.destroy();
    socket?.destroy();
    return;
  }
  const timer = setTimeout(() => tlsSocket.destroy(), CLOSE_GRACE_MS).unref();
  tlsSocket.once('close', () => clearTimeout(timer));
  tlsSocket.on('error', () => undefined);
  // Reading on lets the server's own close arrive and end the socket.
  tlsSocket.resume();
  tlsSocket.end();
}

/** Connects to the first address that answers, in the resolver's order. */
async function connectToFirst(
  addresses: LookupAddress[],
  port: number,
  deadline: number,
): Promise<Socket> {
  let lastError: unknown;
  for (const { address, family } of addresses) {
    const socket = tcpConnect({ host: address, port, family });
    try {
      await within(
        new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        }),
        deadline,
      );
      // The TLS socket reports errors from here on; this one is destroyed with it.
      socket.removeAllListeners('error').on('error', () => undefined);
      return socket;
    } catch (error) {
      socket.destroy();
      lastError = error;
    }
  }
  throw lastError;
}

interface Handshake {
  socket: TLSSocket;
  protocol?: string;
  detail: string;
  serverCertificate?: SmsCertificateInfo;
  failure?: { code: string; reason: string };
}

/** Completes a TLS handshake over the connected socket, then waits for the server's verdict on a client certificate. */
async function handshakeOver(
  socket: Socket,
  host: string,
  literal: boolean,
  secureContext: SecureContext,
  mutual: boolean,
  deadline: number,
): Promise<Handshake> {
  const tlsSocket = tlsConnect({
    socket,
    // The certificate is checked against this name; SNI is not sent for an IP address.
    host,
    servername: literal ? undefined : host,
    secureContext,
  });
  const failure = (error: unknown) => ({
    code: String((error as NodeJS.ErrnoException).code ?? ''),
    reason: reasonOf(error),
  });
  try {
    await within(
      new Promise<void>((resolve, reject) => {
        tlsSocket.once('secureConnect', resolve);
        tlsSocket.once('error', reject);
      }),
      deadline,
    );
  } catch (error) {
    tlsSocket.on('error', () => undefined);
    return { socket: tlsSocket, detail: '', failure: failure(error) };
  }
  const protocol = tlsSocket.getProtocol() ?? undefined;
  const peer = tlsSocket.getPeerX509Certificate();
  const serverCertificate = peer && certificateInfo(peer);
  let detail = `${protocol ?? 'TLS'} with ${tlsSocket.getCipher().name}.`;
  if (mutual && protocol === 'TLSv1.3') {
    const verdict = await clientCertificateVerdict(tlsSocket, deadline);
    if (verdict !== 'accepted' && verdict !== 'silent') {
      return {
        socket: tlsSocket,
        protocol,
        detail,
        serverCertificate,
        failure: {
          code: '',
          reason: `the server refused the client certificate (${verdict})`,
        },
      };
    }
    detail +=
      verdict === 'accepted'
        ? ' The server accepted the client certificate.'
        : ` The server did not refuse the client certificate within ${CLIENT_CERTIFICATE_VERDICT_MS} ms.`;
  } else if (mutual) {
    detail += ' The server accepted the client certificate.';
  }
  return { socket: tlsSocket, protocol, detail, serverCertificate };
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

function judgeServerCertificate(
  certificate: SmsCertificateInfo | undefined,
  failure: string | undefined,
): StepOutcome {
  if (failure) return { result: 'failed', detail: `${failure}.` };
  if (!certificate) {
    return {
      result: 'skipped',
      detail: 'No TLS handshake was completed.',
    };
  }
  return {
    result: 'ok',
    detail: `Trusted, issued to ${certificate.subject} by ${certificate.issuer}, valid until ${certificate.validTo} (${daysUntil(certificate.validTo)} days left).`,
    certificate,
  };
}

function judgeClientCertificate(settings: SmsSettings): StepOutcome {
  if (settings.certificatePemCrt === undefined) {
    return {
      result: 'skipped',
      detail: `${settings.type} uses no client certificate.`,
    };
  }
  const { info, problems } = inspectClientCertificate(
    settings.certificatePemCrt,
    settings.certificatePemKey ?? '',
  );
  const problem = problems[0];
  if (problem) {
    return {
      result: 'failed',
      detail: `The field ${problem.field} ${problem.reason}.`,
      certificate: info,
    };
  }
  const validity = info && certificateValidityProblem(info);
  if (!info || validity) {
    return {
      result: 'failed',
      detail: `The client certificate is outside its validity period (${validity ?? 'unreadable dates'}).`,
      certificate: info,
    };
  }
  return {
    result: 'ok',
    detail: `Valid, issued to ${info.subject} by ${info.issuer}, until ${info.validTo} (${daysUntil(info.validTo)} days left).`,
    certificate: info,
  };
}

/** Settles with the promise, or fails when the deadline passes first. */
async function within<T>(promise: Promise<T>, deadline: number): Promise<T> {
  const ms = Math.max(0, Math.round(deadline - performance.now()));
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function certificateInfo(certificate: X509Certificate): SmsCertificateInfo {
  const line = (name: string) => name.split('\n').filter(Boolean).join(', ');
  return {
    subject: line(certificate.subject),
    issuer: line(certificate.issuer),
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    fingerprintSha256: certificate.fingerprint256,
  };
}

// `error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:...`
const OPENSSL_ERROR = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/;

/** A low-level error as one readable line: its code and OpenSSL's short reason. */
function reasonOf(error: unknown): string {
  if (error instanceof StepTimeout) return error.message;
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  const text = (OPENSSL_ERROR.exec(String(message))?.[1] ?? String(message))
    .replace(/\s+/g, ' ')
    .trim();
  return code ? `${code}: ${text}` : text;
}

function daysUntil(iso: string): number {
  return Math.floor((Date.parse(iso) - Date.now()) / DAY_MS);
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
