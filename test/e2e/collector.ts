import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';

import { PACKAGE_NAME } from './communityPackage';

// The trigger scenarios' workflow, "Feishu Approval Trigger (REJECTED) → HTTP Request to a
// collector", and the collector itself: a server on loopback that records every item posted.

export interface Received {
	/** `<instance_id>/<task_id>@<task_update_time>`: one task update, one event. */
	key: string;
	status: string;
}

export interface Collector {
	url: string;
	received: Received[];
	close: () => Promise<void>;
}

export async function startCollector(): Promise<Collector> {
	const received: Received[] = [];
	const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString()));
		request.on('end', () => {
			try {
				const item = JSON.parse(body) as Record<string, string>;
				received.push({ key: `${item.instance_id}/${item.task_id}@${item.task_update_time}`, status: item.task_status });
			} catch {
				received.push({ key: `unparsable: ${body.slice(0, 200)}`, status: '' });
			}
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const { port } = server.address() as { port: number };
	return { url: `http://127.0.0.1:${port}/collect`, received, close: async () => await new Promise((closed) => server.close(() => closed())) };
}

/** Listed seconds: n8n refuses a `*` in the seconds field ("at least a minute") [seen: 2.8.4]. */
export const everySeconds = (seconds: number): string => `${Array.from({ length: 60 / seconds }, (_, n) => n * seconds).join(',')} * * * * *`;

export interface TriggerWorkflow {
	id: string;
	name: string;
	approvalCode: string;
	credential: { id: string; name: string };
	cron: string;
	collectorUrl: string;
}

/** Feishu Approval Trigger (REJECTED, Output tasks) → an HTTP Request posting each item to the collector. */
export function triggerWorkflow(workflow: TriggerWorkflow): object {
	return {
		id: workflow.id,
		name: workflow.name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${workflow.id}-trigger`,
				name: 'Feishu Approval Trigger',
				type: `${PACKAGE_NAME}.feishuApprovalTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: workflow.cron }] }, approvalCodes: workflow.approvalCode, status: 'REJECTED', output: 'tasks' },
				credentials: { feishuApi: workflow.credential },
			},
			{
				id: `${workflow.id}-record`,
				name: 'Record each item',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: { method: 'POST', url: workflow.collectorUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
			},
		],
		connections: { 'Feishu Approval Trigger': { main: [[{ node: 'Record each item', type: 'main', index: 0 }]] } },
	};
}
