export * from './dates.js';
export * from './rule-sets.js';
export * from './procedure.js';
export * from './thresholds.js';
export * from './messages.js';
export * from './decisions.js';
export * from './clock.js';
export * from './calendar/index.js';
