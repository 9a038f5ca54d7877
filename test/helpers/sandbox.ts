import { request } from 'undici';

import { closeAll } from '../../nodes/FeishuApproval/transport';
import type { Sandbox, SandboxOptions } from '../sandbox';
import { completeSync, startSandbox } from '../sandbox';
import type { FeishuCredentialData } from './runWorkflow';

/**
 * got's `withServer`, for jest: a fresh sandbox for the test file, closed with the transport's
 * pools in afterAll so jest exits cleanly.
 */
export function useSandbox(options: SandboxOptions = {}): { readonly sandbox: Sandbox } {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox(options);
	});
	afterAll(async () => {
		await closeAll();
		await sandbox?.close();
	});
	return {
		get sandbox() {
			if (!sandbox) throw new Error('The sandbox is not started yet');
			return sandbox;
		},
	};
}

let appCount = 0;

/**
 * A fresh app per test, in a tenant of its own (unless given), so no data, token cache or rate
 * budget leaks between tests.
 */
export function newApp(sandbox: Sandbox, secret = `secret-${Math.random().toString(36).slice(2)}`, tenant?: string): FeishuCredentialData {
	const appId = `cli_test_${process.pid}_${++appCount}`;
	sandbox.addApp(appId, secret, tenant ?? appId);
	return { region: 'custom', baseUrl: sandbox.baseUrl, appId, appSecret: secret };
}

export interface SeedTask {
	task_id: string;
	user_id: string;
	status: string;
	update_time: string;
}

export interface SeedInstance {
	approval_code: string;
	instance_id: string;
	status: string;
	update_time: string;
	task_list: SeedTask[];
	update_mode?: 'REPLACE' | 'UPDATE';
}

/** Builds `count` instances of one approval code, each with `tasksEach` tasks of `status`. */
export function makeInstances(approvalCode: string, count: number, status = 'PENDING', tasksEach = 1, prefix = 'inst'): SeedInstance[] {
	const base = Date.UTC(2026, 10, 1);
	return Array.from({ length: count }, (_, n) => ({
		approval_code: approvalCode,
		instance_id: `${prefix}_${approvalCode.slice(0, 4)}_${n}`,
		status: 'PENDING',
		update_time: String(base + n * 1000),
		task_list: Array.from({ length: tasksEach }, (_unused, t) => ({
			task_id: `${prefix}_${n}_task_${t}`,
			user_id: `user_${(n + t) % 7}`,
			status,
			update_time: String(base + n * 1000 + t),
		})),
	}));
}

async function tenantToken(sandbox: Sandbox, app: FeishuCredentialData): Promise<string> {
	const response = await request(`${sandbox.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
		method: 'POST',
		headers: { 'content-type': 'application/json; charset=utf-8' },
		body: JSON.stringify({ app_id: app.appId, app_secret: app.appSecret }),
	});
	const body = (await response.body.json()) as { tenant_access_token: string };
	return body.tenant_access_token;
}

/** Seeds through the sandbox's own sync endpoint, as a real third-party system feeds Feishu (seeds completed by `completeSync`). */
export async function syncInstances(sandbox: Sandbox, app: FeishuCredentialData, instances: SeedInstance[]): Promise<void> {
	const token = await tenantToken(sandbox, app);
	for (const instance of instances) {
		const response = await request(`${sandbox.baseUrl}/open-apis/approval/v4/external_instances`, {
			method: 'POST',
			headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
			body: JSON.stringify(completeSync(instance as never)),
		});
		const body = (await response.body.json()) as { code: number; msg: string };
		if (body.code !== 0) throw new Error(`Seeding ${instance.instance_id} failed: ${body.code} ${body.msg}`);
	}
}
