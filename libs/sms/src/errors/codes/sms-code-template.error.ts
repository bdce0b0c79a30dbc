import type { SmsCodePurpose } from '../../codes/sms-code-purpose.js';
import { SMS_ERROR_MESSAGES } from '../sms-errors.messages.js';
import { SmsError } from '../sms.error.js';

/** The code message that did not fit, and the limit it broke. */
export interface SmsCodeTemplateProblem {
  /** The environment the message was for, or null for the site. */
  environment: string | null;
  purpose: SmsCodePurpose;
  locale: string;
  /** The segments the message needs. */
  segments: number;
  /** The segments allowed. */
  maxSegments: number;
}

/**
 * A code message came out longer than the segment limit: the company name of the environment is
 * longer than the `maxCompanyNameLength` that templates were checked with, or needs UCS-2. Nothing
 * was sent and no limit was counted.
 */
export class SmsCodeTemplateError extends SmsError {
  readonly environment: string | null;
  readonly purpose: SmsCodePurpose;
  readonly locale: string;
  readonly segments: number;
  readonly maxSegments: number;

  constructor(problem: SmsCodeTemplateProblem) {
    super(SMS_ERROR_MESSAGES.codeTemplateTooLong(problem));
    this.environment = problem.environment;
    this.purpose = problem.purpose;
    this.locale = problem.locale;
    this.segments = problem.segments;
    this.maxSegments = problem.maxSegments;
  }
}
