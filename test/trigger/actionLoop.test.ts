import type { INodeParameters } from 'n8n-workflow';

import { definitionParameters } from '../helpers/fixtures';
import { ACTION_TRIGGER, startWebhook } from '../helpers/runWebhook';
import { FEISHU_NODE, runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';

// The loop of part 2: the definition names the trigger's URL, token and key; an approver presses
// Reject in (the sandbox's) Feishu; the trigger starts the workflow; the third-party system syncs
// the task's new status back in UPDATE mode.

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const TOKEN = 'loop-token-7f3a';
const KEY = 'loop-key-7f3a';

const instance = (extra: INodeParameters): INodeParameters => ({
	resource: 'externalInstance',
	operation: 'upsert',
	approvalCode: 'purchase_request',
	instanceId: 'PR-7001',
	status: 'PENDING',
	title: 'Purchase: 2 laptops',
	initiatorUserId: 'u_requester',
	pcLink: 'https://erp.example.com/pr/7001',
	tasks: { task: [{ taskId: 'PR-7001-manager', userId: 'u_manager', status: 'PENDING' }] },
	options: { updateTime: String(T0) },
	...extra,
});

describe('Press in Feishu, act in n8n, sync back', () => {
	const env = useSandbox({ rateLimit: false });

	test('Should deliver an encrypted Reject from the sandbox to the trigger, then sync the task as REJECTED', async () => {
		const app = newApp(env.sandbox);
		const hook = await startWebhook({ credential: { callbackToken: TOKEN, encryptKey: KEY } });
		try {
			const setUp = await runWorkflow({
				credential: app,
				parameters: definitionParameters({ actionCallbackUrl: hook.url, actionCallbackToken: TOKEN, actionCallbackKey: KEY }),
				more: [{ credentialId: 'main', parameters: instance({}) }],
			});
			expect(setUp.error).toBeUndefined();
			// The definition's output masks the callback secrets.
			expect(JSON.stringify(setUp.run.data.resultData.runData)).not.toContain(KEY);

			const press = await env.sandbox.pressAction({ instanceId: 'PR-7001', taskId: 'PR-7001-manager', actionType: 'REJECT', reason: 'Over budget', messageId: 7253010294417866753n, tenant: app.appId });
			expect(press).toMatchObject({ status: 200, outcome: 'accepted', encrypted: true, url: hook.url });
			expect(hook.executions).toHaveLength(1);
			const [decision] = hook.output(ACTION_TRIGGER);
			expect(decision).toMatchObject({ action_type: 'REJECT', user_id: 'u_manager', approval_code: 'purchase_request', instance_id: 'PR-7001', task_id: 'PR-7001-manager', reason: 'Over budget', message_id: '7253010294417866753' });

			// Feishu changes nothing by itself: the task stays PENDING until the system syncs it.
			expect(env.sandbox.storedInstance('PR-7001', app.appId)).toMatchObject({ task_list: [{ status: 'PENDING' }] });
			const synced = await runWorkflow({
				credential: app,
				items: [decision],
				parameters: instance({
					instanceId: '={{ $json.instance_id }}',
					status: '={{ $json.action_type === "APPROVE" ? "APPROVED" : "REJECTED" }}',
					updateMode: 'UPDATE',
					tasks: { task: [{ taskId: '={{ $json.task_id }}', userId: '={{ $json.user_id }}', status: '={{ $json.action_type === "APPROVE" ? "APPROVED" : "REJECTED" }}' }] },
					options: { updateTime: String(T0 + 60_000), startTime: String(T0) },
				}),
			});
			expect(synced.output(FEISHU_NODE)[0].json).toMatchObject({ instance_id: 'PR-7001', applied: true });
			expect(env.sandbox.storedInstance('PR-7001', app.appId)).toMatchObject({ status: 'REJECTED', task_list: [{ task_id: 'PR-7001-manager', status: 'REJECTED' }] });
		} finally {
			await hook.close();
		}
	});

	test('Should refuse to press a task whose definition has no callback URL', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({
			credential: app,
			parameters: { resource: 'externalApproval', operation: 'upsert', approvalCode: 'no_callback', approvalName: 'No callback', groupCode: 'g', groupName: 'G', pcLink: 'https://erp.example.com/new' },
			more: [{ credentialId: 'main', parameters: instance({ approvalCode: 'no_callback' }) }],
		});
		await expect(env.sandbox.pressAction({ instanceId: 'PR-7001', taskId: 'PR-7001-manager', actionType: 'APPROVE', tenant: app.appId })).rejects.toThrow(/no action_callback_url/);
	});
});
