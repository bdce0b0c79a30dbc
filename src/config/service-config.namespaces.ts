import { getConfigToken, registerAs, type ConfigFactory } from '@nestjs/config';
import type { ServiceConfig } from './service-config.interface.js';

/** The sections of {@link ServiceConfig}: the top-level keys of the `ConfigService`. */
export const SERVICE_CONFIG_SECTIONS = [
  'sms',
  'api',
  'store',
  'security',
  'http',
  'sandbox',
  'codes',
  'logging',
  'metrics',
  'messages',
] as const satisfies readonly (keyof ServiceConfig)[];

/** One section of the configuration. */
export type ServiceConfigSection = (typeof SERVICE_CONFIG_SECTIONS)[number];

/**
 * The injection token of one section, e.g. `@Inject(serviceConfigToken('api')) api: ApiConfig`.
 * `ConfigService.get('api.keys')` reads the same values.
 */
export function serviceConfigToken(section: ServiceConfigSection): string {
  return getConfigToken(section);
}

/**
 * The loaded configuration as `ConfigModule.forRoot({ load })` factories: one namespace per section,
 * registered with `registerAs`, so each section can be injected on its own.
 */
export function serviceConfigNamespaces(
  config: ServiceConfig,
): ConfigFactory[] {
  return SERVICE_CONFIG_SECTIONS.map((section) =>
    // `sms` is undefined when the site has no provider; the namespace then holds nothing.
    registerAs(section, () => config[section] as Record<string, unknown>),
  );
}
