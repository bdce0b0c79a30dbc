import { Inject, Injectable } from '@nestjs/common';
import { AccessUrlSmsProvider } from './access-url.sms-provider.js';
import { GatewayApiSmsProvider } from './gateway-api.sms-provider.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import type { SmsProvider } from './sms-provider.interface.js';
import { SMS_MODULE_OPTIONS } from '../sms.module-definition.js';
import type { BuiltInSmsProviderType } from '../sms.constants.js';
import { SmsError } from '../errors/sms.error.js';
import { SmstoolsSmsProvider } from './smstools.sms-provider.js';
import { TeliaSmsGatewaySmsProvider } from './telia-sms-gateway.sms-provider.js';

/** The strategy class of each built-in provider type. Adding a provider is one file and one entry. */
export const BUILT_IN_SMS_PROVIDERS: Record<
  BuiltInSmsProviderType,
  new () => SmsProvider
> = {
  AccessUrl: AccessUrlSmsProvider,
  GatewayApi: GatewayApiSmsProvider,
  Smstools: SmstoolsSmsProvider,
  TeliaSmsGateway: TeliaSmsGatewaySmsProvider,
};

/**
 * The provider strategies by settings type: the built-in ones, and the module option
 * `customProviders`, where a strategy whose type is a built-in one replaces it.
 */
@Injectable()
export class SmsProviderRegistry {
  private readonly providers = new Map<string, SmsProvider>();

  /** @throws SmsError when a custom provider has no type or two custom providers share one. */
  constructor(@Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions) {
    for (const [type, Provider] of Object.entries(BUILT_IN_SMS_PROVIDERS)) {
      this.providers.set(type, new Provider());
    }
    const customTypes = new Set<string>();
    for (const [index, provider] of (options.customProviders ?? []).entries()) {
      const { type } = provider;
      if (typeof type !== 'string' || type.trim() === '') {
        throw new SmsError(
          `customProviders[${index}].type: a custom SMS provider needs a non-empty type.`,
        );
      }
      if (customTypes.has(type)) {
        throw new SmsError(
          `customProviders[${index}].type: the type "${type}" is registered twice.`,
        );
      }
      customTypes.add(type);
      this.providers.set(type, provider);
    }
  }

  /**
   * The strategy of the given settings type.
   *
   * @throws SmsError when no strategy serves the type.
   */
  get(type: string): SmsProvider {
    const provider = this.providers.get(type);
    if (!provider) {
      throw new SmsError(
        `Unknown SMS provider type "${type}": the registered types are ${this.types().join(', ')} (case-sensitive).`,
      );
    }
    return provider;
  }

  /** Every registered type: the built-in ones first, then the custom ones. */
  types(): string[] {
    return [...this.providers.keys()];
  }
}
