import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { createPoller } from '../helpers/runPoll';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

interface ExampleNode {
	name: string;
	type: string;
	parameters: INodeParameters & { assignments?: { assignments: Array<{ value: string }> } };
}

const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples/rejected-follow-up.json'), 'utf8')) as {
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
};
const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-feishu-approval.feishuApprovalTrigger')!;
const message = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.set')!;

describe('examples/rejected-follow-up.json', () => {
	const env = useSandbox();

	test('Should map only fields that the trigger\'s tasks output carries', async () => {
		const app = newApp(env.sandbox);
		const code = String(trigger.parameters.approvalCodes);
		const seed = makeInstances(code, 1, 'PENDING');
		await syncInstances(env.sandbox, app, seed);
		const poller = createPoller({ credential: app, parameters: trigger.parameters });
		await poller.poll();
		await syncInstances(env.sandbox, app, [{ ...seed[0], task_list: [{ ...seed[0].task_list[0], status: 'REJECTED', update_time: String(Date.UTC(2026, 10, 2)) }] }]);

		const [item] = (await poller.poll()) ?? [];

		const used = message.parameters.assignments!.assignments.flatMap((a) => [...a.value.matchAll(/\$json\.(\w+)/g)].map((m) => m[1]));
		expect(used.length).toBeGreaterThan(0);
		for (const field of used) expect(item.json[field]).toBeTruthy();
	});
});
