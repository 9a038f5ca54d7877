import { Agent, request } from 'undici';
import type { Sandbox } from './index';
import { APPROVALS_PATH, CHECK_PATH, INSTANCES_PATH, startSandbox, TASKS_PATH, TOKEN_PATH } from './index';

// The third-party approval family's write endpoints against external-approval-family.md.

const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });
let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ rateLimit: false });
});
afterAll(async () => {
	await sb.close();
	await agent.close();
});

let appCounter = 0;
async function newToken(): Promise<string> {
	const appId = `cli_family_${++appCounter}`;
	sb.addApp(appId, 'secret', appId);
	const reply = await call('POST', TOKEN_PATH, '', { app_id: appId, app_secret: 'secret' });
	return reply.json.tenant_access_token;
}

async function call(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
	if (token) headers.authorization = `Bearer ${token}`;
	const res = await request(sb.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: agent });
	return { status: res.statusCode, json: await res.body.json() };
}

const zh = (texts: Record<string, string>) => [{ locale: 'zh-CN', is_default: true, texts: Object.entries(texts).map(([key, value]) => ({ key, value })) }];

function definition(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		approval_name: '@i18n@approval_name',
		approval_code: 'purchase',
		group_code: 'ops',
		group_name: '@i18n@group_name',
		external: { support_pc: true, support_mobile: true, action_callback_url: 'https://example.com/cb', action_callback_token: 'tok', action_callback_key: 'key' },
		i18n_resources: zh({ '@i18n@approval_name': 'Purchase', '@i18n@group_name': 'Operations' }),
		...extra,
	};
}

const link = { pc_link: 'https://example.com/p' };
function task(id: string, status: string, time: string, extra: Record<string, unknown> = {}) {
	return { task_id: id, user_id: `u_${id}`, status, links: link, create_time: '1000', end_time: status === 'PENDING' ? '0' : time, update_time: time, ...extra };
}
function instance(id: string, time: string, tasks: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		approval_code: 'purchase',
		instance_id: id,
		status: 'PENDING',
		links: link,
		user_id: 'initiator',
		start_time: '1000',
		end_time: '0',
		update_time: time,
		task_list: tasks,
		i18n_resources: zh({}),
		...extra,
	};
}

const violation = (reply: { json: any }) => reply.json.error?.field_violations?.[0]?.field;

describe('external approval definitions', () => {
	test('a created definition reads back with its callback token and key in clear', async () => {
		const token = await newToken();
		const created = await call('POST', APPROVALS_PATH, token, definition());
		expect(created.json).toEqual({ code: 0, msg: 'success', data: { approval_code: 'purchase' } });
		const got = await call('GET', `${APPROVALS_PATH}/purchase`, token);
		expect(got.json.data.external).toMatchObject({ action_callback_token: 'tok', action_callback_key: 'key' });
	});

	test('an unknown code answers 1390002 and a deleted one 1390016', async () => {
		const token = await newToken();
		expect((await call('GET', `${APPROVALS_PATH}/nope`, token)).json.code).toBe(1390002);
		await call('POST', APPROVALS_PATH, token, definition());
		sb.deleteApproval('purchase', `cli_family_${appCounter}`);
		const deleted = await call('GET', `${APPROVALS_PATH}/purchase`, token);
		expect([deleted.status, deleted.json.code, deleted.json.msg]).toEqual([400, 1390016, 'approval is deleted']);
	});

	test.each([
		['a name shorter than 9 characters', { approval_name: '@i18n@ab', i18n_resources: zh({ '@i18n@ab': 'x', '@i18n@group_name': 'g' }) }, 'approval_name'],
		['a name that is not an i18n key', { approval_name: 'Purchase request' }, 'approval_name'],
		['a code over 128 characters', { approval_code: 'c'.repeat(129) }, 'approval_code'],
		['support_pc and support_mobile both false', { external: {} }, 'external.support_pc'],
		['a new group without a name', { group_name: undefined }, 'group_name'],
		['201 viewers', { viewers: Array.from({ length: 201 }, () => ({ viewer_type: 'TENANT' })) }, 'viewers'],
		['an unknown locale', { i18n_resources: [{ locale: 'xx-XX', is_default: true, texts: [] }] }, 'i18n_resources[0].locale'],
		['a key missing from the default locale', { i18n_resources: zh({ '@i18n@approval_name': 'P' }) }, 'group_name'],
	])('a definition with %s answers 1390001 naming the field', async (_name, extra, field) => {
		const token = await newToken();
		const reply = await call('POST', APPROVALS_PATH, token, definition(extra));
		expect([reply.status, reply.json.code]).toEqual([400, 1390001]);
		expect(violation(reply)).toBe(field);
	});
});

describe('external instances', () => {
	test.each([
		['no link at all', { links: {} }, 'links'],
		['a status outside the enum', { status: 'DONE' }, 'status'],
		['301 tasks', { task_list: Array.from({ length: 301 }, (_, i) => task(`t${i}`, 'PENDING', '2000')) }, 'task_list'],
		['a form over 2,048 characters', { form: [{ name: '@i18n@n', value: '@i18n@v' }], i18n_resources: zh({ '@i18n@n': 'n', '@i18n@v': 'v'.repeat(2048) }) }, 'form'],
		['no initiator', { user_id: undefined }, 'initiator.user_id'],
		['a task without create_time', { task_list: [task('t1', 'PENDING', '2000', { create_time: undefined })] }, 'task_list[0].create_time'],
		['a time in seconds as a number', { update_time: 1700000000 }, 'update_time'],
		['no i18n_resources', { i18n_resources: undefined }, 'i18n_resources'],
	])('an instance with %s answers 1390001 naming the field', async (_name, extra, field) => {
		const token = await newToken();
		const reply = await call('POST', INSTANCES_PATH, token, instance('i1', '2000', [], extra));
		expect([reply.status, reply.json.code]).toEqual([400, 1390001]);
		expect(violation(reply)).toBe(field);
	});

	test('REPLACE makes the request the whole truth and counts what it deleted', async () => {
		const token = await newToken();
		await call('POST', INSTANCES_PATH, token, instance('i1', '2000', [task('t1', 'PENDING', '2000'), task('t2', 'PENDING', '2000')]));
		const reply = await call('POST', INSTANCES_PATH, token, instance('i1', '1000', [task('t2', 'APPROVED', '1000')]));
		expect(reply.json.data.process_record).toEqual({
			instance: { insert_num: 0, update_num: 1, delete_num: 0 },
			task: { insert_num: 0, update_num: 1, delete_num: 1 },
			cc: { insert_num: 0, update_num: 0, delete_num: 0 },
		});
		const listed = await call('GET', TASKS_PATH, token, { instance_ids: ['i1'] });
		expect(listed.json.data.data[0].tasks).toEqual([{ id: 't2', status: 'APPROVED', update_time: '1000' }]);
	});

	test('UPDATE with a stamp equal to the stored one changes nothing and says so', async () => {
		const token = await newToken();
		await call('POST', INSTANCES_PATH, token, instance('i1', '2000', [task('t1', 'PENDING', '2000')]));
		const reply = await call('POST', INSTANCES_PATH, token, instance('i1', '2000', [task('t1', 'REJECTED', '3000')], { update_mode: 'UPDATE', status: 'REJECTED' }));
		expect(reply.json.code).toBe(0);
		expect(reply.json.data.process_record.instance.update_num).toBe(0);
		expect(reply.json.data.process_record.task.update_num).toBe(0);
		expect(sb.storedInstance('i1', `cli_family_${appCounter}`)).toMatchObject({ status: 'PENDING', task_list: [{ status: 'PENDING' }] });
	});

	test('UPDATE applies each task only when its own stamp is newer, keeps unsent tasks and frozen fields', async () => {
		const token = await newToken();
		await call('POST', INSTANCES_PATH, token, instance('i1', '2000', [task('t1', 'PENDING', '2000'), task('t2', 'PENDING', '2000'), task('t3', 'PENDING', '2000')]));
		const reply = await call(
			'POST',
			INSTANCES_PATH,
			token,
			instance('i1', '3000', [task('t1', 'REJECTED', '3000', { user_id: 'someone_else' }), task('t2', 'APPROVED', '1500')], { update_mode: 'UPDATE' }),
		);
		expect(reply.json.data.process_record.task).toEqual({ insert_num: 0, update_num: 1, delete_num: 0 });
		const stored = sb.storedInstance('i1', `cli_family_${appCounter}`) as { task_list: Array<Record<string, string>> };
		expect(stored.task_list.map((t) => [t.task_id, t.status, t.user_id])).toEqual([
			['t1', 'REJECTED', 'u_t1'],
			['t2', 'PENDING', 'u_t2'],
			['t3', 'PENDING', 'u_t3'],
		]);
	});
});

describe('checking instances', () => {
	test('unknown instances come back as "0", stale ones with the stored stamps, current ones not at all', async () => {
		const token = await newToken();
		await call('POST', INSTANCES_PATH, token, instance('i1', '2000', [task('t1', 'PENDING', '2000'), task('t2', 'PENDING', '2000')]));
		await call('POST', INSTANCES_PATH, token, instance('i2', '2000', [task('t3', 'PENDING', '2000')]));
		const reply = await call('POST', CHECK_PATH, token, {
			instances: [
				{ instance_id: 'i0', update_time: '2000', tasks: [{ task_id: 'x', update_time: '2000' }] },
				{ instance_id: 'i1', update_time: '2000', tasks: [{ task_id: 't1', update_time: '2500' }, { task_id: 't2', update_time: '2000' }, { task_id: 't9', update_time: '2000' }] },
				{ instance_id: 'i2', update_time: '2000', tasks: [{ task_id: 't3', update_time: '2000' }] },
			],
		});
		expect(reply.json.data.diff_instances).toEqual([
			{ instance_id: 'i0', update_time: '0', tasks: [] },
			{ instance_id: 'i1', update_time: '2000', tasks: [{ task_id: 't1', update_time: '2000' }, { task_id: 't9', update_time: '0' }] },
		]);
	});

	test('a check without tasks answers 1390001', async () => {
		const token = await newToken();
		const reply = await call('POST', CHECK_PATH, token, { instances: [{ instance_id: 'i1', update_time: '1' }] });
		expect([reply.json.code, violation(reply)]).toEqual([1390001, 'instances[0].tasks']);
	});
});
