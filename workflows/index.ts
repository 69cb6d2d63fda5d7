// Entry point for the workflow bundle: workflow functions only.
export { candidateWorkflow } from './candidate/candidate.workflow.js';
export { dailyDigestWorkflow } from './digest/digest.workflow.js';
export { fanOutJobWorkflow } from './jobs/jobs.workflow.js';
