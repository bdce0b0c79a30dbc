import { HttpModule, HttpService } from '@nestjs/axios';
import type { DynamicModule, FactoryProvider } from '@nestjs/common';
import { SMS_MODULE_OPTIONS } from '../sms.module-definition.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import {
  AxiosSmsHttpTransport,
  SMS_AXIOS_CONFIG,
} from './axios/axios.sms-http-transport.js';
import { SmsHttpTransport } from './sms-http.transport.js';
import { UndiciSmsHttpTransport } from './undici/undici.sms-http-transport.js';

/** The library's own `HttpModule`, imported by `SmsModule` and not exported. */
export function createSmsHttpModule(): DynamicModule {
  return HttpModule.register(SMS_AXIOS_CONFIG);
}

/**
 * Builds the transport the module's `transport` option names: `axios` (the default) on
 * `HttpService`, or `undici`.
 */
export function createSmsHttpTransport(
  options: SmsModuleOptions,
  http: HttpService,
): SmsHttpTransport {
  return options.transport === 'undici'
    ? new UndiciSmsHttpTransport(options)
    : new AxiosSmsHttpTransport(options, http);
}

/** The provider of the {@link SmsHttpTransport} token. */
export const smsHttpTransportProvider: FactoryProvider<SmsHttpTransport> = {
  provide: SmsHttpTransport,
  inject: [SMS_MODULE_OPTIONS, HttpService],
  useFactory: createSmsHttpTransport,
};
