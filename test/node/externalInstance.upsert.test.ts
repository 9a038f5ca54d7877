import type { INodeParameters } from 'n8n-workflow';

import { runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';
import { INSTANCES_PATH } from '../sandbox';

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);

function fields(extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'externalInstance',
		operation: 'upsert',
		approvalCode: 'purchase_request',
		instanceId: 'PR-1',
		status: 'PENDING',
		title: 'Purchase PR-1',
		initiatorUserId: 'u_initiator',
		pcLink: 'https://erp.example.com/pr/1',
		form: { field: [{ name: 'Amount', value: '1200 CNY' }] },
		tasks: {
			task: [
				{ taskId: 'PR-1-a', userId: 'u_a', status: 'PENDING', title: 'Manager' },
				{ taskId: 'PR-1-b', userId: 'u_b', status: 'PENDING' },
			],
		},
		options: { updateTime: String(T0) },
		...extra,
	};
}

describe('Create or Update Instance', () => {
	const env = useSandbox({ rateLimit: false });
	const syncs = () => env.sandbox.requests.filter((r) => r.path === INSTANCES_PATH);

	test('Should turn the form into the API body: i18n keys and texts, epoch-ms strings, the filled-in times and task links', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error, items } = await runWorkflow({ credential: app, parameters: fields() });

		expect(error).toBeUndefined();
		expect(syncs()).toHaveLength(1);
		const body = syncs()[0].body as Record<string, any>;
		expect(body).toMatchObject({
			approval_code: 'purchase_request',
			instance_id: 'PR-1',
			status: 'PENDING',
			links: { pc_link: 'https://erp.example.com/pr/1' },
			title: '@i18n@title',
			form: [{ name: '@i18n@form_0_name', value: '@i18n@form_0_value' }],
			user_id: 'u_initiator',
			start_time: String(T0),
			end_time: '0',
			update_time: String(T0),
			update_mode: 'REPLACE',
		});
		expect(body.task_list).toEqual([
			{ task_id: 'PR-1-a', user_id: 'u_a', status: 'PENDING', links: { pc_link: 'https://erp.example.com/pr/1' }, create_time: String(T0), end_time: '0', update_time: String(T0), title: '@i18n@task_0_title' },
			{ task_id: 'PR-1-b', user_id: 'u_b', status: 'PENDING', links: { pc_link: 'https://erp.example.com/pr/1' }, create_time: String(T0), end_time: '0', update_time: String(T0) },
		]);
		expect(body.i18n_resources).toHaveLength(1);
		expect(body.i18n_resources[0]).toMatchObject({ locale: 'zh-CN', is_default: true });
		expect(body.i18n_resources[0].texts).toHaveLength(4);
		expect(body.i18n_resources[0].texts).toEqual(
			expect.arrayContaining([
				{ key: '@i18n@title', value: 'Purchase PR-1' },
				{ key: '@i18n@form_0_name', value: 'Amount' },
				{ key: '@i18n@form_0_value', value: '1200 CNY' },
				{ key: '@i18n@task_0_title', value: 'Manager' },
			]),
		);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ instance_id: 'PR-1', applied: true, process_record: { instance: { insert_num: 1 } } });
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('Should read ISO text, epoch milliseconds and n8n dates, and default the update time to now', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({
			credential: app,
			parameters: fields({
				status: 'APPROVED',
				options: { startTime: '2026-11-01T08:00:00Z', endTime: '={{ $now }}' },
				tasks: { task: [{ taskId: 'PR-1-a', userId: 'u_a', status: 'APPROVED', createTime: String(T0), updateTime: '2026-11-01T09:30:00.000+08:00' }] },
			}),
		});

		expect(error).toBeUndefined();
		const body = syncs()[0].body as Record<string, any>;
		expect(body.start_time).toBe(String(Date.UTC(2026, 10, 1, 8)));
		expect(body.end_time).toMatch(/^\d{13}$/);
		expect(body.update_time).toMatch(/^\d{13}$/);
		expect(Number(body.update_time)).toBeGreaterThan(T0);
		expect(body.task_list[0]).toMatchObject({ create_time: String(T0), update_time: String(Date.UTC(2026, 10, 1, 1, 30)), end_time: String(Date.UTC(2026, 10, 1, 1, 30)) });
	});

	test('Should write the texts under the chosen locale', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		await runWorkflow({ credential: app, parameters: fields({ options: { updateTime: String(T0), locale: 'en-US' } }) });

		expect((syncs()[0].body as any).i18n_resources.map((r: { locale: string; is_default: boolean }) => [r.locale, r.is_default])).toEqual([['en-US', true]]);
	});

	test('Should send the JSON body as given after checking it', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		const body = {
			approval_code: 'purchase_request',
			instance_id: 'PR-J',
			status: 'PENDING',
			links: { mobile_link: 'https://m.example.com/pr/J' },
			user_id: 'u_initiator',
			start_time: String(T0),
			end_time: '0',
			update_time: String(T0),
			extra: '{"business_key":"PR-J"}',
			task_list: [],
			i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [] }],
		};

		const { error, items } = await runWorkflow({ credential: app, parameters: { resource: 'externalInstance', operation: 'upsert', dataMode: 'json', json: JSON.stringify(body) } });

		expect(error).toBeUndefined();
		expect(syncs().map((r) => r.body)).toEqual([body]);
		expect(items[0].json).toMatchObject({ instance_id: 'PR-J', applied: true });
	});

	test('Should say applied false when an UPDATE is not newer than what Feishu holds', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({ credential: app, parameters: fields() });
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			parameters: fields({ updateMode: 'UPDATE', tasks: { task: [{ taskId: 'PR-1-a', userId: 'u_a', status: 'REJECTED' }] } }),
		});

		expect(syncs()).toHaveLength(1);
		expect(items[0].json.applied).toBe(false);
		expect(env.sandbox.storedInstance('PR-1', app.appId)).toMatchObject({ task_list: [{ task_id: 'PR-1-a', status: 'PENDING' }, { task_id: 'PR-1-b' }] });
	});

	test('Should apply a newer UPDATE to the listed task only and keep the other', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({ credential: app, parameters: fields() });

		const { items } = await runWorkflow({
			credential: app,
			parameters: fields({ updateMode: 'UPDATE', options: { updateTime: String(T0 + 1000) }, tasks: { task: [{ taskId: 'PR-1-a', userId: 'u_a', status: 'REJECTED' }] } }),
		});

		expect(items[0].json).toMatchObject({ applied: true, process_record: { task: { update_num: 1 } } });
		const stored = env.sandbox.storedInstance('PR-1', app.appId) as { task_list: Array<{ task_id: string; status: string }> };
		expect(stored.task_list.map((t) => [t.task_id, t.status])).toEqual([
			['PR-1-a', 'REJECTED'],
			['PR-1-b', 'PENDING'],
		]);
	});

	test('Should sync each input item with its own parameters and pair each answer', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			items: [{ id: 'PR-7' }, { id: 'PR-8' }],
			parameters: fields({ instanceId: '={{ $json.id }}', tasks: { task: [{ taskId: '={{ $json.id + "-t" }}', userId: 'u_a', status: 'PENDING' }] } }),
		});

		expect(syncs().map((r) => (r.body as { instance_id: string }).instance_id)).toEqual(['PR-7', 'PR-8']);
		expect(items.map((i) => [i.json.instance_id, i.pairedItem])).toEqual([
			['PR-7', { item: 0 }],
			['PR-8', { item: 1 }],
		]);
	});

	const manyTasks = Array.from({ length: 301 }, (_, n) => ({ taskId: `t${n}`, userId: 'u', status: 'PENDING' }));
	const cases: Array<[string, INodeParameters, string]> = [
		['more than 300 tasks', { tasks: { task: manyTasks } }, 'Tasks (task_list) has 301 entries; at most 300 are allowed'],
		['form text over 2,048 characters', { form: { field: [{ name: 'Note', value: 'x'.repeat(2045) }] } }, 'Form (form) has 2049 characters'],
		['a status outside the enum', { status: '={{ "OPEN" }}' }, 'Status (status) "OPEN" is not one of PENDING'],
		['a task status outside the enum', { tasks: { task: [{ taskId: 't1', userId: 'u', status: '={{ "CANCELED" }}' }] } }, 'Tasks > Task 1 > Status (task_list[0].status) "CANCELED" is not one of'],
		['no link at all', { pcLink: '' }, 'PC Link / Mobile Link (links) needs a PC link or a mobile link'],
		['a task id equal to the instance id', { tasks: { task: [{ taskId: 'PR-1', userId: 'u', status: 'PENDING' }] } }, 'task_list[0].task_id) "PR-1" is already used by instance_id'],
		['two tasks with one id', { tasks: { task: [{ taskId: 't', userId: 'u', status: 'PENDING' }, { taskId: 't', userId: 'v', status: 'PENDING' }] } }, 'Tasks > Task 2 > Task ID'],
		['a task without an approver', { tasks: { task: [{ taskId: 't', status: 'PENDING' }] } }, 'Tasks > Task 1 > User ID'],
		// Expressions: n8n itself refuses to run a workflow with a required parameter left empty.
		['no initiator', { initiatorUserId: '={{ "" }}' }, 'Initiator User ID'],
		['no approval code', { approvalCode: '={{ "" }}' }, 'Approval Code (approval_code) is required'],
		['an update time in seconds', { options: { updateTime: '={{ 1764579600 }}' } }, 'Options > Update Time 1764579600 looks like epoch seconds'],
		['an update time that is not a time', { options: { updateTime: 'tomorrow' } }, 'Options > Update Time "tomorrow" is not a time'],
		['a form field without a name', { form: { field: [{ name: '', value: 'x' }] } }, 'Form > Field 1 > Name is required'],
		['JSON that is not an object', { dataMode: 'json', json: '[1]' }, 'JSON Body must be a JSON object'],
		['JSON that does not parse', { dataMode: 'json', json: '{"a":' }, 'JSON Body is not valid JSON'],
		['JSON with an extra that is not JSON', { dataMode: 'json', json: JSON.stringify({ approval_code: 'c', instance_id: 'i', status: 'PENDING', links: { pc_link: 'x' }, user_id: 'u', start_time: '1764579600000', end_time: '0', update_time: '1764579600000', extra: 'PR-1', i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [] }] }) }, 'JSON Body: extra must be a JSON object written as text'],
		['JSON with a plain text title', { dataMode: 'json', json: JSON.stringify({ approval_code: 'c', instance_id: 'i', status: 'PENDING', links: { pc_link: 'x' }, title: 'Hello', user_id: 'u', start_time: '1764579600000', end_time: '0', update_time: '1764579600000', i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [] }] }) }, 'JSON Body: title must be an i18n key'],
		['JSON with a key missing from i18n_resources', { dataMode: 'json', json: JSON.stringify({ approval_code: 'c', instance_id: 'i', status: 'PENDING', links: { pc_link: 'x' }, title: '@i18n@t', user_id: 'u', start_time: '1764579600000', end_time: '0', update_time: '1764579600000', i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [] }] }) }, 'JSON Body: title uses @i18n@t, which has no text'],
		['JSON with a cc sharing a task id', { dataMode: 'json', json: JSON.stringify({ approval_code: 'c', instance_id: 'i', status: 'PENDING', links: { pc_link: 'x' }, user_id: 'u', start_time: '1764579600000', end_time: '0', update_time: '1764579600000', task_list: [{ task_id: 'x', user_id: 'u', status: 'PENDING', links: { pc_link: 'x' }, create_time: '1764579600000', end_time: '0' }], cc_list: [{ cc_id: 'x', user_id: 'u', links: { pc_link: 'x' }, read_status: 'UNREAD', create_time: '1764579600000', update_time: '1764579600000' }], i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [] }] }) }, 'JSON Body: cc_list[0].cc_id "x" is already used by task_list[0].task_id'],
	];

	test.each(cases)('Should refuse %s, naming the field, with zero requests sent', async (_name, extra, message) => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error, items } = await runWorkflow({ credential: app, parameters: { ...fields(), ...extra } });

		expect(error?.message).toContain(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(items).toEqual([]);
		expect(env.sandbox.requests).toHaveLength(0);
	});

	test('Should check every item before the first request and name the bad one', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({ credential: app, items: [{ s: 'PENDING' }, { s: 'NOPE' }], parameters: fields({ status: '={{ $json.s }}' }) });

		expect(error?.context?.itemIndex).toBe(1);
		expect(env.sandbox.requests).toHaveLength(0);
	});

	test('Should show Feishu\'s refusal with its code and log id', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'code', code: 1390001, msg: 'param is invalid' }, 1, { path: INSTANCES_PATH });

		const { error } = await runWorkflow({ credential: app, parameters: fields() });

		expect(error?.message).toContain('(code 1390001)');
		expect(error?.description).toContain('Log ID');
		expect(syncs()).toHaveLength(1);
	});

	test('Should not send a REPLACE again after the connection was reset, since the first may have been applied', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'drop' }, 1, { path: INSTANCES_PATH });

		const { error } = await runWorkflow({ credential: app, parameters: fields() });

		expect(syncs()).toHaveLength(1);
		expect(error?.description).toContain('It was not sent again');
		expect(error?.description).toContain('Update Mode UPDATE');
	});

	test('Should retry an UPDATE after the connection was reset, since its update_time makes a repeat harmless', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'drop' }, 1, { path: INSTANCES_PATH });

		const { error, items } = await runWorkflow({ credential: app, parameters: fields({ updateMode: 'UPDATE' }) });

		expect(error).toBeUndefined();
		expect(syncs()).toHaveLength(2);
		expect(items[0].json.instance_id).toBe('PR-1');
	});

	test('Should retry a REPLACE that Feishu rate-limited, since the gateway refused it before it was applied', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'rateLimited', resetSeconds: 0.01 }, 1, { path: INSTANCES_PATH });

		const { error } = await runWorkflow({ credential: app, parameters: fields() });

		expect(error).toBeUndefined();
		expect(syncs().map((r) => r.status)).toEqual([429, 200]);
	});

	test('Should retry a REPLACE that Feishu answered 1395001 (try again later): Feishu says it did nothing', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'code', code: 1395001 }, 1, { path: INSTANCES_PATH });

		const { error, items } = await runWorkflow({ credential: app, parameters: fields() });

		expect(error).toBeUndefined();
		expect(syncs().map((r) => r.code)).toEqual([1395001, 0]);
		expect(items[0].json.instance_id).toBe('PR-1');
	});
});
