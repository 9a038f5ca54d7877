import { Agent, request } from 'undici';
import type { ExternalInstanceSync, Sandbox, SandboxOptions, TaskStatus } from './index';
import { completeSync, INSTANCES_PATH, seedDemoData, startSandbox, TASKS_PATH, TOKEN_PATH } from './index';

// The sandbox against the official page (external_tasks_list.zh.md) and feishu-api.md, driven over
// real HTTP with undici, as the transport will drive it.

const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });
const opened: Sandbox[] = [];

afterEach(async () => {
	await Promise.all(opened.splice(0).map((sb) => sb.close()));
});
afterAll(async () => {
	await agent.close();
});

async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sb = await startSandbox(options);
	opened.push(sb);
	return sb;
}

interface Reply {
	status: number;
	headers: Awaited<ReturnType<typeof request>>['headers'];
	text: string;
	json: any;
}

async function call(
	sb: Sandbox,
	method: 'GET' | 'POST' | 'PUT',
	path: string,
	options: { token?: string; body?: unknown; rawBody?: string; query?: Record<string, string | number>; authorization?: string } = {},
): Promise<Reply> {
	const url = new URL(sb.baseUrl + path);
	for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	if (options.authorization !== undefined) headers.authorization = options.authorization;
	const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
	const res = await request(url, { method, headers, body, dispatcher: agent });
	const text = await res.body.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.statusCode, headers: res.headers, text, json };
}

let appCounter = 0;
// A fresh app per test, so no token or rate budget leaks between tests.
async function newApp(sb: Sandbox): Promise<{ appId: string; token: string }> {
	const appId = `cli_test_${++appCounter}`;
	sb.addApp(appId, 'secret');
	const reply = await call(sb, 'POST', TOKEN_PATH, { body: { app_id: appId, app_secret: 'secret' } });
	return { appId, token: reply.json.tenant_access_token };
}

const list = (sb: Sandbox, token: string, body: unknown, query: Record<string, string | number> = {}) =>
	call(sb, 'GET', TASKS_PATH, { token, body, query });

const CODE_A = 'E78F1022-A166-447C-8320-E151DA90D70F';
const CODE_B = '3B9C5A7E-1D24-4F6B-9E0A-7C8D2F41B6A3';

function instance(id: string, code: string, tasks: [string, string, TaskStatus][], time = 1700000000000): ExternalInstanceSync {
	return {
		approval_code: code,
		instance_id: id,
		status: 'PENDING',
		update_time: String(time),
		task_list: tasks.map(([taskId, userId, status]) => ({ task_id: taskId, user_id: userId, status, update_time: String(time) })),
	};
}

// n instances of CODE_A, each with one PENDING task.
function seedPending(sb: Sandbox, n: number): string[] {
	const ids = Array.from({ length: n }, (_, i) => `oa_${1000 + i}`);
	ids.forEach((id, i) => sb.syncInstance(instance(id, CODE_A, [[`t${i}`, 'u1', 'PENDING']])));
	return ids;
}

async function allPages(sb: Sandbox, token: string, body: unknown, pageSize: number): Promise<{ ids: string[]; pages: number }> {
	const ids: string[] = [];
	let pageToken: string | undefined;
	let pages = 0;
	for (;;) {
		const reply = await list(sb, token, body, { page_size: pageSize, ...(pageToken ? { page_token: pageToken } : {}) });
		expect(reply.json.code).toBe(0);
		pages++;
		ids.push(...reply.json.data.data.map((i: { instance_id: string }) => i.instance_id));
		if (!reply.json.data.has_more) return { ids, pages };
		pageToken = reply.json.data.page_token;
	}
}

describe('token exchange', () => {
	test('a known app and secret get a t- token with the configured expire', async () => {
		const sb = await sandbox({ tokenExpireSeconds: 5400 });
		sb.addApp('cli_a', 's');
		const reply = await call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'cli_a', app_secret: 's' } });
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({ code: 0, msg: 'ok', tenant_access_token: expect.stringMatching(/^t-[0-9a-f]+$/), expire: 5400 });
		expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
	});

	test('an unknown app id answers HTTP 200 with code 10003', async () => {
		const sb = await sandbox();
		const reply = await call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'cli_nobody', app_secret: 's' } });
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ code: 10003, msg: 'invalid param' });
	});

	test('a wrong secret answers HTTP 200 with code 10014', async () => {
		const sb = await sandbox();
		sb.addApp('cli_a', 's');
		const reply = await call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'cli_a', app_secret: 'wrong' } });
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ code: 10014, msg: 'app secret invalid' });
	});

	test('the same token comes back with its remaining expire while it has at least 30 minutes left', async () => {
		let t = 1_000_000;
		const sb = await sandbox({ now: () => t });
		sb.addApp('cli_a', 's');
		const exchange = () => call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'cli_a', app_secret: 's' } });
		const first = (await exchange()).json;
		t += 90 * 60 * 1000; // exactly 30 minutes left
		const second = (await exchange()).json;
		expect(second.tenant_access_token).toBe(first.tenant_access_token);
		expect(second.expire).toBe(30 * 60);
	});

	test('with less than 30 minutes left a new token comes and both stay valid until their own expiry', async () => {
		let t = 1_000_000;
		const sb = await sandbox({ now: () => t, rateLimit: false });
		sb.addApp('cli_a', 's');
		sb.syncInstance(instance('oa_1', CODE_A, [['t1', 'u1', 'PENDING']]));
		const exchange = () => call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'cli_a', app_secret: 's' } });
		const old = (await exchange()).json.tenant_access_token;
		t += 91 * 60 * 1000; // 29 minutes left
		const fresh = (await exchange()).json;
		expect(fresh.tenant_access_token).not.toBe(old);
		expect(fresh.expire).toBe(7200);
		expect((await list(sb, old, { instance_ids: ['oa_1'] })).json.code).toBe(0);
		t += 29 * 60 * 1000; // the old one has expired, the new one has not
		expect((await list(sb, old, { instance_ids: ['oa_1'] })).json.code).toBe(99991663);
		expect((await list(sb, fresh.tenant_access_token, { instance_ids: ['oa_1'] })).json.code).toBe(0);
	});

	test('GET on the token path answers a plain-text 404', async () => {
		const sb = await sandbox();
		const reply = await call(sb, 'GET', TOKEN_PATH);
		expect(reply.status).toBe(404);
		expect(reply.headers['content-type']).toMatch(/^text\/plain/);
		expect(reply.text).toBe('404 page not found');
	});
});

describe('routing', () => {
	test('an unknown path answers a plain-text 404', async () => {
		const sb = await sandbox();
		const reply = await call(sb, 'GET', '/open-apis/approval/v4/external_task');
		expect(reply.status).toBe(404);
		expect(reply.text).toBe('404 page not found');
	});

	test('POST on the list path answers a plain-text 404', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await call(sb, 'POST', TASKS_PATH, { token, body: { instance_ids: ['oa_1'] } });
		expect(reply.status).toBe(404);
		expect(reply.json).toBeUndefined();
	});
});

describe('authorization', () => {
	test('listing without a token answers 400 with 99991661', async () => {
		const sb = await sandbox();
		const reply = await call(sb, 'GET', TASKS_PATH, { body: { instance_ids: ['oa_1'] } });
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({ code: 99991661, msg: expect.stringMatching(/^Missing access token/) });
	});

	test('an Authorization header without "Bearer " answers 99991661', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await call(sb, 'GET', TASKS_PATH, { authorization: token, body: { instance_ids: ['oa_1'] } });
		expect(reply.json.code).toBe(99991661);
	});

	test('an expired token answers 400 with 99991663', async () => {
		let t = 0;
		const sb = await sandbox({ now: () => t, tokenExpireSeconds: 60 });
		const { token } = await newApp(sb);
		t += 60_000;
		const reply = await list(sb, token, { instance_ids: ['oa_1'] });
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({
			code: 99991663,
			msg: 'Invalid access token for authorization. Please make a request with token attached.',
		});
	});

	test('expireTokens invalidates every issued token and the next exchange issues a new one', async () => {
		const sb = await sandbox();
		const { appId, token } = await newApp(sb);
		sb.expireTokens();
		expect((await list(sb, token, { instance_ids: ['oa_1'] })).json.code).toBe(99991663);
		const again = await call(sb, 'POST', TOKEN_PATH, { body: { app_id: appId, app_secret: 'secret' } });
		expect(again.json.tenant_access_token).not.toBe(token);
		expect((await list(sb, again.json.tenant_access_token, { instance_ids: ['oa_1'] })).json.code).toBe(0);
	});

	test('an unknown token answers 99991663', async () => {
		const sb = await sandbox();
		const reply = await list(sb, 't-0123456789abcdef', { instance_ids: ['oa_1'] });
		expect(reply.json.code).toBe(99991663);
	});
});

describe('list validation', () => {
	const undocumented: [string, unknown][] = [
		['an empty body', {}],
		['status alone', { status: 'PENDING' }],
		['approval_codes alone', { approval_codes: [CODE_A] }],
		['user_ids without approval_codes', { user_ids: ['u1'], status: 'PENDING' }],
		['user_ids and approval_codes without status', { approval_codes: [CODE_A], user_ids: ['u1'] }],
		['instance_ids mixed with approval_codes and status', { instance_ids: ['oa_1'], approval_codes: [CODE_A], status: 'PENDING' }],
		['instance_ids with status', { instance_ids: ['oa_1'], status: 'PENDING' }],
		['instance_ids with user_ids', { instance_ids: ['oa_1'], user_ids: ['u1'] }],
		['empty instance_ids', { instance_ids: [] }],
		['empty approval_codes with status', { approval_codes: [], status: 'PENDING' }],
		['empty user_ids with approval_codes and status', { approval_codes: [CODE_A], user_ids: [], status: 'PENDING' }],
		['instance_ids that are not strings', { instance_ids: [1, 2] }],
		['a JSON array body', [CODE_A]],
	];

	test.each(undocumented)('%s answers 400 with 1390001 and no data', async (_name, body) => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 3);
		const reply = await list(sb, token, body);
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({ code: 1390001, msg: 'param is invalid' });
		expect(reply.json.data).toBeUndefined();
	});

	test('a body that is not JSON answers 1390001', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await call(sb, 'GET', TASKS_PATH, { token, rawBody: '{"instance_ids": [' });
		expect(reply.json.code).toBe(1390001);
	});

	test('no body at all counts as an empty body and answers 1390001', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await call(sb, 'GET', TASKS_PATH, { token });
		expect(reply.json.code).toBe(1390001);
	});

	test('more than 20 instance_ids answer 99992402 with a field violation', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const ids = Array.from({ length: 21 }, (_, i) => `oa_${i}`);
		const reply = await list(sb, token, { instance_ids: ids });
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({
			code: 99992402,
			msg: 'field validation failed',
			error: { field_violations: [{ field: 'instance_ids', value: '21', description: 'the max len is 20' }] },
		});
	});

	test('more than 20 approval_codes answer 99992402 with a field violation', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const codes = Array.from({ length: 21 }, (_, i) => `CODE-${i}`);
		const reply = await list(sb, token, { approval_codes: codes, status: 'PENDING' });
		expect(reply.json.code).toBe(99992402);
		expect(reply.json.error.field_violations).toEqual([{ field: 'approval_codes', value: '21', description: 'the max len is 20' }]);
	});

	test('exactly 20 instance_ids are accepted', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await list(sb, token, { instance_ids: Array.from({ length: 20 }, (_, i) => `oa_${i}`) });
		expect(reply.json.code).toBe(0);
	});

	test('page_size over 500 answers 99992402 naming page_size', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await list(sb, token, { instance_ids: ['oa_1'] }, { page_size: 501 });
		expect(reply.status).toBe(400);
		expect(reply.json.code).toBe(99992402);
		expect(reply.json.error.field_violations).toEqual([{ field: 'page_size', value: '501', description: 'the max value is 500' }]);
	});

	test.each(['0', '-1', '2.5', 'abc'])('page_size %s answers 99992402', async (pageSize) => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await list(sb, token, { instance_ids: ['oa_1'] }, { page_size: pageSize });
		expect(reply.json.code).toBe(99992402);
		expect(reply.json.error.field_violations[0]).toMatchObject({ field: 'page_size', value: pageSize });
	});

	test('page_size 500 is accepted', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		expect((await list(sb, token, { instance_ids: ['oa_1'] }, { page_size: 500 })).json.code).toBe(0);
	});

	test('a status that is not a task status answers 99992402 naming status', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await list(sb, token, { approval_codes: [CODE_A], status: 'CANCELED' });
		expect(reply.json.code).toBe(99992402);
		expect(reply.json.error.field_violations[0]).toMatchObject({ field: 'status', value: 'CANCELED' });
	});

	test('page_size defaults to 50', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 60);
		const reply = await list(sb, token, { approval_codes: [CODE_A], status: 'PENDING' });
		expect(reply.json.data.data).toHaveLength(50);
		expect(reply.json.data.has_more).toBe(true);
	});
});

describe('pagination', () => {
	test('paging through several pages returns every seeded instance exactly once, in insertion order', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const seeded = seedPending(sb, 23);
		const { ids, pages } = await allPages(sb, token, { approval_codes: [CODE_A], status: 'PENDING' }, 5);
		expect(pages).toBe(5);
		expect(ids).toEqual(seeded);
	});

	test('the last page has has_more false and, as in the official example, a page token', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 3);
		const reply = await list(sb, token, { approval_codes: [CODE_A], status: 'PENDING' }, { page_size: 10 });
		expect(reply.json.data.has_more).toBe(false);
		expect(reply.json.data.data).toHaveLength(3);
		expect(typeof reply.json.data.page_token).toBe('string');
	});

	test('the last page token yields an empty page with has_more false', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 3);
		const body = { approval_codes: [CODE_A], status: 'PENDING' };
		const last = await list(sb, token, body, { page_size: 10 });
		const after = await list(sb, token, body, { page_size: 10, page_token: last.json.data.page_token });
		expect(after.json.code).toBe(0);
		expect(after.json.data.data).toEqual([]);
		expect(after.json.data.has_more).toBe(false);
	});

	test('with lastPageToken false the last page carries no page token', async () => {
		const sb = await sandbox({ lastPageToken: false });
		const { token } = await newApp(sb);
		seedPending(sb, 3);
		const reply = await list(sb, token, { approval_codes: [CODE_A], status: 'PENDING' }, { page_size: 2 });
		expect(reply.json.data.page_token).toEqual(expect.any(String));
		const last = await list(sb, token, { approval_codes: [CODE_A], status: 'PENDING' }, { page_size: 2, page_token: reply.json.data.page_token });
		expect(last.json.data).toEqual({ data: [expect.objectContaining({ instance_id: 'oa_1002' })], has_more: false });
	});

	test('a page token used with another body answers 1390001', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 5);
		const first = await list(sb, token, { approval_codes: [CODE_A], status: 'PENDING' }, { page_size: 2 });
		const reply = await list(sb, token, { approval_codes: [CODE_A], status: 'APPROVED' }, { page_size: 2, page_token: first.json.data.page_token });
		expect(reply.status).toBe(400);
		expect(reply.json.code).toBe(1390001);
	});

	test('a page token does not depend on the order of the lists in the body', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 5);
		const first = await list(sb, token, { approval_codes: [CODE_A, CODE_B], status: 'PENDING' }, { page_size: 2 });
		const next = await list(sb, token, { approval_codes: [CODE_B, CODE_A], status: 'PENDING' }, { page_size: 2, page_token: first.json.data.page_token });
		expect(next.json.code).toBe(0);
		expect(next.json.data.data.map((i: { instance_id: string }) => i.instance_id)).toEqual(['oa_1002', 'oa_1003']);
	});

	test('a garbage page token answers 1390001', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const reply = await list(sb, token, { instance_ids: ['oa_1'] }, { page_token: 'nF1ZXJ5VGhlbkZldGNoCgAAAAAA6PZwFmUzSldvTC1yU' });
		expect(reply.json.code).toBe(1390001);
	});

	test('a page token from another sandbox answers 1390001', async () => {
		const one = await sandbox();
		const two = await sandbox();
		const a = await newApp(one);
		const b = await newApp(two);
		seedPending(one, 3);
		seedPending(two, 3);
		const body = { approval_codes: [CODE_A], status: 'PENDING' };
		const first = await list(one, a.token, body, { page_size: 1 });
		expect((await list(two, b.token, body, { page_size: 1, page_token: first.json.data.page_token })).json.code).toBe(1390001);
	});

	test('a page token stays valid when instances are added between pages', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 4);
		const body = { approval_codes: [CODE_A], status: 'PENDING' };
		const first = await list(sb, token, body, { page_size: 2 });
		sb.syncInstance(instance('oa_new', CODE_A, [['tn', 'u1', 'PENDING']]));
		const second = await list(sb, token, body, { page_size: 2, page_token: first.json.data.page_token });
		expect(second.json.code).toBe(0);
		expect(second.json.data.data.map((i: { instance_id: string }) => i.instance_id)).toEqual(['oa_1002', 'oa_1003']);
		expect(second.json.data.has_more).toBe(true);
	});

	test('page tokens look opaque', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 5);
		const reply = await list(sb, token, { approval_codes: [CODE_A], status: 'PENDING' }, { page_size: 2 });
		expect(reply.json.data.page_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});
});

describe('filtering', () => {
	async function seeded() {
		const sb = await sandbox();
		const app = await newApp(sb);
		sb.syncInstance(instance('oa_1', CODE_A, [['t1', 'u1', 'APPROVED'], ['t2', 'u2', 'REJECTED']], 1700000001000));
		sb.syncInstance(instance('oa_2', CODE_A, [['t3', 'u1', 'PENDING'], ['t4', 'u2', 'PENDING']]));
		sb.syncInstance(instance('oa_3', CODE_B, [['t5', 'u1', 'REJECTED']]));
		sb.syncInstance(instance('oa_4', CODE_A, [['t6', 'u3', 'REJECTED']]));
		return { sb, token: app.token };
	}

	test('instance_ids returns those instances with all their tasks, in the documented shape', async () => {
		const { sb, token } = await seeded();
		const reply = await list(sb, token, { instance_ids: ['oa_1', 'oa_404'] });
		expect(reply.json.data.data).toEqual([
			{
				instance_id: 'oa_1',
				approval_id: expect.stringMatching(/^\d+$/),
				approval_code: CODE_A,
				status: 'PENDING',
				update_time: '1700000001000',
				tasks: [
					{ id: 't1', status: 'APPROVED', update_time: '1700000001000' },
					{ id: 't2', status: 'REJECTED', update_time: '1700000001000' },
				],
			},
		]);
	});

	test('the status filter returns instances of those approval codes with only the matching tasks', async () => {
		const { sb, token } = await seeded();
		const reply = await list(sb, token, { approval_codes: [CODE_A], status: 'REJECTED' });
		const data = reply.json.data.data;
		expect(data.map((i: { instance_id: string }) => i.instance_id)).toEqual(['oa_1', 'oa_4']);
		expect(data[0].tasks).toEqual([{ id: 't2', status: 'REJECTED', update_time: '1700000001000' }]);
	});

	test('the approvers filter returns only tasks of those users with that status', async () => {
		const { sb, token } = await seeded();
		const reply = await list(sb, token, { approval_codes: [CODE_A, CODE_B], user_ids: ['u1'], status: 'REJECTED' });
		const data = reply.json.data.data;
		expect(data.map((i: { instance_id: string }) => i.instance_id)).toEqual(['oa_3']);
		const pending = await list(sb, token, { approval_codes: [CODE_A], user_ids: ['u2'], status: 'PENDING' });
		expect(pending.json.data.data).toEqual([expect.objectContaining({ instance_id: 'oa_2', tasks: [expect.objectContaining({ id: 't4' })] })]);
	});

	test('approval_id is the same for every instance of an approval code and differs between codes', async () => {
		const { sb, token } = await seeded();
		const reply = await list(sb, token, { instance_ids: ['oa_1', 'oa_2', 'oa_3'] });
		const [a1, a2, b] = reply.json.data.data.map((i: { approval_id: string }) => i.approval_id);
		expect(a1).toBe(a2);
		expect(b).not.toBe(a1);
	});
});

describe('syncing instances', () => {
	test('POST external_instances stores the instance and answers it as stored', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const body = completeSync(instance('oa_9', CODE_A, [['t1', 'u1', 'PENDING']]));
		const reply = await call(sb, 'POST', INSTANCES_PATH, { token, body });
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ code: 0, msg: 'success', data: { data: body } });
		expect(sb.instanceCount()).toBe(1);
		expect((await list(sb, token, { instance_ids: ['oa_9'] })).json.data.data).toHaveLength(1);
	});

	test('REPLACE drops unlisted tasks', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		sb.syncInstance(instance('oa_1', CODE_A, [['t1', 'u1', 'PENDING'], ['t2', 'u2', 'PENDING']]));
		sb.syncInstance({ ...instance('oa_1', CODE_A, [['t2', 'u2', 'APPROVED']]), update_mode: 'REPLACE' });
		const tasks = (await list(sb, token, { instance_ids: ['oa_1'] })).json.data.data[0].tasks;
		expect(tasks).toEqual([{ id: 't2', status: 'APPROVED', update_time: '1700000000000' }]);
	});

	test('UPDATE keeps unlisted tasks and applies only newer update_time', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		sb.syncInstance(instance('oa_1', CODE_A, [['t1', 'u1', 'PENDING'], ['t2', 'u2', 'PENDING']], 2000));
		sb.syncInstance({ ...instance('oa_1', CODE_A, [['t1', 'u1', 'REJECTED']], 1000), status: 'REJECTED', update_mode: 'UPDATE' });
		sb.syncInstance({ ...instance('oa_1', CODE_A, [['t2', 'u2', 'APPROVED'], ['t3', 'u3', 'PENDING']], 3000), update_mode: 'UPDATE' });
		const got = (await list(sb, token, { instance_ids: ['oa_1'] })).json.data.data[0];
		expect(got.status).toBe('PENDING');
		expect(got.update_time).toBe('3000');
		expect(got.tasks).toEqual([
			{ id: 't1', status: 'PENDING', update_time: '2000' },
			{ id: 't2', status: 'APPROVED', update_time: '3000' },
			{ id: 't3', status: 'PENDING', update_time: '3000' },
		]);
	});

	test('a re-synced instance keeps its place in the listing order', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		seedPending(sb, 3);
		sb.syncInstance(instance('oa_1000', CODE_A, [['t0', 'u1', 'PENDING']], 1800000000000));
		const { ids } = await allPages(sb, token, { approval_codes: [CODE_A], status: 'PENDING' }, 50);
		expect(ids).toEqual(['oa_1000', 'oa_1001', 'oa_1002']);
	});

	test('syncing without a required field answers 400 with 1390001', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const body: Partial<ExternalInstanceSync> = instance('oa_1', CODE_A, []);
		delete body.update_time;
		const reply = await call(sb, 'POST', INSTANCES_PATH, { token, body });
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({ code: 1390001, msg: 'param is invalid' });
		expect(sb.instanceCount()).toBe(0);
	});

	test('syncing without a token answers 99991661', async () => {
		const sb = await sandbox();
		const reply = await call(sb, 'POST', INSTANCES_PATH, { body: instance('oa_1', CODE_A, []) });
		expect(reply.json.code).toBe(99991661);
	});

	test('syncInstance in process throws on invalid input', async () => {
		const sb = await sandbox();
		expect(() => sb.syncInstance({ ...instance('oa_1', CODE_A, []), status: 'NOPE' as never })).toThrow(/param is invalid/);
	});
});

describe('log ids and the request log', () => {
	test('every answer carries a distinct X-Tt-Logid, and JSON errors repeat it with a troubleshooter link', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const replies = [
			await call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'nobody' } }),
			await list(sb, token, { instance_ids: ['oa_1'] }),
			await list(sb, token, {}),
			await call(sb, 'GET', '/nowhere'),
		];
		const logIds = replies.map((r) => r.headers['x-tt-logid']);
		for (const id of logIds) expect(id).toMatch(/^\d{14}[0-9A-F]{20}$/);
		expect(new Set(logIds).size).toBe(logIds.length);
		expect(replies[2].json.error).toEqual({
			log_id: logIds[2],
			troubleshooter: expect.stringContaining(`https://open.feishu.cn/search?from=openapi&log_id=${logIds[2]}&code=1390001&method_id=`),
		});
	});

	test('the request log records method, path, query, body, status, code, app and log id in arrival order', async () => {
		const sb = await sandbox();
		const { appId, token } = await newApp(sb);
		const reply = await list(sb, token, { instance_ids: ['oa_1'] }, { page_size: 7 });
		await list(sb, token, { status: 'PENDING' });
		expect(sb.requests).toHaveLength(3);
		expect(sb.tokenRequests()).toEqual([expect.objectContaining({ status: 200, code: 0, appId, body: { app_id: appId, app_secret: 'secret' } })]);
		const [ok, bad] = sb.listRequests();
		expect(ok).toMatchObject({
			method: 'GET',
			path: TASKS_PATH,
			query: { page_size: '7' },
			rawBody: '{"instance_ids":["oa_1"]}',
			body: { instance_ids: ['oa_1'] },
			appId,
			status: 200,
			code: 0,
			logId: reply.headers['x-tt-logid'],
		});
		expect(ok.headers.authorization).toBe(`Bearer ${token}`);
		expect(bad).toMatchObject({ status: 400, code: 1390001 });
	});

	test('clearLog empties the live log in place', async () => {
		const sb = await sandbox();
		const log = sb.requests;
		await newApp(sb);
		sb.clearLog();
		expect(log).toHaveLength(0);
		await call(sb, 'GET', '/nowhere');
		expect(log).toEqual([expect.objectContaining({ path: '/nowhere', status: 404 })]);
		// Not JSON, so no Feishu code.
		expect(log[0].code).toBeUndefined();
	});
});

describe('fault injection', () => {
	async function withFault(...args: Parameters<Sandbox['injectFault']>) {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		sb.injectFault(...args);
		return { sb, token, reply: await list(sb, token, { instance_ids: ['oa_1'] }) };
	}

	test('an http 500 fault answers 500 with a JSON body', async () => {
		const { sb, reply } = await withFault({ type: 'http', status: 500 });
		expect(reply.status).toBe(500);
		expect(reply.json).toMatchObject({ code: 500, msg: 'Internal Server Error' });
		expect(sb.listRequests()[0]).toMatchObject({ fault: 'http', status: 500 });
	});

	test.each([502, 503])('an http %i fault answers an HTML gateway page', async (status) => {
		const { reply } = await withFault({ type: 'http', status });
		expect(reply.status).toBe(status);
		expect(reply.headers['content-type']).toBe('text/html');
		expect(reply.text).toContain(`${status} `);
		expect(reply.json).toBeUndefined();
		expect(reply.headers['x-tt-logid']).toEqual(expect.any(String));
	});

	test('a code fault answers that code at HTTP 400 by default', async () => {
		const { reply } = await withFault({ type: 'code', code: 1395001 });
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({ code: 1395001, msg: 'some errors, try again later', error: { log_id: reply.headers['x-tt-logid'] } });
	});

	test('a code fault takes its msg and HTTP status from the fault', async () => {
		const { reply } = await withFault({ type: 'code', code: 1500, msg: 'boom', httpStatus: 200 });
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ code: 1500, msg: 'boom' });
	});

	test('a rateLimited fault answers 429 with 99991400 and the x-ogw headers', async () => {
		const { reply } = await withFault({ type: 'rateLimited', resetSeconds: 3 });
		expect(reply.status).toBe(429);
		expect(reply.json).toMatchObject({ code: 99991400, msg: 'request trigger frequency limit' });
		expect(reply.headers['x-ogw-ratelimit-limit']).toBe('50');
		expect(reply.headers['x-ogw-ratelimit-reset']).toBe('3');
	});

	test('a rateLimited fault without resetSeconds says 1 second, and null omits the header', async () => {
		const { sb, token, reply } = await withFault({ type: 'rateLimited' });
		expect(reply.headers['x-ogw-ratelimit-reset']).toBe('1');
		sb.injectFault({ type: 'rateLimited', resetSeconds: null });
		const bare = await list(sb, token, { instance_ids: ['oa_1'] });
		expect(bare.status).toBe(429);
		expect(bare.headers['x-ogw-ratelimit-reset']).toBeUndefined();
	});

	test('a permission fault answers 99991672 naming the scopes', async () => {
		const { reply } = await withFault({ type: 'permission' });
		expect(reply.status).toBe(400);
		expect(reply.json.code).toBe(99991672);
		const violations = reply.json.error.permission_violations;
		expect(violations.length).toBeGreaterThanOrEqual(2);
		expect(violations[0]).toMatchObject({ type: 'action_scope_required', subject: 'approval:external_task', description: expect.any(String) });
	});

	test('a fieldValidation fault answers 99992402 with field violations', async () => {
		const { reply } = await withFault({ type: 'fieldValidation' });
		expect(reply.json).toMatchObject({
			code: 99992402,
			msg: 'field validation failed',
			error: { field_violations: [{ field: 'page_size', value: '9999', description: expect.any(String) }] },
		});
	});

	test('a notFound fault answers the plain-text 404', async () => {
		const { reply } = await withFault({ type: 'notFound' });
		expect(reply.status).toBe(404);
		expect(reply.text).toBe('404 page not found');
	});

	test('a delay fault still answers normally', async () => {
		const { sb, reply } = await withFault({ type: 'delay', ms: 20 });
		expect(reply.status).toBe(200);
		expect(reply.json.code).toBe(0);
		expect(sb.listRequests()[0]).toMatchObject({ fault: 'delay', status: 200, code: 0 });
	});

	test('a stale delay fault answers with the data as it was when the request arrived', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		sb.syncInstance(instance('oa_stale', CODE_A, [['t1', 'u1', 'PENDING']]));
		sb.injectFault({ type: 'delay', ms: 200, stale: true });
		const held = list(sb, token, { instance_ids: ['oa_stale'] });
		// Wait for the server to hold the request (an event, not a duration), then change the data.
		while (sb.listRequests().length === 0) await new Promise((r) => setTimeout(r, 5));
		sb.syncInstance(instance('oa_stale', CODE_A, [['t1', 'u1', 'REJECTED']], 1700000009000));

		const reply = await held;

		expect(reply.json.data.data[0].tasks[0].status).toBe('PENDING');
		expect((await list(sb, token, { instance_ids: ['oa_stale'] })).json.data.data[0].tasks[0].status).toBe('REJECTED');
	});

	test('a drop fault closes the connection without an answer', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		sb.injectFault({ type: 'drop' });
		await expect(list(sb, token, { instance_ids: ['oa_1'] })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
		expect(sb.listRequests()[0]).toMatchObject({ fault: 'drop', status: 0 });
		expect((await list(sb, token, { instance_ids: ['oa_1'] })).status).toBe(200);
	});

	test('closing the sandbox ends a request held by a delay fault', async () => {
		const sb = await startSandbox();
		const { token } = await newApp(sb);
		sb.injectFault({ type: 'delay', ms: 60_000 });
		const pending = list(sb, token, { instance_ids: ['oa_1'] });
		// Wait for the server to hold the request (an event, not a duration).
		while (sb.listRequests().length === 0 || sb.listRequests()[0].fault !== 'delay') await new Promise((r) => setTimeout(r, 5));
		await sb.close();
		await expect(pending).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
		expect(sb.listRequests()[0].status).toBe(0);
	});

	test('faults hit the next N matching requests, in the order they were queued', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		sb.injectFault({ type: 'http', status: 500 }, 2);
		sb.injectFault({ type: 'code', code: 1395001 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await list(sb, token, { instance_ids: ['oa_1'] })).json.code);
		expect(statuses).toEqual([500, 500, 1395001, 0]);
		expect(sb.listRequests().map((r) => r.fault)).toEqual(['http', 'http', 'code', undefined]);
	});

	test('a fault with `after` lets that many matching requests through first', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		sb.injectFault({ type: 'http', status: 500 }, 1, { after: 2 });
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await list(sb, token, { instance_ids: ['oa_1'] })).status);
		expect(statuses).toEqual([200, 200, 500, 200]);
	});

	test('a json fault answers the scripted body', async () => {
		const sb = await sandbox();
		const { token } = await newApp(sb);
		const body = { code: 0, msg: 'success', data: { data: [], page_token: 'again', has_more: true } };
		sb.injectFault({ type: 'json', body });
		const answer = await list(sb, token, { instance_ids: ['oa_1'] });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(body);
		expect(sb.listRequests()[0]).toMatchObject({ fault: 'json', code: 0 });
	});

	test('faults come before the token check', async () => {
		const sb = await sandbox();
		sb.injectFault({ type: 'code', code: 1500 });
		const reply = await call(sb, 'GET', TASKS_PATH, { body: { instance_ids: ['oa_1'] } });
		expect(reply.json.code).toBe(1500);
	});

	test('a fault matched to the token path leaves the list path alone', async () => {
		const sb = await sandbox();
		sb.addApp('cli_a', 's');
		sb.injectFault({ type: 'http', status: 503 }, 1, { path: TOKEN_PATH });
		const failed = await call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'cli_a', app_secret: 's' } });
		expect(failed.status).toBe(503);
		const ok = await call(sb, 'POST', TOKEN_PATH, { body: { app_id: 'cli_a', app_secret: 's' } });
		expect((await list(sb, ok.json.tenant_access_token, { instance_ids: ['oa_1'] })).status).toBe(200);
		expect(sb.tokenRequests().map((r) => r.fault)).toEqual(['http', undefined]);
	});
});

describe('rate limit', () => {
	test('over perSecond the list answers 429 with 99991400 and the x-ogw headers', async () => {
		const t = 0;
		const sb = await sandbox({ rateLimit: { perSecond: 5, secondMs: 200, now: () => t } });
		const { token } = await newApp(sb);
		const codes = [];
		for (let i = 0; i < 6; i++) codes.push((await list(sb, token, { instance_ids: ['oa_1'] })).json.code);
		expect(codes).toEqual([0, 0, 0, 0, 0, 99991400]);
		const rejected = sb.listRequests()[5];
		expect(rejected.status).toBe(429);
		const reply = await list(sb, token, { instance_ids: ['oa_1'] });
		expect(reply.status).toBe(429);
		expect(reply.headers['x-ogw-ratelimit-limit']).toBe('5');
		// Scaled windows give the exact wait in seconds: the whole 200 ms window here.
		expect(reply.headers['x-ogw-ratelimit-reset']).toBe('0.2');
	});

	test('rejected requests take no slot', async () => {
		let t = 0;
		const sb = await sandbox({ rateLimit: { perSecond: 5, secondMs: 200, now: () => t } });
		const { token } = await newApp(sb);
		const send = async (n: number) => {
			const codes = [];
			for (let i = 0; i < n; i++) codes.push((await list(sb, token, { instance_ids: ['oa_1'] })).json.code);
			return codes;
		};
		expect(await send(5)).toEqual([0, 0, 0, 0, 0]);
		t = 100;
		expect(await send(3)).toEqual([99991400, 99991400, 99991400]);
		t = 200; // the first five left the window; had the rejected three counted, only two would pass
		expect(await send(6)).toEqual([0, 0, 0, 0, 0, 99991400]);
	});

	test('the perMinute window limits too', async () => {
		let t = 0;
		const sb = await sandbox({ rateLimit: { perSecond: 5, perMinute: 7, secondMs: 100, minuteMs: 6000, now: () => t } });
		const { token } = await newApp(sb);
		const codes = [];
		for (let i = 0; i < 10; i++) {
			codes.push((await list(sb, token, { instance_ids: ['oa_1'] })).json.code);
			t += 50;
		}
		expect(codes.filter((c) => c === 0)).toHaveLength(7);
		const last = sb.listRequests().at(-1)!;
		expect(last.code).toBe(99991400);
		const reply = await list(sb, token, { instance_ids: ['oa_1'] });
		expect(reply.headers['x-ogw-ratelimit-limit']).toBe('7');
	});

	test('with the real windows the reset header is whole seconds', async () => {
		const t = 0;
		const sb = await sandbox({ rateLimit: { perSecond: 2, now: () => t } });
		const { token } = await newApp(sb);
		await list(sb, token, { instance_ids: ['oa_1'] });
		await list(sb, token, { instance_ids: ['oa_1'] });
		const reply = await list(sb, token, { instance_ids: ['oa_1'] });
		expect(reply.status).toBe(429);
		expect(reply.headers['x-ogw-ratelimit-reset']).toBe('1');
	});

	test('a burst on the real clock lets exactly perSecond requests through', async () => {
		const sb = await sandbox({ rateLimit: { perSecond: 5, secondMs: 60_000 } });
		const { token } = await newApp(sb);
		const replies = await Promise.all(Array.from({ length: 8 }, () => list(sb, token, { instance_ids: ['oa_1'] })));
		expect(replies.filter((r) => r.status === 200)).toHaveLength(5);
		expect(replies.filter((r) => r.status === 429)).toHaveLength(3);
	});

	test('each app id has its own budget', async () => {
		const t = 0;
		const sb = await sandbox({ rateLimit: { perSecond: 1, now: () => t } });
		const one = await newApp(sb);
		const two = await newApp(sb);
		expect((await list(sb, one.token, { instance_ids: ['oa_1'] })).status).toBe(200);
		expect((await list(sb, two.token, { instance_ids: ['oa_1'] })).status).toBe(200);
		expect((await list(sb, one.token, { instance_ids: ['oa_1'] })).status).toBe(429);
	});

	test('the token exchange and the sync endpoint are not rate limited', async () => {
		const t = 0;
		const sb = await sandbox({ rateLimit: { perSecond: 1, now: () => t } });
		const { appId, token } = await newApp(sb);
		for (let i = 0; i < 3; i++) {
			expect((await call(sb, 'POST', TOKEN_PATH, { body: { app_id: appId, app_secret: 'secret' } })).json.code).toBe(0);
			expect((await call(sb, 'POST', INSTANCES_PATH, { token, body: completeSync(instance(`oa_${i}`, CODE_A, [])) })).json.code).toBe(0);
		}
	});

	test('requests with a bad token are answered before the limiter and take no slot', async () => {
		const t = 0;
		const sb = await sandbox({ rateLimit: { perSecond: 1, now: () => t } });
		const { token } = await newApp(sb);
		expect((await list(sb, 't-bad', { instance_ids: ['oa_1'] })).json.code).toBe(99991663);
		expect((await list(sb, token, { instance_ids: ['oa_1'] })).json.code).toBe(0);
	});

	test('rateLimit false never answers 429', async () => {
		const sb = await sandbox({ rateLimit: false });
		const { token } = await newApp(sb);
		const replies = await Promise.all(Array.from({ length: 60 }, () => list(sb, token, { instance_ids: ['oa_1'] })));
		expect(replies.every((r) => r.status === 200)).toBe(true);
	});
});

describe('demo data', () => {
	test('the demo app holds about 300 instances over four approvals with every instance and task status', async () => {
		const sb = await sandbox({ rateLimit: false });
		const demo = await seedDemoData(sb);
		expect(sb.instanceCount()).toBe(300);
		expect(demo.approvals.map((a) => a.name)).toEqual(['Leave request', 'Expense claim', 'Purchase order', 'Contract review']);
		for (const a of demo.approvals) expect(a.code).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
		const token = (await call(sb, 'POST', TOKEN_PATH, { body: { app_id: demo.appId, app_secret: demo.appSecret } })).json.tenant_access_token;

		const instanceStatuses = new Set<string>();
		for (let i = 0; i < demo.instanceIds.length; i += 20) {
			const reply = await list(sb, token, { instance_ids: demo.instanceIds.slice(i, i + 20) });
			for (const item of reply.json.data.data) instanceStatuses.add(item.status);
		}
		expect([...instanceStatuses].sort()).toEqual(['APPROVED', 'CANCELED', 'DELETED', 'HIDDEN', 'PENDING', 'REJECTED']);

		const codes = demo.approvals.map((a) => a.code);
		for (const status of ['PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'DONE']) {
			const reply = await list(sb, token, { approval_codes: codes, status }, { page_size: 1 });
			expect(reply.json.data.data).toHaveLength(1);
		}
		const byUser = await list(sb, token, { approval_codes: codes, user_ids: demo.userIds.slice(0, 2), status: 'PENDING' });
		expect(byUser.json.data.data.length).toBeGreaterThan(0);
	});

	test('the demo data is the same on every run', async () => {
		const one = await sandbox({ rateLimit: false });
		const two = await sandbox({ rateLimit: false });
		const a = await seedDemoData(one);
		const b = await seedDemoData(two);
		expect(b).toEqual(a);
		const fetch = async (sb: Sandbox) => {
			const token = (await call(sb, 'POST', TOKEN_PATH, { body: { app_id: a.appId, app_secret: a.appSecret } })).json.tenant_access_token;
			return (await list(sb, token, { instance_ids: a.instanceIds.slice(0, 20) })).json.data.data;
		};
		expect(await fetch(two)).toEqual(await fetch(one));
	});
});
