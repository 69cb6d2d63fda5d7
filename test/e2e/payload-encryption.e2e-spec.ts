import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { loadConfig } from '../../libs/config/src/config.js';
import { repoRoot } from '../../infra/src/repo.js';
import { payloadCodec } from '../../libs/temporal/src/connection.js';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, REFUSED_ENCODING } from '../../libs/temporal/src/encryption-codec.js';
import { candidateWorkflowId, completeTaskUpdate, requestEnvelope, stateQuery, type CompleteTaskRequest } from '../../workflows/candidate/candidate.messages.js';
import { validDecision } from '../support/decisions.js';
import { temporalAddress } from '../support/env.js';
import { TestSystem } from '../support/system.js';

/**
 * Personal data in Temporal: every payload the API and the worker write is AES-256-GCM encrypted (key id in
 * clear), the history read without the key holds none of the candidate's data, a key rotation keeps old cases
 * running, the codec endpoint decodes for administrators and auditors only (and for the Temporal CLI), and a
 * decision sent to Temporal without the key — a forged `actor` — is refused by the worker.
 */
const KEY_A = `key-a:${Buffer.alloc(32, 0xa1).toString('base64')}`;
const KEY_B = `key-b:${Buffer.alloc(32, 0xb2).toString('base64')}`;
const KEY_C = `key-c:${Buffer.alloc(32, 0xc3).toString('base64')}`;
const UI_ORIGIN = 'http://temporal-ui.test:8233';
const FULL_NAME = 'Hà Thị Zyxwvut';
const ETHNICITY = 'Tày';

const sys = new TestSystem();
let raw: Client;
let rawConnection: Connection;
let candidateId: string;
let workflowId: string;

beforeAll(async () => {
  await sys.start({ KETNAP_PAYLOAD_KEYS: KEY_A, KETNAP_CODEC_CORS_ORIGIN: UI_ORIGIN });
  // What anyone with access to Temporal (and not to the key) sees: a client without the codec.
  rawConnection = await Connection.connect({ address: temporalAddress() });
  raw = new Client({ connection: rawConnection });
});

afterAll(async () => {
  await rawConnection?.close();
  await sys.stop();
});

/** Stops the API and the worker and starts them again on the same port with other payload keys. */
async function restartWith(env: Record<string, string>, which: { api?: boolean } = { api: true }): Promise<void> {
  const payloadEncryption = loadConfig({ DATABASE_URL: sys.config.databaseUrl, ...env }).payloadEncryption;
  const port = sys.app.getHttpServer().address().port;
  if (which.api) await sys.app.close();
  await sys.stopWorker();
  sys.config = { ...sys.config, payloadEncryption };
  await sys.startWorker();
  if (which.api) {
    sys.app = await createApi(sys.config, { logger: ['error'] });
    await sys.app.listen(port, '127.0.0.1');
  }
}

/**
 * Every payload of a history but search attributes (the server indexes them) and the details of patch markers
 * (written by the SDK's core, not through the codec: the patch id, e.g. "reminder-delivery-v1"), both in clear.
 */
function payloadsOf(node: unknown, out: Payload[] = [], paths: string[] = [], at = ''): Payload[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const o = node as Record<string, unknown>;
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object' && meta.encoding instanceof Uint8Array) {
    out.push(o as Payload);
    paths.push(at);
    return out;
  }
  for (const [k, v] of Object.entries(o)) {
    // Left in clear by design (README, "What is encrypted where"): search attributes, the patch markers' ids, and
    // the SDK core's own record of a local activity (`data`: type, id, attempt, times; its `result`, the
    // projection batch, goes through the codec and is checked here).
    const clear = k === 'searchAttributes' || k === 'patch-data' || (k === 'data' && at.endsWith('.markerRecordedEventAttributes.details'));
    if (!clear) payloadsOf(v, out, paths, `${at}.${k}`);
  }
  return out;
}

/** All bytes and strings of a history, to search for personal data. */
function allBytes(node: unknown, out: Buffer[] = []): Buffer[] {
  if (node instanceof Uint8Array) out.push(Buffer.from(node));
  else if (typeof node === 'string') out.push(Buffer.from(node, 'utf8'));
  else if (node && typeof node === 'object') for (const v of Object.values(node)) allBytes(v, out);
  return out;
}

const meta = (p: Payload, k: string) => Buffer.from(p.metadata?.[k] ?? new Uint8Array()).toString('utf8');
const wire = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

describe('Temporal payload encryption', () => {
  it('keeps the candidate\'s personal data out of the Temporal history, while the API reads and replays the case', async () => {
    const { users } = sys;
    const r = await users.secretary.post('/api/candidates', {
      cellId: sys.units.cell,
      fullName: FULL_NAME,
      dateOfBirth: '1998-02-03',
      gender: 'female',
      ethnicity: ETHNICITY,
      education: 'university',
      youthUnionMember: true,
      source: { organization: 'Đoàn trường', introducedOn: await sys.today() },
    });
    expect(r.status).toBe(201);
    candidateId = r.body.id;
    workflowId = candidateWorkflowId(candidateId);
    // A decision through the API: the update, its result and the projection all go through the codec.
    expect((await sys.decideOk(users.secretary, candidateId, 'recognize_sympathiser')).stage).toBeDefined();

    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const bytes = Buffer.concat(allBytes(history));
    for (const secret of [FULL_NAME, 'Zyxwvut', ETHNICITY, 'Trần Thị Bình' /* the mentor */]) expect({ secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ secret, found: false });
    const paths: string[] = [];
    const payloads = payloadsOf(history, [], paths);
    expect(payloads.length).toBeGreaterThanOrEqual(6);
    payloads.forEach((p, i) => expect([paths[i], meta(p, 'encoding'), meta(p, KEY_ID_METADATA)]).toEqual([paths[i], ENCRYPTED_ENCODING, 'key-a']));
    // The data is there, encrypted: decoded with key A, the start input holds the name.
    const decoded = await payloadCodec(sys.config, { requireEncrypted: false }).decode(payloads);
    expect(Buffer.concat(decoded.map((p) => Buffer.from(p.data!))).includes(Buffer.from(FULL_NAME, 'utf8'))).toBe(true);

    // The API (with the codec) reads the case, and the audit replay decodes the history it fetches.
    expect((await users.secretary.get(`/api/candidates/${candidateId}`)).body.fullName).toBe(FULL_NAME);
    const replay = await users.auditor.post(`/api/audit/replay/${candidateId}`);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ match: true });
  });

  it('decodes through the codec endpoint for administrators and auditors over a whole tree only, each decode logged as a personal-data read', async () => {
    const { users } = sys;
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const input = history.events!.find((e) => e.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const body = { payloads: input.map((p) => wire(p as Payload)) };
    const headers = { 'X-Namespace': 'default', 'X-Workflow-Id': workflowId };

    expect((await sys.anon.post('/api/temporal-codec/decode', body, headers)).status).toBe(401);
    const refused = await users.secretary.post('/api/temporal-codec/decode', body, headers);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    // An auditor of one branch may not decode either: a payload does not say whose data it holds.
    expect((await users.otherAuditor.post('/api/temporal-codec/decode', body, headers)).status).toBe(403);

    const ok = await users.auditor.post('/api/temporal-codec/decode', body, headers);
    expect(ok.status).toBe(200);
    const [start] = ok.body.payloads;
    expect(Buffer.from(start.metadata.encoding, 'base64').toString()).toBe('json/plain');
    const startInput = Buffer.from(start.data, 'base64').toString('utf8');
    expect(JSON.parse(startInput)).toBeInstanceOf(Object);
    expect(startInput).toContain(FULL_NAME);

    // A payload of an unknown key: a clear refusal.
    const foreign = await payloadCodec(loadConfig({ DATABASE_URL: sys.config.databaseUrl, KETNAP_PAYLOAD_KEYS: KEY_C }), { requireEncrypted: false }).encode([input[0] as Payload]);
    const unknown = await users.auditor.post('/api/temporal-codec/decode', { payloads: foreign.map(wire) }, headers);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'temporal_payload_undecodable' });
    expect(unknown.body.message).toContain('key-c');

    // Encoding makes payloads the worker trusts: administrators only.
    const plain = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"x":1}').toString('base64') }] };
    expect((await users.auditor.post('/api/temporal-codec/encode', plain)).status).toBe(403);
    const encoded = await sys.admin.post('/api/temporal-codec/encode', plain);
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata['encryption-key-id'], 'base64').toString()).toBe('key-a');
    expect((await sys.admin.post('/api/temporal-codec/decode', encoded.body)).body).toEqual(plain);
    // Who made payloads the worker trusts is in the security log.
    const log = (await sys.admin.get(`/api/security-log?kind=payloads_encoded&limit=10`)).body.items;
    expect(log.some((e: any) => e.actorUsername === `admin-${sys.tag}` && e.details.payloads === 1)).toBe(true);

    // The log: the auditor's decode names the candidate; the administrator's (no workflow id) names none and
    // shows for the top unit of the tree.
    const reads = (await users.auditor.get(`/api/audit/pii-reads?orgUnitId=${sys.units.province}&limit=1000`)).body.items;
    expect(reads.filter((x: any) => x.candidateId === candidateId && x.what.startsWith('temporal-codec:decode') && x.what.includes(workflowId))).toHaveLength(1);
    expect(reads.some((x: any) => x.candidateId === null && x.what.startsWith('temporal-codec:decode') && x.username === `admin-${sys.tag}`)).toBe(true);
    // A unit lower down sees its own candidates' reads only.
    const lower = (await users.auditor.get(`/api/audit/pii-reads?orgUnitId=${sys.units.superior}&limit=1000`)).body.items;
    expect(lower.some((x: any) => x.candidateId === null)).toBe(false);
    expect(lower.some((x: any) => x.candidateId === candidateId && x.what.startsWith('temporal-codec:decode'))).toBe(true);
  });

  it('answers the CORS preflight of the configured Temporal UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${sys.anon.baseUrl}/api/temporal-codec/decode`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' },
      });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const other = await preflight('http://evil.test');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // A request from another browser origin is refused even with a valid token.
    expect((await sys.users.auditor.post('/api/temporal-codec/decode', { payloads: [] }, { Origin: 'http://evil.test' })).status).toBe(403);
    const fromUi = await fetch(`${sys.anon.baseUrl}/api/temporal-codec/decode`, {
      method: 'POST',
      headers: { Origin: UI_ORIGIN, 'content-type': 'application/json', authorization: `Bearer ${sys.users.auditor.token}` },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('lets the Temporal CLI show the history in clear through the codec endpoint, and only through it', async () => {
    const bin = process.env.TEMPORAL_BIN || path.join(repoRoot(), '.tools/bin/temporal');
    const show = (...extra: string[]) =>
      promisify(execFile)(bin, ['workflow', 'show', '--workflow-id', workflowId, '--address', temporalAddress(), '--namespace', 'default', '--output', 'json', ...extra], { maxBuffer: 32 * 1024 * 1024 });
    // The JSON output carries payloads as in the history (data in base64): the start input in clear is the proof.
    const startInput = (out: string) => {
      const started = JSON.parse(out).events.find((e: any) => e.workflowExecutionStartedEventAttributes).workflowExecutionStartedEventAttributes.input.payloads[0];
      return { encoding: Buffer.from(started.metadata.encoding, 'base64').toString(), data: Buffer.from(started.data ?? '', 'base64').toString('utf8') };
    };
    const withCodec = startInput((await show('--codec-endpoint', `${sys.anon.baseUrl}/api/temporal-codec`, '--codec-auth', `Bearer ${sys.users.auditor.token}`)).stdout);
    expect(withCodec.encoding).toBe('json/plain');
    expect(withCodec.data).toContain(FULL_NAME);
    const without = startInput((await show()).stdout);
    expect(without.encoding).toBe(ENCRYPTED_ENCODING);
    expect(without.data).not.toContain(FULL_NAME);
  });

  it('refuses a decision sent to Temporal without the key (a forged actor), and applies the same one encrypted with it', async () => {
    const { users } = sys;
    const task = await sys.openTask(users.centre, candidateId, 'record_training_certificate');
    const forgedId = `forged-${randomUUID()}`;
    const forged: CompleteTaskRequest = {
      ...requestEnvelope(workflowId, forgedId),
      taskId: task.id,
      ...validDecision('record_training_certificate', await sys.today()),
      actor: { userId: randomUUID(), username: 'forger', fullName: 'Kẻ Giả Mạo', role: 'training_centre', orgUnitId: sys.units.centre },
    };
    const refused = await raw.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, { updateId: forgedId, args: [forged] }).catch((e) => e);
    // Rejected before acceptance: the worker's codec made the plaintext argument unreadable to the workflow.
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String(refused.cause?.message)).toContain(REFUSED_ENCODING);
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId === forgedId)).toBe(false);
    // Nothing applied: the task is still open, the history of the case has no such decision.
    expect((await users.centre.get(`/api/tasks/${task.id}`)).body.status).toBe('open');
    expect((await users.secretary.get(`/api/candidates/${candidateId}/history`)).body.events.some((e: any) => e.actor?.username === 'forger')).toBe(false);

    // The boundary is the key: the same request encrypted with it is trusted — whoever holds the key is the API.
    const keyed = new Client({ connection: rawConnection, dataConverter: { payloadCodecs: [payloadCodec(sys.config, { requireEncrypted: false })] } });
    const applied = await keyed.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, { updateId: `keyed-${randomUUID()}`, args: [forged] });
    expect(applied.stage).toBeDefined();
    expect((await users.centre.get(`/api/tasks/${task.id}`)).body.status).not.toBe('open');
    expect((await users.secretary.get(`/api/candidates/${candidateId}/history`)).body.events.some((e: any) => e.actor?.username === 'forger')).toBe(true);
  });

  it('refuses an encrypted decision copied from a history, whether sent to another case or again to its own', async () => {
    // What someone with Temporal access but without the key can do: copy an accepted update's encrypted input
    // from a history and send it as it is (no codec involved: the bytes stay those of the key holder).
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'completeTask').at(-1)!;
    const input = accepted.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!;
    expect(Buffer.from(input.args!.payloads![0].metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    const other = candidateWorkflowId(await sys.newCandidate(sys.users.secretary, 'Đinh Văn Khác'));
    const replay = async (target: string) => {
      const r = await raw.workflowService.updateWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: target },
        request: { meta: { updateId: `copied-${randomUUID()}`, identity: 'someone-with-temporal-access' }, input: { name: input.name, args: input.args } },
        waitPolicy: { lifecycleStage: 3 /* UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED */ },
      });
      return r.outcome?.failure?.applicationFailureInfo?.type;
    };
    expect(await replay(other)).toBe('request_not_for_this_case');
    expect(await replay(workflowId)).toBe('request_replayed');
    // Neither was applied: no update beyond the copied one was accepted in either history.
    const acceptedIn = async (wf: string) => (await raw.workflow.getHandle(wf).fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId?.startsWith('copied-')).length;
    expect(await acceptedIn(other)).toBe(0);
    expect(await acceptedIn(workflowId)).toBe(0);
  });

  it('after a key rotation (B first, A kept) the case started under A still advances, and new payloads carry B', async () => {
    const before = payloadsOf(await raw.workflow.getHandle(workflowId).fetchHistory()).length;
    await restartWith({ KETNAP_PAYLOAD_KEYS: `${KEY_B},${KEY_A}` });
    const r = await sys.decideOk(sys.users.secretary, candidateId, 'submit_application');
    expect(r.stage).toBeDefined();
    const payloads = payloadsOf(await raw.workflow.getHandle(workflowId).fetchHistory());
    const ids = payloads.map((p) => meta(p, KEY_ID_METADATA));
    expect(ids.slice(0, before).every((id) => id === 'key-a')).toBe(true);
    expect(ids.slice(before).length).toBeGreaterThan(0);
    expect(ids.slice(before).every((id) => id === 'key-b')).toBe(true);
    expect((await sys.users.auditor.post(`/api/audit/replay/${candidateId}`)).body).toMatchObject({ match: true });
  });

  it('a worker without the case\'s key cannot decode it: the workflow task fails, and succeeds once the key is back', async () => {
    // The worker restarts with key C only (its cache is empty, so the next task replays the history).
    await restartWith({ KETNAP_PAYLOAD_KEYS: KEY_C }, { api: false });
    const keyedB = new Client({ connection: rawConnection, dataConverter: { payloadCodecs: [payloadCodec(loadConfig({ DATABASE_URL: sys.config.databaseUrl, KETNAP_PAYLOAD_KEYS: `${KEY_B},${KEY_A}` }))] } });
    await expect(keyedB.workflow.getHandle(workflowId).query(stateQuery)).rejects.toThrow(/not in the keyring/);
    await restartWith({ KETNAP_PAYLOAD_KEYS: `${KEY_B},${KEY_A}` }, { api: false });
    expect(await keyedB.workflow.getHandle(workflowId).query(stateQuery)).toBeDefined();
  });
});
