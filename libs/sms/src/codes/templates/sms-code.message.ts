import {
  originBoundLine,
  renderSmsCodeTemplate,
  type SmsCodeTemplateValues,
} from './sms-code-templates.js';

/**
 * The text of a code message: the rendered template and, when an origin domain is configured, a
 * blank line and the origin-bound line, which must come last.
 */
export function composeSmsCodeMessage(
  template: string,
  values: SmsCodeTemplateValues,
  originDomain: string | undefined,
): string {
  const text = renderSmsCodeTemplate(template, values);
  return originDomain === undefined
    ? text
    : `${text}\n\n${originBoundLine(originDomain, values.code)}`;
}

/** The `{minutes}` of a lifetime: whole minutes, rounded down so that a message never promises more. */
export function minutesOf(lifetimeSeconds: number): number {
  return Math.max(1, Math.floor(lifetimeSeconds / 60));
}
