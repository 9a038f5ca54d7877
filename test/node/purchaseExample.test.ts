import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';
import { INSTANCES_PATH } from '../sandbox';

const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples/purchase-request-form-to-approval.json'), 'utf8')) as {
	nodes: Array<{ type: string; parameters: INodeParameters & { formFields?: { values: Array<{ fieldLabel: string }> } } }>;
};
const form = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.formTrigger')!;
const feishuNodes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-feishu-approval.feishuApproval');
const feishu = feishuNodes.find((node) => node.parameters.resource === 'externalInstance')!;
const definition = feishuNodes.find((node) => node.parameters.resource === 'externalApproval')!;

describe('examples/purchase-request-form-to-approval.json', () => {
	const env = useSandbox({ rateLimit: false });

	test('Should set up the approval definition the instances use', async () => {
		const app = newApp(env.sandbox);

		const { error, items } = await runWorkflow({ credential: app, parameters: definition.parameters });

		expect(error).toBeUndefined();
		expect(items[0].json.approval_code).toBe(feishu.parameters.approvalCode);
	});

	test('Should turn one form submission into one pending approval instance with its approver\'s task', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		// What n8n's Form Trigger emits: one field per label, plus submittedAt and formMode.
		const submission: Record<string, string | number> = { submittedAt: '2026-12-02T10:15:30.000+08:00', formMode: 'production' };
		const values: Record<string, string | number> = {
			Item: '3 monitors, 27 inch',
			'Amount (CNY)': 3600,
			Reason: 'New hires',
			'Your Feishu user ID': 'u_requester',
			"Approver's Feishu user ID": 'u_manager',
		};
		for (const { fieldLabel } of form.parameters.formFields!.values) submission[fieldLabel] = values[fieldLabel];

		const { error, items } = await runWorkflow({ credential: app, items: [submission], parameters: feishu.parameters });

		expect(error).toBeUndefined();
		const sent = env.sandbox.requests.filter((r) => r.path === INSTANCES_PATH).map((r) => r.body as Record<string, any>);
		const ms = String(Date.parse('2026-12-02T10:15:30.000+08:00'));
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ instance_id: `PR-${ms}`, status: 'PENDING', user_id: 'u_requester', update_time: ms, start_time: ms, end_time: '0' });
		expect(sent[0].task_list).toEqual([expect.objectContaining({ task_id: `PR-${ms}-approver`, user_id: 'u_manager', status: 'PENDING' })]);
		expect(sent[0].i18n_resources[0].texts).toEqual(expect.arrayContaining([{ key: '@i18n@form_1_value', value: '3600 CNY' }]));
		expect(items[0].json).toMatchObject({ instance_id: `PR-${ms}`, applied: true });
	});
});
