import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { join } from 'node:path';

import type { ActionCallbackPayload, Sandbox } from '../sandbox';
import { callbackBody, postCallback, sendActionCallback, undecryptableEnvelopes } from '../sandbox';
import { assert, check, waitFor } from './checks';
import { activateWorkflow, n8n } from './n8nApp';
import { executionTotal, publicationsCompleted } from './n8nDb';
import type { N8nServer } from './n8nServer';
import { startN8n } from './n8nServer';

// The Feishu Approval Action Trigger inside `n8n start`, as Feishu reaches it: published
// workflows, callbacks POSTed to the production URL /webhook/<webhookId>/callback, plain and
// encrypted, as the sandbox sends them. Executions are counted in n8n's database.

const TOKEN = `e2e-callback-token-${Math.random().toString(36).slice(2)}`;
const KEY = `e2e-callback-key-${Math.random().toString(36).slice(2)}`;
const PLAIN_CREDENTIAL = 'feishuCallback01';
const ENCRYPTED_CREDENTIAL = 'feishuCallback02';
const REFUSAL = '采购单已在 ERP 撤回 (withdrawn in the ERP)';
const MESSAGE_ID = 7253010294417866753n;

interface Hook {
	workflowId: string;
	webhookId: string;
	credential: string;
	responseMode: 'onReceived' | 'responseNode';
}
const PLAIN: Hook = { workflowId: 'e2eActionPlain01', webhookId: '5b0c7e52-1d1e-4f6a-9c11-0000000e2e01', credential: PLAIN_CREDENTIAL, responseMode: 'onReceived' };
const ENCRYPTED: Hook = { workflowId: 'e2eActionCrypt01', webhookId: '5b0c7e52-1d1e-4f6a-9c11-0000000e2e02', credential: ENCRYPTED_CREDENTIAL, responseMode: 'onReceived' };
const REFUSING: Hook = { workflowId: 'e2eActionRefuse1', webhookId: '5b0c7e52-1d1e-4f6a-9c11-0000000e2e03', credential: PLAIN_CREDENTIAL, responseMode: 'responseNode' };

/** Records every item the workflows' HTTP Request nodes post. */
async function startCollector(): Promise<{ url: string; received: Array<Record<string, unknown>>; close: () => Promise<void> }> {
	const received: Array<Record<string, unknown>> = [];
	const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString()));
		request.on('end', () => {
			try {
				received.push(JSON.parse(body) as Record<string, unknown>);
			} catch {
				received.push({ unparsable: body.slice(0, 200) });
			}
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const { port } = server.address() as { port: number };
	return { url: `http://127.0.0.1:${port}/collect`, received, close: async () => await new Promise((closed) => server.close(() => closed())) };
}

function workflow(hook: Hook, collectorUrl: string): object {
	const trigger = {
		id: `${hook.webhookId.slice(0, 24)}aaaaaaaaaa01`,
		name: 'Feishu Approval Action Trigger',
		type: 'n8n-nodes-feishu-approval.feishuApprovalActionTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: hook.webhookId,
		parameters: { responseMode: hook.responseMode },
		credentials: { feishuApprovalCallbackApi: { id: hook.credential, name: hook.credential } },
	};
	const record = {
		id: `${hook.webhookId.slice(0, 24)}aaaaaaaaaa02`,
		name: 'Record the decision',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 0],
		parameters: { method: 'POST', url: collectorUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
	};
	// Respond to Feishu first, then the rest: Feishu waits at most 10 s for the answer.
	const respond = {
		id: `${hook.webhookId.slice(0, 24)}aaaaaaaaaa03`,
		name: 'Respond to Feishu',
		type: 'n8n-nodes-feishu-approval.feishuApproval',
		typeVersion: 1,
		position: [240, 0],
		// No credential: Respond to Feishu calls no Feishu API.
		parameters: { resource: 'actionCallback', operation: 'respond', decision: 'refuse', message: REFUSAL },
	};
	const nodes = hook.responseMode === 'responseNode' ? [trigger, respond, { ...record, position: [480, 0] }] : [trigger, record];
	const connections =
		hook.responseMode === 'responseNode'
			? {
					[trigger.name]: { main: [[{ node: respond.name, type: 'main', index: 0 }]] },
					[respond.name]: { main: [[{ node: record.name, type: 'main', index: 0 }]] },
				}
			: { [trigger.name]: { main: [[{ node: record.name, type: 'main', index: 0 }]] } };
	return {
		id: hook.workflowId,
		name: `E2E: Feishu Approval Action Trigger (${hook.credential}, ${hook.responseMode})`,
		active: false,
		settings: { executionOrder: 'v1', saveDataErrorExecution: 'all', saveDataSuccessExecution: 'all' },
		nodes,
		connections,
	};
}

const press = (over: Partial<ActionCallbackPayload> = {}): ActionCallbackPayload => ({
	action_type: 'APPROVE',
	user_id: 'u_manager',
	approval_code: 'purchase_request',
	instance_id: 'PR-E2E-1',
	task_id: 'PR-E2E-1-manager',
	reason: '同意',
	action_context: 'ctx-e2e',
	message_id: MESSAGE_ID,
	token: TOKEN,
	...over,
});

export interface WebhookScenario {
	version: string;
	userFolder: string;
	work: string;
	sandbox: Sandbox;
}

export async function runWebhookScenario({ version, userFolder, work }: WebhookScenario): Promise<void> {
	const collector = await startCollector();
	let server: N8nServer | undefined;
	const url = (hook: Hook) => `${server!.url}/webhook/${hook.webhookId}/callback`;
	const total = async (hook: Hook) => await executionTotal(version, userFolder, hook.workflowId);
	try {
		const ready = await check(`action trigger in n8n@${version}: three workflows imported and published, n8n start serves their production URLs`, async () => {
			const credentials = join(work, 'callback-credentials.json');
			writeFileSync(
				credentials,
				JSON.stringify([
					{ id: PLAIN_CREDENTIAL, name: 'Feishu callback, plain', type: 'feishuApprovalCallbackApi', data: { callbackToken: TOKEN, encryptKey: '' } },
					{ id: ENCRYPTED_CREDENTIAL, name: 'Feishu callback, encrypted', type: 'feishuApprovalCallbackApi', data: { callbackToken: TOKEN, encryptKey: KEY } },
				]),
			);
			const workflows = join(work, 'action-workflows.json');
			writeFileSync(workflows, JSON.stringify([PLAIN, ENCRYPTED, REFUSING].map((hook) => workflow(hook, collector.url))));
			for (const args of [
				['import:credentials', `--input=${credentials}`],
				['import:workflow', `--input=${workflows}`],
			]) {
				const result = await n8n(version, userFolder, args);
				assert(result.code === 0, `n8n ${args[0]} exited ${result.code}:\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`);
			}
			for (const hook of [PLAIN, ENCRYPTED, REFUSING]) {
				const activated = await activateWorkflow(version, userFolder, hook.workflowId);
				assert(activated.code === 0, `activating ${hook.workflowId} exited ${activated.code}:\n${activated.stdout.slice(-1500)}${activated.stderr.slice(-1500)}`);
			}
			server = await startN8n(version, userFolder);
			// /healthz answers before the webhook routes exist and the published workflows are
			// activated; n8n prints this line after both [seen: 2.8.4 Start.run, abstract-server].
			const started = server;
			await waitFor(() => /Editor is now accessible via/.test(started.log()), 120_000, () => 'n8n never said the editor is accessible');
			// n8n 2.41 activates published workflows after that line, through its publication outbox:
			// wait until the database says each is live (n8nDb.ts).
			const ids = [PLAIN, ENCRYPTED, REFUSING].map((hook) => hook.workflowId);
			await waitFor(async () => await publicationsCompleted(version, userFolder, ids), 120_000, () => 'the publications did not complete');
			return url(PLAIN).replace(server.url, '');
		});
		if (!ready) return;

		await check(`action trigger in n8n@${version}: the right token starts one execution with the fields; a wrong token gets 401 and none`, async () => {
			const wrong = await sendActionCallback(url(PLAIN), press({ token: `${TOKEN}-wrong` }));
			assert(wrong.status === 401 && /could not be verified/.test(wrong.message ?? ''), `a wrong token got ${wrong.status} ${wrong.text}`);
			const right = await sendActionCallback(url(PLAIN), press());
			assert(right.status === 200, `the right token got ${right.status} ${right.text}`);
			await waitFor(() => collector.received.length >= 1, 30_000, () => 'the workflow did not record the decision');
			await waitFor(async () => (await total(PLAIN)) >= 1, 30_000, () => 'no execution in the database');
			const executions = await total(PLAIN);
			assert(executions === 1, `${executions} executions for one accepted and one refused callback`);
			const [item] = collector.received;
			const expected = { action_type: 'APPROVE', user_id: 'u_manager', approval_code: 'purchase_request', instance_id: 'PR-E2E-1', task_id: 'PR-E2E-1-manager', reason: '同意', action_context: 'ctx-e2e', message_id: String(MESSAGE_ID) };
			for (const [field, value] of Object.entries(expected)) assert(item[field] === value, `${field} is ${JSON.stringify(item[field])}, expected ${JSON.stringify(value)}`);
			assert(!('token' in item) && !JSON.stringify(item).includes(TOKEN), 'the token reached the workflow');
			return `401 "${wrong.message}", then 200 and 1 execution; message_id ${String(item.message_id)}`;
		});

		await check(`action trigger in n8n@${version}: an encrypted callback is decrypted; a plain one to that trigger gets 400 and no execution`, async () => {
			const before = collector.received.length;
			const plain = await postCallback(url(ENCRYPTED), callbackBody(press()));
			assert(plain.status === 400 && /not encrypted/.test(plain.message ?? ''), `a plain body got ${plain.status} ${plain.text}`);
			const encrypted = await sendActionCallback(url(ENCRYPTED), press({ action_type: 'REJECT', reason: 'Over budget' }), { encryptKey: KEY });
			assert(encrypted.status === 200, `the encrypted callback got ${encrypted.status} ${encrypted.text}`);
			await waitFor(() => collector.received.length > before, 30_000, () => 'the workflow did not record the decision');
			await waitFor(async () => (await total(ENCRYPTED)) >= 1, 30_000, () => 'no execution in the database');
			const executions = await total(ENCRYPTED);
			assert(executions === 1, `${executions} executions for one encrypted and one plain callback`);
			const item = collector.received[before];
			assert(item.action_type === 'REJECT' && item.reason === 'Over budget' && item.message_id === String(MESSAGE_ID), `decrypted item: ${JSON.stringify(item)}`);
			return `plain: 400 "${plain.message}"; encrypted: 200, 1 execution`;
		});

		await check(`action trigger in n8n@${version}: four envelopes refused for what they decrypt to (wrong key, bad padding, not JSON, wrong token) get byte-identical answers and no execution`, async () => {
			const before = await total(ENCRYPTED);
			const answers: string[] = [];
			for (const body of undecryptableEnvelopes(press(), KEY)) {
				const response = await fetch(url(ENCRYPTED), { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body });
				const bytes = Buffer.from(await response.arrayBuffer());
				answers.push(JSON.stringify({ status: response.status, type: response.headers.get('content-type'), body: bytes.toString('hex') }));
			}
			assert(new Set(answers).size === 1, `the answers differ:\n${answers.join('\n')}`);
			const first = JSON.parse(answers[0]) as { status: number; body: string };
			assert(first.status === 401, `status ${first.status}`);
			const after = await total(ENCRYPTED);
			assert(after === before, `${after - before} executions for four refused envelopes`);
			return `4 x ${first.status} ${Buffer.from(first.body, 'hex').toString()}`;
		});

		await check(`action trigger in n8n@${version}: Respond to Feishu (no app credential) refuses with HTTP 400 and its message`, async () => {
			const before = collector.received.length;
			const answer = await sendActionCallback(url(REFUSING), press());
			assert(answer.status === 400 && answer.message === REFUSAL, `got ${answer.status} ${answer.text}`);
			// The nodes after Respond to Feishu still run.
			await waitFor(() => collector.received.length > before, 30_000, () => 'the node after Respond to Feishu did not run');
			await waitFor(async () => (await total(REFUSING)) >= 1, 30_000, () => 'no execution in the database');
			return `400 ${answer.text}`;
		});

		await check(`action trigger in n8n@${version}: the same press sent plain twice and encrypted twice carries one callback_key (for Remove Duplicates)`, async () => {
			const before = collector.received.length;
			const repeat = press({ instance_id: 'PR-E2E-REPEAT', task_id: 'PR-E2E-REPEAT-manager' });
			for (let n = 0; n < 2; n++) {
				const plain = await sendActionCallback(url(PLAIN), repeat);
				assert(plain.status === 200, `plain callback ${n + 1} got ${plain.status} ${plain.text}`);
				const encrypted = await sendActionCallback(url(ENCRYPTED), repeat, { encryptKey: KEY });
				assert(encrypted.status === 200, `encrypted callback ${n + 1} got ${encrypted.status} ${encrypted.text}`);
			}
			await waitFor(() => collector.received.length >= before + 4, 30_000, () => `${collector.received.length - before} of 4 callbacks recorded`);
			const keys = collector.received.slice(before).map((item) => item.callback_key);
			assert(keys.every((key) => typeof key === 'string' && /^[0-9a-f]{64}$/.test(key)), `callback_key values: ${JSON.stringify(keys)}`);
			assert(new Set(keys).size === 1, `callback_key differs between repeats: ${JSON.stringify(keys)}`);
			const first = collector.received.find((item) => item.instance_id === 'PR-E2E-1');
			assert(first?.callback_key !== keys[0], 'another press has the same callback_key');
			return `4 repeats (2 plain, 2 encrypted): callback_key ${String(keys[0]).slice(0, 12)}…`;
		});

		await check(`action trigger in n8n@${version}: no callback token or encrypt key in n8n's logs or database`, async () => {
			await server?.stop();
			const texts = [server?.log() ?? '', ...['database.sqlite', 'database.sqlite-wal'].map((f) => join(userFolder, '.n8n', f)).filter(existsSync).map((f) => readFileSync(f).toString('latin1'))];
			for (const text of texts) {
				assert(!text.includes(TOKEN), 'the callback token appears in n8n\'s logs or database');
				assert(!text.includes(KEY), 'the encrypt key appears in n8n\'s logs or database');
			}
			const refusals = (server?.log() ?? '').split('\n').filter((line) => line.includes('refused a callback')).length;
			return `${refusals} refusals logged, without secrets`;
		});
	} finally {
		await server?.stop();
		await collector.close();
	}
}
