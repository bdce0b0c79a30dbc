export * from './sms-testing.module.js';
export * from './sms-testing.module-definition.js';
export * from './recording-sms.service.js';
