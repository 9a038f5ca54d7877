import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runCodeForItem } from '../helpers/codeNode';
import { ACTION_TRIGGER, RESPOND_NODE, startWebhook } from '../helpers/runWebhook';
import { FEISHU_NODE, runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';

// examples/approval-loop.json, node by node with its own parameters, through n8n's engine and
// the sandbox. The two "(stand-in)" Code nodes that play the user's system run as written, with
// the variables n8n's Code node gives them (test/helpers/codeNode.ts).

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
}
const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples/approval-loop.json'), 'utf8')) as { nodes: ExampleNode[]; connections: Record<string, unknown> };
const node = (name: string): ExampleNode => {
	const found = workflow.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`examples/approval-loop.json has no node "${name}"`);
	return found;
};

const KEEP = 'Keep the request in your system (stand-in)';
const RECORD = 'Record the decision in your system (stand-in)';
const code = (name: string): string => String(node(name).parameters.jsCode);

const TOKEN = 'example-loop-token-91b2';
const KEY = 'example-loop-key-91b2';

describe('examples/approval-loop.json', () => {
	const env = useSandbox({ rateLimit: false });

	test('Should chain Form -> instance -> your system, Action Trigger -> drop repeats -> your system -> Respond to Feishu -> UPDATE sync', () => {
		const next = (from: string) => ((workflow.connections[from] as { main: Array<Array<{ node: string }>> }).main[0] ?? []).map((c) => c.node);
		expect(next('New purchase request')).toEqual(['Create Feishu approval instance']);
		expect(next('Create Feishu approval instance')).toEqual([KEEP]);
		expect(next(ACTION_TRIGGER)).toEqual(['Drop repeated callbacks']);
		expect(next('Drop repeated callbacks')).toEqual([RECORD]);
		expect(next(RECORD)).toEqual([RESPOND_NODE]);
		expect(next(RESPOND_NODE)).toEqual(['Sync the decision to Feishu']);
		expect(node(ACTION_TRIGGER).parameters.responseMode).toBe('responseNode');
		expect(node('Sync the decision to Feishu').parameters.updateMode).toBe('UPDATE');
	});

	test('Should drop repeated callbacks with n8n\'s Remove Duplicates node, keyed by callback_key', () => {
		// Parameter names and values as n8n-nodes-base's RemoveDuplicates v2 (n8n 2.8.4) declares them.
		const dedupe = node('Drop repeated callbacks') as ExampleNode & { typeVersion: number };
		expect(dedupe.type).toBe('n8n-nodes-base.removeDuplicates');
		expect(dedupe.typeVersion).toBe(2);
		expect(dedupe.parameters).toEqual({ operation: 'removeItemsSeenInPreviousExecutions', dedupeValue: '={{ $json.callback_key }}', options: {} });
	});

	test('Should play your system with Code nodes every supported n8n has: JavaScript, once for each item', () => {
		// Code v2 with these parameters is in n8n-nodes-base of n8n 1.123.50, 2.8.4 and 2.41.1.
		for (const name of [KEEP, RECORD]) {
			const { type, typeVersion, parameters } = node(name);
			expect({ type, typeVersion, parameters: Object.keys(parameters) }).toEqual({ type: 'n8n-nodes-base.code', typeVersion: 2, parameters: ['mode', 'jsCode'] });
			expect(parameters.mode).toBe('runOnceForEachItem');
		}
	});

	test('Should fail a decision on a request your system does not know, before Respond to Feishu', async () => {
		const staticData: IDataObject = {};
		const press = { action_type: 'APPROVE', user_id: 'u_manager', instance_id: 'PR-unknown', task_id: 'PR-unknown-approver' };
		await expect(runCodeForItem(code(RECORD), { json: press, staticData })).rejects.toThrow('Your system does not know the request PR-unknown');
		expect(staticData).toEqual({});
	});

	test('Should take the definition\'s callback token and key from the callback credential, not from parameters', () => {
		const { parameters, credentials } = node('Create or update the approval definition') as ExampleNode & { credentials: Record<string, unknown> };
		expect(parameters).not.toHaveProperty('actionCallbackToken');
		expect(parameters).not.toHaveProperty('actionCallbackKey');
		expect(Object.keys(credentials)).toEqual(['feishuApi', 'feishuApprovalCallbackApi']);
	});

	test.each([
		['APPROVE', 'APPROVED'],
		['REJECT', 'REJECTED'],
	])('Should turn a press of %s in Feishu into a task %s in Feishu, through the workflow', async (actionType, status) => {
		const app = newApp(env.sandbox);
		const hook = await startWebhook({ parameters: node(ACTION_TRIGGER).parameters, credential: { callbackToken: TOKEN, encryptKey: KEY }, respond: node(RESPOND_NODE).parameters });
		try {
			// Step 3 of the note: the definition points at the trigger's Production URL.
			// The token and key come from the same Feishu Approval Callback credential as the trigger's.
			const definition = { ...node('Create or update the approval definition').parameters, actionCallbackUrl: hook.url };
			expect((await runWorkflow({ credential: app, callbackCredential: { callbackToken: TOKEN, encryptKey: KEY }, parameters: definition })).error).toBeUndefined();

			// Step 4: a form submission becomes a PENDING instance.
			const submittedAt = '2026-12-02T10:15:30.000+08:00';
			const submission = { submittedAt, formMode: 'production', Item: '2 laptops', 'Amount (CNY)': 16000, Reason: 'New hires', 'Your Feishu user ID': 'u_requester', "Approver's Feishu user ID": 'u_manager' };
			const created = await runWorkflow({ credential: app, items: [submission], parameters: node('Create Feishu approval instance').parameters });
			expect(created.error).toBeUndefined();
			const instanceId = String(created.items[0].json.instance_id);
			const taskId = `${instanceId}-approver`;
			// Your system (the stand-in) keeps the request under its instance id.
			const staticData: IDataObject = {};
			const kept = await runCodeForItem(code(KEEP), { json: created.items[0].json, paired: { 'New purchase request': submission }, staticData });
			expect(kept).toEqual({ instance_id: instanceId, item: '2 laptops', requester_user_id: 'u_requester', submitted_at: submittedAt, status: 'PENDING' });

			// Step 5: the approver presses; Feishu calls the trigger, Respond to Feishu accepts.
			const press = await env.sandbox.pressAction({ instanceId, taskId, actionType, tenant: app.appId });
			expect(press).toMatchObject({ status: 200, outcome: 'accepted', encrypted: true });
			const [decision] = hook.output(ACTION_TRIGGER);
			expect(decision).toMatchObject({ action_type: actionType, instance_id: instanceId, task_id: taskId, user_id: 'u_manager' });

			// Your system records it and answers with the request (the note's contract).
			const request = await runCodeForItem(code(RECORD), { json: decision, staticData });
			expect(request).toEqual({ instance_id: instanceId, item: '2 laptops', requester_user_id: 'u_requester', approver_user_id: 'u_manager', task_id: taskId, status, submitted_at: submittedAt, reason: decision.reason });
			expect((staticData.requests as IDataObject)[instanceId]).toEqual(request);
			const synced = await runWorkflow({ credential: app, items: [request], parameters: node('Sync the decision to Feishu').parameters });
			expect(synced.error).toBeUndefined();
			expect(synced.output(FEISHU_NODE)[0].json).toMatchObject({ instance_id: instanceId, applied: true });
			expect(env.sandbox.storedInstance(instanceId, app.appId)).toMatchObject({ status, task_list: [{ task_id: taskId, status }] });
		} finally {
			await hook.close();
		}
	});
});
