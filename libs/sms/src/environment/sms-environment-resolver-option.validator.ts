import type { SmsSettingsProblem } from '../errors/sms-settings.error.js';
import { SmsSettingsMessages } from '../settings/sms-settings.messages.js';
import { SmsEnvironmentResolver } from './sms-environment.resolver.js';

const M = SmsSettingsMessages.options;
const OPTION = 'environmentResolver';
const ROUTE_PARAM = /^[A-Za-z_][A-Za-z0-9_]*$/;
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What is wrong with the module option `environmentResolver`; empty when it is absent or good. */
export function environmentResolverProblems(
  option: unknown,
): SmsSettingsProblem[] {
  if (option === undefined || option === null) return [];
  if (option instanceof SmsEnvironmentResolver) return [];
  if (typeof option === 'function')
    return option.prototype instanceof SmsEnvironmentResolver
      ? []
      : [problem(OPTION, M.environmentResolver(OPTION))];
  if (typeof option !== 'object' || Object.keys(option).length !== 1)
    return [problem(OPTION, M.environmentResolver(OPTION))];
  return builtInProblems(option as Record<string, unknown>);
}

function builtInProblems(
  option: Record<string, unknown>,
): SmsSettingsProblem[] {
  const [[key, value]] = Object.entries(option);
  const path = `${OPTION}.${key}`;
  switch (key) {
    case 'routeParam':
      return typeof value === 'string' && ROUTE_PARAM.test(value)
        ? []
        : [problem(path, M.routeParam(path))];
    case 'header':
      return typeof value === 'string' && HEADER_NAME.test(value)
        ? []
        : [problem(path, M.headerName(path))];
    case 'hostLabel':
      return value === true
        ? []
        : [problem(OPTION, M.environmentResolver(OPTION))];
    default:
      return [problem(OPTION, M.environmentResolver(OPTION))];
  }
}

function problem(path: string, message: string): SmsSettingsProblem {
  return { path, message };
}
