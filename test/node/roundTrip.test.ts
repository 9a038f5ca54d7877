import type { INodeParameters } from 'n8n-workflow';

import { createPoller } from '../helpers/runPoll';
import { FEISHU_NODE, runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';
import { APPROVALS_PATH, INSTANCES_PATH, TASKS_PATH } from '../sandbox';

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);

const instance = (extra: INodeParameters): INodeParameters => ({
	resource: 'externalInstance',
	operation: 'upsert',
	approvalCode: '={{ $json.approval_code }}',
	instanceId: 'PR-2026-0042',
	title: 'Purchase: 3 monitors',
	initiatorUserId: 'u_requester',
	pcLink: 'https://erp.example.com/pr/42',
	form: { field: [{ name: 'Amount', value: '3,600 CNY' }] },
	tasks: {
		task: [
			{ taskId: 'PR-2026-0042-manager', userId: 'u_manager', status: 'PENDING' },
			{ taskId: 'PR-2026-0042-finance', userId: 'u_finance', status: 'PENDING' },
		],
	},
	...extra,
});

describe('The whole loop through n8n\'s engine and the sandbox', () => {
	const env = useSandbox({ rateLimit: false });

	test('Should create a definition and an instance with two tasks, list them, and fire the trigger once when an UPDATE rejects one task', async () => {
		const app = newApp(env.sandbox);

		// 1-3. Definition -> instance -> Get Many, chained in one workflow, each step fed by the last.
		const created = await runWorkflow({
			credential: app,
			parameters: { resource: 'externalApproval', operation: 'upsert', approvalCode: 'purchase_request', approvalName: 'Purchase request', groupCode: 'procurement', groupName: 'Procurement' },
			more: [
				{ credentialId: 'main', parameters: instance({ options: { updateTime: String(T0) } }) },
				{ credentialId: 'main', parameters: { resource: 'externalTask', operation: 'getAll', queryBy: 'instanceIds', instanceIds: '={{ $json.instance_id }}', output: 'tasks' } },
			],
		});

		expect(created.error).toBeUndefined();
		expect(created.output(FEISHU_NODE).map((i) => i.json)).toEqual([{ approval_code: 'purchase_request' }]);
		expect(created.output(`${FEISHU_NODE} 2`)[0].json).toMatchObject({ approval_code: 'purchase_request', instance_id: 'PR-2026-0042', applied: true });
		const rows = created.output(`${FEISHU_NODE} 3`).map((i) => i.json);
		expect(rows.map((r) => [r.instance_id, r.approval_code, r.task_id, r.task_status, r.task_update_time])).toEqual([
			['PR-2026-0042', 'purchase_request', 'PR-2026-0042-manager', 'PENDING', String(T0)],
			['PR-2026-0042', 'purchase_request', 'PR-2026-0042-finance', 'PENDING', String(T0)],
		]);
		expect(env.sandbox.requests.filter((r) => r.path !== '/open-apis/auth/v3/tenant_access_token/internal').map((r) => `${r.method} ${r.path}`)).toEqual([
			`POST ${APPROVALS_PATH}`,
			`POST ${INSTANCES_PATH}`,
			`GET ${TASKS_PATH}`,
		]);

		// 4. The trigger is activated: its first poll only records what exists.
		const poller = createPoller({ credential: app, parameters: { approvalCodes: 'purchase_request', status: 'REJECTED', output: 'tasks' } });
		expect(await poller.poll()).toBeNull();

		// 5. The manager rejects in the third-party system, which syncs an UPDATE for that task alone.
		const update = await runWorkflow({
			credential: app,
			items: [{ approval_code: 'purchase_request' }],
			parameters: instance({
				status: 'REJECTED',
				updateMode: 'UPDATE',
				tasks: { task: [{ taskId: 'PR-2026-0042-manager', userId: 'u_manager', status: 'REJECTED' }] },
				options: { updateTime: String(T0 + 60_000), startTime: String(T0) },
			}),
		});
		expect(update.items[0].json.applied).toBe(true);

		// 6. The trigger fires once, for that task; the next poll finds nothing new.
		const fired = await poller.poll();
		expect(fired?.map((i) => [i.json.instance_id, i.json.task_id, i.json.task_status, i.json.instance_status])).toEqual([
			['PR-2026-0042', 'PR-2026-0042-manager', 'REJECTED', 'REJECTED'],
		]);
		expect(await poller.poll()).toBeNull();
		// The finance task was not in the UPDATE and is kept as it was.
		expect(env.sandbox.storedInstance('PR-2026-0042', app.appId)).toMatchObject({
			task_list: [{ task_id: 'PR-2026-0042-manager', status: 'REJECTED' }, { task_id: 'PR-2026-0042-finance', status: 'PENDING' }],
		});
	});
});
