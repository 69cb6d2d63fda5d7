import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { BusinessClock } from '../../libs/domain/src/clock.js';
import type { Routing, TaskType } from '../../libs/domain/src/procedure.js';
import {
  CANDIDATE_WORKFLOW_TYPE,
  candidateWorkflowId,
  completeTaskUpdate,
  requestEnvelope,
  stateQuery,
  transferUpdate,
  withdrawUpdate,
  type Actor,
  type CandidateSummary,
  type CandidateWorkflowInput,
  type TaskSnapshot,
} from '../../workflows/candidate/candidate.messages.js';
import { validDecision, type DecisionPayload } from './decisions.js';
import { businessToday, waitFor } from './fixtures.js';

export const TEST_ACTOR: Actor = { userId: '00000000-0000-4000-8000-000000000001', username: 'tester' };

/** Drives one candidate workflow through the Temporal client, as the API would. */
export class CaseDriver {
  private constructor(
    readonly handle: WorkflowHandle,
    readonly input: CandidateWorkflowInput,
  ) {}

  static async start(client: Client, taskQueue: string, input: CandidateWorkflowInput): Promise<CaseDriver> {
    const handle = await client.workflow.start(CANDIDATE_WORKFLOW_TYPE, { taskQueue, workflowId: candidateWorkflowId(input.candidateId), args: [input] });
    return new CaseDriver(handle, input);
  }

  get clock(): BusinessClock {
    return this.input.clock;
  }

  today(): string {
    return businessToday(this.input.clock);
  }

  /** Waits (by query: nothing is added to the history) until a task of this type is open. */
  async openTask(type: TaskType, timeoutMs = 20_000): Promise<TaskSnapshot> {
    return waitFor(`open task ${type}`, async () => (await this.handle.query(stateQuery)).openTasks.find((t) => t.type === type), timeoutMs);
  }

  async decide(type: TaskType, overrides: Partial<DecisionPayload> = {}): Promise<CandidateSummary> {
    const task = await this.openTask(type);
    const p = validDecision(type, this.today(), overrides);
    return this.handle.executeUpdate(completeTaskUpdate, { args: [{ ...this.envelope(), taskId: task.id, outcome: p.outcome, data: p.data, actor: TEST_ACTOR }] });
  }

  async decideAll(types: TaskType[]): Promise<CandidateSummary> {
    let last: CandidateSummary | undefined;
    for (const t of types) last = await this.decide(t);
    return last!;
  }

  transfer(routing: Routing, reason: string): Promise<CandidateSummary> {
    return this.handle.executeUpdate(transferUpdate, { args: [{ ...this.envelope(), routing, reason, actor: TEST_ACTOR }] });
  }

  withdraw(reason: string): Promise<CandidateSummary> {
    return this.handle.executeUpdate(withdrawUpdate, { args: [{ ...this.envelope(), reason, actor: TEST_ACTOR }] });
  }

  /** The case and a one-time id, as the API sends them with every decision. */
  envelope() {
    return requestEnvelope(this.handle.workflowId, randomUUID());
  }

  result(): Promise<CandidateSummary> {
    return this.handle.result();
  }

  /**
   * With KETNAP_RECORD_HISTORIES=1, stores the finished history for the replay tests as
   * `<name><KETNAP_HISTORY_SUFFIX>.json`. Existing files are never overwritten: old histories are the proof
   * that old cases still replay.
   */
  async recordHistory(name: string): Promise<void> {
    if (process.env.KETNAP_RECORD_HISTORIES !== '1') return;
    const file = new URL(`../replay/histories/${name}${process.env.KETNAP_HISTORY_SUFFIX ?? ''}.json`, import.meta.url);
    if (existsSync(file)) return;
    // The CLI writes the canonical JSON form (protobufjs is loaded twice under jest, so historyToJSON fails here).
    const bin = process.env.TEMPORAL_BIN ?? new URL('../../.tools/bin/temporal', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(bin, ['workflow', 'show', '--workflow-id', this.handle.workflowId, '--output', 'json', '--address', process.env.TEMPORAL_ADDRESS!], {
      maxBuffer: 64 * 1024 * 1024,
    });
    await mkdir(new URL('../replay/histories/', import.meta.url), { recursive: true });
    await writeFile(file, stdout);
  }
}
