// Entry point for the workflow bundle: workflow functions only.
export { candidateWorkflow } from './candidate/candidate.workflow.js';
