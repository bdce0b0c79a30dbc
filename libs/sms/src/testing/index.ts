export * from './sms-testing.module.js';
export * from './recording-sms.service.js';
