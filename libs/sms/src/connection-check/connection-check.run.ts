import type { LookupAddress } from 'node:dns';
import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import type { SmsAddressPolicy } from '../transport/address-policy.lookup.js';
import {
  judgeClientCertificate,
  judgeServerCertificate,
} from './certificate.check-steps.js';
import { ConnectionStepRecorder } from './connection-step.recorder.js';
import {
  judgeAddresses,
  resolveHost,
  type CheckedHost,
} from './dns.check-step.js';
import type { SmsConnectionStep } from './sms-connection-report.interface.js';
import { closeConnection, connectToFirst } from './tcp.check-step.js';
import { handshakeOver, judgeHandshake } from './tls-handshake.check-step.js';

/** What one connection check looks at, and how. */
export interface ConnectionCheckPlan {
  settings: SmsSettings;
  target: CheckedHost;
  /** The address policy, for environment settings. */
  policy: SmsAddressPolicy | undefined;
  /** When the whole check must end, a `performance.now()` reading. */
  deadline: number;
  /** The TLS context a send with these settings would use. */
  secureContext: () => SecureContext;
}

/**
 * One connection check: DNS, TCP, TLS and both certificates, in order, each skipped when an earlier
 * one left it nothing to check. Holds its connection until the steps are done, then closes it.
 */
export class ConnectionCheckRun {
  private readonly recorder = new ConnectionStepRecorder();
  private addresses: LookupAddress[] = [];
  private socket?: Socket;
  private tlsSocket?: TLSSocket;
  private serverCertificate?: SmsCertificateInfo;
  private serverCertificateFailure?: string;

  constructor(private readonly plan: ConnectionCheckPlan) {}

  /** Every step run, in order. */
  get steps(): SmsConnectionStep[] {
    return this.recorder.steps;
  }

  /** True when no step failed. */
  get ok(): boolean {
    return this.recorder.ok;
  }

  /** Runs every step, then closes the connection. */
  async runSteps(): Promise<void> {
    try {
      if (await this.dns()) {
        await this.tcp();
      } else {
        this.recorder.skip(
          'tcp',
          'The host was not resolved to an allowed address.',
        );
      }
      if (this.socket) {
        await this.tls(this.socket);
      } else {
        this.recorder.skip('tls', 'No TCP connection was made.');
      }
      await this.recorder.run('serverCertificate', () =>
        judgeServerCertificate(
          this.serverCertificate,
          this.serverCertificateFailure,
        ),
      );
      await this.recorder.run('clientCertificate', () =>
        judgeClientCertificate(this.plan.settings),
      );
    } finally {
      closeConnection(this.tlsSocket, this.socket);
    }
  }

  /** True when the host resolved to addresses that may be reached. */
  private async dns(): Promise<boolean> {
    const { target, deadline, policy } = this.plan;
    const step = await this.recorder.run('dns', async () => {
      this.addresses = await resolveHost(target, deadline);
      return judgeAddresses(target, this.addresses, policy);
    });
    return step.result !== 'failed';
  }

  private async tcp(): Promise<void> {
    const { target, deadline } = this.plan;
    await this.recorder.run('tcp', async () => {
      const socket = await connectToFirst(
        this.addresses,
        target.port,
        deadline,
      );
      this.socket = socket;
      return {
        result: 'ok',
        detail: `Connected to ${socket.remoteAddress}:${target.port}.`,
        addresses: [socket.remoteAddress ?? ''],
      };
    });
  }

  private async tls(socket: Socket): Promise<void> {
    const { settings, target, deadline } = this.plan;
    await this.recorder.run('tls', async () => {
      const handshake = await handshakeOver({
        socket,
        target,
        secureContext: this.plan.secureContext(),
        mutual: settings.certificatePemCrt !== undefined,
        deadline,
      });
      this.tlsSocket = handshake.socket;
      this.serverCertificate = handshake.serverCertificate;
      const judged = judgeHandshake(handshake);
      this.serverCertificateFailure = judged.serverCertificateFailure;
      return judged.outcome;
    });
  }
}
