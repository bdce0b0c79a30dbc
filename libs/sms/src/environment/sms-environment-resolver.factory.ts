import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import { RouteParamSmsEnvironmentResolver } from './route-param.sms-environment-resolver.js';
import { HeaderSmsEnvironmentResolver } from './header.sms-environment-resolver.js';
import { HostLabelSmsEnvironmentResolver } from './host-label.sms-environment-resolver.js';

/**
 * How a request's environment is worked out (module option `environmentResolver`): a route
 * parameter, a header, the host's first label, or a resolver of your own — a class that Nest
 * builds with its dependencies, or an instance.
 */
export type SmsEnvironmentResolverOption =
  | { routeParam: string }
  | { header: string }
  | { hostLabel: true }
  | Type<SmsEnvironmentResolver>
  | SmsEnvironmentResolver;

/** The module's one `SmsEnvironmentResolver`, from the (validated) option. */
export async function createSmsEnvironmentResolver(
  option: SmsEnvironmentResolverOption | undefined,
  moduleRef: ModuleRef,
): Promise<SmsEnvironmentResolver> {
  if (option === undefined || option === null)
    return new RouteParamSmsEnvironmentResolver();
  if (option instanceof SmsEnvironmentResolver) return option;
  // A class: built in the module's injector, so it may inject what the module sees.
  if (typeof option === 'function') return moduleRef.create(option);
  if ('header' in option)
    return new HeaderSmsEnvironmentResolver(option.header);
  if ('hostLabel' in option) return new HostLabelSmsEnvironmentResolver();
  return new RouteParamSmsEnvironmentResolver(option.routeParam);
}
