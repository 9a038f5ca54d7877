import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { DemoData } from '../sandbox';
import { ROOT } from '../e2e/n8nApp';

// What the screenshots show: one credential pointed at the sandbox, a workflow with the action
// node, one with the trigger. Fixed ids, so the editor can be opened at /workflow/<id>.

export const CREDENTIAL = { id: 'feishuShotCred01', name: 'Feishu sandbox' };
// Made-up secrets: the picture of this credential shows them masked.
export const CALLBACK_CREDENTIAL = { id: 'feishuShotCbCred', name: 'Feishu Approval Callback' };
export const ACTION_WORKFLOW = { id: 'feishuShotsGet01', name: 'Feishu Approval: pending tasks', node: 'Feishu Approval' };
export const TRIGGER_WORKFLOW = { id: 'feishuShotsTrig1', name: 'Feishu Approval Trigger: rejections', node: 'Feishu Approval Trigger' };
// The definition and instance operations: one workflow, a chain the pictures run step by step
// (running a node runs the nodes before it).
export const LOOP_WORKFLOW = {
	id: 'feishuShotsLoop1',
	name: 'Feishu Approval: definition, instance, check',
	definition: 'Create or Update Definition',
	get: 'Get Definition',
	instance: 'Create or Update Instance',
	check: 'Check Instance',
};

// examples/approval-loop.json as users import it: its canvas, its Action Trigger and its Respond
// to Feishu, with the credentials pointed at the ones above.
export const EXAMPLE_LOOP = {
	id: 'feishuShotsExLp1',
	actionTrigger: 'Feishu Approval Action Trigger',
	respond: 'Respond to Feishu',
};

const credentialRef = { feishuApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
const callbackRef = { feishuApprovalCallbackApi: { id: CALLBACK_CREDENTIAL.id, name: CALLBACK_CREDENTIAL.name } };

interface ExampleNode {
	name: string;
	type: string;
	webhookId?: string;
	credentials?: Record<string, unknown>;
}
interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: ExampleNode[];
}

function exampleLoop(): ExampleWorkflow {
	return JSON.parse(readFileSync(join(ROOT, 'examples', 'approval-loop.json'), 'utf8')) as ExampleWorkflow;
}

/** The Action Trigger's webhook id in the example: its callback URL is https://<host>/webhook/<id>/callback. */
function actionWebhookId(): string {
	const trigger = exampleLoop().nodes.find((n) => n.name === EXAMPLE_LOOP.actionTrigger);
	if (!trigger?.webhookId) throw new Error(`examples/approval-loop.json has no "${EXAMPLE_LOOP.actionTrigger}" with a webhookId`);
	return trigger.webhookId;
}

function exampleLoopWorkflow(): object {
	const workflow = exampleLoop();
	for (const node of workflow.nodes) {
		if (!node.credentials) continue;
		node.credentials = {
			...(node.credentials.feishuApi ? credentialRef : {}),
			...(node.credentials.feishuApprovalCallbackApi ? callbackRef : {}),
		};
	}
	return { ...workflow, id: EXAMPLE_LOOP.id };
}

export function credentials(baseUrl: string, demo: DemoData): object[] {
	return [
		{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'feishuApi', data: { region: 'custom', baseUrl, appId: demo.appId, appSecret: demo.appSecret } },
		{
			id: CALLBACK_CREDENTIAL.id,
			name: CALLBACK_CREDENTIAL.name,
			type: 'feishuApprovalCallbackApi',
			data: { callbackToken: 'callback-token-from-your-definition', encryptKey: 'callback-key-from-your-definition' },
		},
	];
}

export function workflows(demo: DemoData): object[] {
	const codes = demo.approvals.slice(0, 2).map((a) => a.code).join(', ');
	return [
		{
			id: ACTION_WORKFLOW.id,
			name: ACTION_WORKFLOW.name,
			active: false,
			settings: { executionOrder: 'v1' },
			pinData: {},
			nodes: [
				{ id: 'shots-manual', name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'shots-get',
					name: ACTION_WORKFLOW.node,
					type: 'n8n-nodes-feishu-approval.feishuApproval',
					typeVersion: 1,
					position: [260, 0],
					parameters: { resource: 'externalTask', operation: 'getAll', queryBy: 'status', approvalCodes: codes, status: 'PENDING', returnAll: false, limit: 10, output: 'tasks', options: {} },
					credentials: credentialRef,
				},
			],
			connections: { 'When clicking ‘Execute workflow’': { main: [[{ node: ACTION_WORKFLOW.node, type: 'main', index: 0 }]] } },
		},
		loopWorkflow(),
		exampleLoopWorkflow(),
		{
			id: TRIGGER_WORKFLOW.id,
			name: TRIGGER_WORKFLOW.name,
			active: false,
			settings: { executionOrder: 'v1' },
			pinData: {},
			nodes: [
				{
					id: 'shots-trigger',
					name: TRIGGER_WORKFLOW.node,
					type: 'n8n-nodes-feishu-approval.feishuApprovalTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
						approvalCodes: demo.approvals[0].code,
						status: 'REJECTED',
						output: 'tasks',
						options: { deadline: 2 },
					},
					credentials: credentialRef,
				},
			],
			connections: {},
		},
	];
}

function loopWorkflow(): object {
	// The definition takes the callback token and key from the Feishu Approval Callback credential.
	const node = (id: string, name: string, x: number, parameters: object, extraCredentials: object = {}) => ({
		id,
		name,
		type: 'n8n-nodes-feishu-approval.feishuApproval',
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { ...credentialRef, ...extraCredentials },
	});
	const chain = ['When clicking ‘Execute workflow’', LOOP_WORKFLOW.definition, LOOP_WORKFLOW.get, LOOP_WORKFLOW.instance, LOOP_WORKFLOW.check];
	const connections: Record<string, object> = {};
	chain.slice(0, -1).forEach((from, n) => (connections[from] = { main: [[{ node: chain[n + 1], type: 'main', index: 0 }]] }));
	return {
		id: LOOP_WORKFLOW.id,
		name: LOOP_WORKFLOW.name,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{ id: 'loop-manual', name: chain[0], type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			node('loop-def', LOOP_WORKFLOW.definition, 240, {
				resource: 'externalApproval',
				operation: 'upsert',
				approvalCode: 'purchase_request',
				approvalName: '采购申请 Purchase request',
				groupCode: 'procurement',
				groupName: '采购 Procurement',
				pcLink: 'https://erp.example.com/purchase/new',
				actionCallbackUrl: `https://n8n.example.com/webhook/${actionWebhookId()}/callback`,
				viewers: 'TENANT',
				options: {},
			}, callbackRef),
			node('loop-get', LOOP_WORKFLOW.get, 480, { resource: 'externalApproval', operation: 'get', approvalCode: '={{ $json.approval_code }}', options: {} }),
			node('loop-inst', LOOP_WORKFLOW.instance, 720, {
				resource: 'externalInstance',
				operation: 'upsert',
				dataMode: 'fields',
				approvalCode: '={{ $json.approval_code }}',
				instanceId: 'PR-2026-0042',
				status: 'PENDING',
				title: 'Purchase: 3 monitors',
				initiatorUserId: 'u_requester',
				pcLink: 'https://erp.example.com/purchase/PR-2026-0042',
				form: { field: [{ name: 'Amount', value: '3,600 CNY' }, { name: 'Reason', value: 'New hires' }] },
				tasks: {
					task: [
						{ taskId: 'PR-2026-0042-manager', userId: 'u_manager', status: 'PENDING', title: 'Manager' },
						{ taskId: 'PR-2026-0042-finance', userId: 'u_finance', status: 'PENDING', title: 'Finance' },
					],
				},
				updateMode: 'REPLACE',
				options: { updateTime: '2026-12-01T09:30:00+08:00' },
			}),
			node('loop-check', LOOP_WORKFLOW.check, 960, {
				resource: 'externalInstance',
				operation: 'check',
				instanceId: '={{ $json.instance_id }}',
				updateTime: '={{ $json.update_time }}',
				tasks: '={{ $json.task_list.map(t => ({ task_id: t.task_id, update_time: String(Number(t.update_time) + (t.task_id.endsWith("finance") ? 60000 : 0)) })) }}',
			}),
		],
		connections,
	};
}
