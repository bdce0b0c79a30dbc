import type { SmsModuleOptions } from './sms-module-options.interface.js';

/** A class that builds the module's options, for `SmsModule.forRootAsync({ useClass | useExisting })`. */
export interface SmsOptionsFactory {
  createSmsOptions(): SmsModuleOptions | Promise<SmsModuleOptions>;
}
