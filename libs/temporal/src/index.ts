export * from './worker-factory.js';
export * from './temporal-client.module.js';
export * from './digest-schedule.js';
export * from './connection.js';
export * from './encryption-codec.js';
export * from './tracing.js';
