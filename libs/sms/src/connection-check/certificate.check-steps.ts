import {
  certificateValidityProblem,
  inspectClientCertificate,
} from '../certificates/client-certificate.js';
import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import type { StepOutcome } from './connection-step.recorder.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `serverCertificate` step's outcome, from what the handshake found. */
export function judgeServerCertificate(
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

/** The `clientCertificate` step's outcome: the settings' certificate and key, and their dates. */
export function judgeClientCertificate(settings: SmsSettings): StepOutcome {
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

function daysUntil(iso: string): number {
  return Math.floor((Date.parse(iso) - Date.now()) / DAY_MS);
}
