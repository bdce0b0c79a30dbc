export * from './sms.module.js';
export * from './sms.module-definition.js';
export * from './sms-module-options.interface.js';
export * from './sms.service.js';
export * from './connection-check/sms-connection.verifier.js';
export * from './connection-check/sms-connection-report.interface.js';
export * from './sms-send.interface.js';
export * from './events/sms-event.interface.js';
export * from './events/sms-events.js';
export {
  DEFAULT_SMS_CIRCUIT_BREAKER_COOLDOWN_MS,
  DEFAULT_SMS_CIRCUIT_BREAKER_THRESHOLD,
} from './failover/sms-circuit-breaker.js';
export * from './errors/index.js';
export type { SmsErrorBody, SmsErrorDetails } from './http/sms-error.body.js';
export * from './http/sms-http.exception.js';
export * from './http/sms-error.http-mapping.js';
export * from './http/sms-exception.filter.js';
export * from './sms.constants.js';
export * from './settings/sms-settings.interface.js';
export * from './settings/sms-settings.source.js';
export * from './settings/sms-settings.resolver.js';
export * from './settings/sms-settings.validator.js';
export * from './settings/sms-settings.mask.js';
export * from './certificates/sms-certificate-info.interface.js';
export * from './certificates/client-certificate.js';
export * from './environment/sms-environment.context.js';
export * from './environment/sms-environment.interceptor.js';
export * from './providers/sms-provider.interface.js';
export * from './providers/sms-provider.registry.js';
export * from './message/message-encoding.js';
export * from './message/phone-number.js';
export * from './settings/secret-redactor.js';
export * from './codes/index.js';
