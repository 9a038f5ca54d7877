import { request } from 'undici';

import type { DemoData, Sandbox } from '../sandbox';
import { TASKS_PATH, TOKEN_PATH } from '../sandbox';

// What the answers should be, asked of the sandbox directly (not through n8n or our node), so the
// end-to-end checks compare against an independent count rather than numbers pinned in a file.

interface Instance {
	instance_id: string;
	status: string;
	tasks: Array<{ id: string; status: string }>;
}

export async function listAll(sandbox: Sandbox, demo: DemoData, body: Record<string, unknown>): Promise<Instance[]> {
	const tokenAnswer = await request(`${sandbox.baseUrl}${TOKEN_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json; charset=utf-8' },
		body: JSON.stringify({ app_id: demo.appId, app_secret: demo.appSecret }),
	});
	const { tenant_access_token: token } = (await tokenAnswer.body.json()) as { tenant_access_token: string };
	const instances: Instance[] = [];
	let pageToken = '';
	for (;;) {
		const query = `page_size=500${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
		const answer = await request(`${sandbox.baseUrl}${TASKS_PATH}?${query}`, {
			method: 'GET',
			headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
			body: JSON.stringify(body),
		});
		const json = (await answer.body.json()) as { code: number; msg: string; data: { data: Instance[]; has_more: boolean; page_token?: string } };
		if (json.code !== 0) throw new Error(`Oracle query failed: ${json.code} ${json.msg}`);
		instances.push(...json.data.data);
		if (!json.data.has_more) return instances;
		pageToken = json.data.page_token ?? '';
	}
}

export const taskCount = (instances: Instance[]): number => instances.reduce((sum, i) => sum + Math.max(1, i.tasks.length), 0);
