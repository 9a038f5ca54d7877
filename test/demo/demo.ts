// `npm run demo`: the Feishu sandbox with ~300 demo instances, a few workflows run through n8n's
// own engine (n8n-core's WorkflowExecute) with the Feishu Approval node, and what a user would see.
// Loopback only; no Feishu account needed.
import './env'; // first: n8n-core reads its settings when it loads

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { closeAll } from '../../nodes/FeishuApproval/transport';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import { runWorkflow } from '../helpers/runWorkflow';
import type { DemoData, Sandbox } from '../sandbox';
import { seedDemoData, startSandbox } from '../sandbox';
import type { Row } from './format';
import { shortTime, table, toCsv } from './format';
import { runAgentDemo } from './agent';
import { runLoopDemo } from './loop';

const CSV_PATH = resolve(__dirname, '../../out/feishu-approval-tasks.csv');
const TASK_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'DONE'];

interface Step {
	sandbox: Sandbox;
	credential: FeishuCredentialData;
	demo: DemoData;
}

/** Runs "Items -> Feishu Approval" in n8n's engine; fails loudly, as n8n would show a red node. */
async function run(step: Step, parameters: INodeParameters, items?: IDataObject[]): Promise<{ rows: Row[]; requests: number }> {
	step.sandbox.clearLog();
	const { items: output, error } = await runWorkflow({ credential: step.credential, parameters, items });
	if (error) throw error;
	return { rows: output.map((item) => item.json as Row), requests: step.sandbox.listRequests().length };
}

function heading(title: string, parameters: string, requests: number, count: number, what: string): void {
	console.log(`\n== ${title}`);
	console.log(`   ${parameters}`);
	console.log(`   ${count} ${what} from ${requests} request${requests === 1 ? '' : 's'} to GET external_tasks\n`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const sandbox = await startSandbox();
	try {
		const demo = await seedDemoData(sandbox);
		const credential: FeishuCredentialData = { region: 'custom', baseUrl: sandbox.baseUrl, appId: demo.appId, appSecret: demo.appSecret };
		const step: Step = { sandbox, credential, demo };
		const codes = demo.approvals.map((a) => a.code);
		const approvalName = new Map(demo.approvals.map((a) => [a.code, a.name]));
		const named = (rows: Row[]): Row[] => rows.map((row) => ({ ...row, approval: approvalName.get(String(row.approval_code)) ?? row.approval_code }));

		console.log('Feishu Approval node demo: n8n\'s workflow engine against a local Feishu sandbox');
		console.log(`Sandbox ${sandbox.baseUrl}: ${sandbox.instanceCount()} instances in ${demo.approvals.length} approval definitions`);
		console.log(`Credential "Feishu / Lark API": region Custom, base URL ${sandbox.baseUrl}, app ${demo.appId}`);

		// 1. Instance ids coming from a previous node, one per item, read with an expression.
		const ids = demo.instanceIds.slice(0, 6);
		const byIds = await run(step, { queryBy: 'instanceIds', instanceIds: '={{ $json.instanceId }}', output: 'instances' }, ids.map((instanceId) => ({ instanceId })));
		heading('Query by instance IDs: status of the instances your system knows', `6 input items, Instance IDs = {{ $json.instanceId }}, Output = Instances`, byIds.requests, byIds.rows.length, 'instances');
		const instanceRows = named(byIds.rows).map((row) => ({
			...row,
			tasks: (row.tasks as Array<{ status: string }>).map((t) => t.status).join(' > '),
			updated: shortTime(new Date(Number(row.update_time)).toISOString()),
		}));
		console.log(table(instanceRows, ['instance_id', 'approval', 'status', 'tasks', 'updated']));

		// 2. One approver's queue.
		const approver = demo.userIds[8];
		const queue = await run(step, { queryBy: 'approvers', approvalCodes: codes.join(','), userIds: approver, status: 'PENDING', returnAll: true, output: 'tasks' });
		heading(`Query by approvers: what user ${approver} still has to approve`, `Approval Codes = all 4, User IDs = ${approver}, Task Status = PENDING, Return All, Output = Tasks`, queue.requests, queue.rows.length, 'tasks');
		console.log(table(named(queue.rows).map((row) => ({ ...row, waiting_since: shortTime(row.task_update_time_iso) })), ['instance_id', 'approval', 'task_id', 'task_status', 'waiting_since'], 8));

		// 3. Status over approval definitions, with a limit.
		const approved = await run(step, { queryBy: 'status', approvalCodes: codes.join('\n'), status: 'APPROVED', returnAll: false, limit: 5, output: 'tasks' });
		heading('Query by status: approved tasks, the first 5 instances', 'Approval Codes = all 4, Task Status = APPROVED, Limit = 5, Output = Tasks', approved.requests, approved.rows.length, 'tasks');
		console.log(table(named(approved.rows).map((row) => ({ ...row, approved_at: shortTime(row.task_update_time_iso) })), ['instance_id', 'approval', 'instance_status', 'task_id', 'task_status', 'approved_at']));

		// 4. The follow-up list: every rejected task, newest first.
		const rejected = await run(step, { queryBy: 'status', approvalCodes: codes.join(','), status: 'REJECTED', returnAll: true, output: 'tasks' });
		heading('REJECTED follow-up list: every rejected task, newest first', 'Approval Codes = all 4, Task Status = REJECTED, Return All, Output = Tasks', rejected.requests, rejected.rows.length, 'rejected tasks');
		const newestFirst = named(rejected.rows).sort((a, b) => Number(b.task_update_time) - Number(a.task_update_time));
		console.log(table(newestFirst.map((row) => ({ ...row, rejected_at: shortTime(row.task_update_time_iso) })), ['instance_id', 'approval', 'task_id', 'rejected_at'], 12));

		// 5. Sheet-ready rows of every task: one input item per status, the status from an expression.
		const sheet = await run(
			step,
			{ queryBy: 'status', approvalCodes: codes.join(','), status: '={{ $json.status }}', returnAll: true, output: 'tasks' },
			TASK_STATUSES.map((status) => ({ status })),
		);
		mkdirSync(join(CSV_PATH, '..'), { recursive: true });
		writeFileSync(CSV_PATH, toCsv(sheet.rows));
		heading('Sync to a spreadsheet: every task as a flat row', `5 input items (one per status), Task Status = {{ $json.status }}, Return All, Output = Tasks`, sheet.requests, sheet.rows.length, 'rows');
		const perStatus = TASK_STATUSES.map((status) => ({ task_status: status, rows: sheet.rows.filter((row) => row.task_status === status).length }));
		console.log(table(perStatus, ['task_status', 'rows']));
		console.log(`\n  CSV written: ${CSV_PATH}`);
		console.log(`  columns: ${Object.keys(sheet.rows[0] ?? {}).join(', ')}`);

		// 6. The whole loop of examples/approval-loop.json, with the Action Trigger.
		await runLoopDemo(sandbox, credential);

		// 7. The node as an AI agent's tool, with a scripted model.
		await runAgentDemo(sandbox, credential, demo);

		console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Try the node in a real n8n: npm run sandbox, then see CONTRIBUTING.md "Trying the nodes without a tenant".`);
	} finally {
		await closeAll();
		await sandbox.close();
		// n8n-core starts a 60 s cleanup interval on the first node run; the app clears it on shutdown.
		Container.get(SSHClientsManager).onShutdown();
	}
}

main().then(
	() => process.exit(0),
	(error: Error & { description?: string }) => {
		console.error(`\nDemo failed: ${error.message}${error.description ? `\n${error.description}` : ''}`);
		process.exit(1);
	},
);
