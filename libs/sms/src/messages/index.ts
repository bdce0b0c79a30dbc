export * from './sms-message-record.interface.js';
export * from './sms-message-record.source.js';
export * from './sms-messages-options.interface.js';
export * from './sms-message.keys.js';
export * from './sms-message-status.rules.js';
export * from './sms-delivery-report.handler.js';
export { SmsMessageRecorder } from './sms-message.recorder.js';
export { deliveryReportUrlProblem } from './delivery-report-url.js';
export * from './sms-message-records.js';
