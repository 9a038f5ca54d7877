import type { DemoData } from '../sandbox';

// What the screenshots show: one credential pointed at the sandbox, a workflow with the action
// node, one with the trigger. Fixed ids, so the editor can be opened at /workflow/<id>.

export const CREDENTIAL = { id: 'feishuShotCred01', name: 'Feishu sandbox' };
export const ACTION_WORKFLOW = { id: 'feishuShotsGet01', name: 'Feishu Approval: pending tasks', node: 'Feishu Approval' };
export const TRIGGER_WORKFLOW = { id: 'feishuShotsTrig1', name: 'Feishu Approval Trigger: rejections', node: 'Feishu Approval Trigger' };

const credentialRef = { feishuApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };

export function credentials(baseUrl: string, demo: DemoData): object[] {
	return [{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'feishuApi', data: { region: 'custom', baseUrl, appId: demo.appId, appSecret: demo.appSecret } }];
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
					},
					credentials: credentialRef,
				},
			],
			connections: {},
		},
	];
}
