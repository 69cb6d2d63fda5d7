export * from './worker-factory.js';
export * from './temporal-client.module.js';
export * from './digest-schedule.js';
