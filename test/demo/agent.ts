import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runTool } from '../helpers/runTool';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import type { DemoData, Sandbox } from '../sandbox';
import { shortTime, table } from './format';

// The demo's agent scene: the tool of examples/ai-agent-approvals.json, called through n8n-core's
// own tool path (as an AI Agent or MCP client reaches it) by a scripted model: the question, the
// tool call the model makes, the rows it gets back, and the answer it writes from them.

const EXAMPLE = resolve(__dirname, '../../examples/ai-agent-approvals.json');
const TOOL_NODE = 'Approval tasks of approvers';

export async function runAgentDemo(sandbox: Sandbox, credential: FeishuCredentialData, demo: DemoData): Promise<void> {
	const { nodes } = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { nodes: Array<{ name: string; parameters: INodeParameters }> };
	const parameters = nodes.find((n) => n.name === TOOL_NODE)!.parameters;
	const approver = demo.userIds[8];
	const question = `Which approvals are waiting for user ${approver}?`;
	const args = { user_ids: approver, status: 'PENDING' };

	sandbox.clearLog();
	const { report, answers, error } = await runTool({ credential, parameters, calls: [args], name: TOOL_NODE });
	if (error || !report) throw error ?? new Error('The tool did not run');
	const [answer] = answers[0] as IDataObject[];
	if (answer.error) throw new Error(`The tool answered an error: ${String(answer.error)}`);
	const rows = answer.rows as Array<Record<string, string>>;
	const names = new Map(demo.approvals.map((a) => [a.code, a.name]));

	console.log('\n== AI agent: a scripted model asks the Feishu Approval tool (examples/ai-agent-approvals.json)');
	console.log(`   user asks:   ${question}`);
	console.log(`   tool:        ${report.name}(${report.keys.join(', ')}): "${report.description.slice(0, 110)}…"`);
	console.log(`   model calls: ${report.name}(${JSON.stringify(args)})`);
	const bytes = rows.map((row) => Buffer.byteLength(JSON.stringify(row)));
	console.log(`   tool answers ${rows.length} rows (more_rows: ${String(answer.more_rows)}), at most ${Math.max(0, ...bytes)} bytes a row, from ${sandbox.listRequests().length} request to GET external_tasks\n`);
	console.log(table(rows, ['instance_id', 'approval_code', 'status', 'task_id', 'task_status', 'updated'], 6));
	const oldest = [...rows].sort((a, b) => a.updated.localeCompare(b.updated))[0];
	const kinds = [...new Set(rows.map((row) => names.get(row.approval_code) ?? row.approval_code))].join(', ');
	const reply = rows.length
		? `User ${approver} has ${rows.length} approvals waiting (${kinds}); the oldest, ${oldest.instance_id}, since ${shortTime(oldest.updated)}.`
		: `Nothing is waiting for user ${approver}.`;
	console.log(`\n   model answers: ${reply}`);
}
