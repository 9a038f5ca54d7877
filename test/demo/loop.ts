import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runCodeForItem } from '../helpers/codeNode';
import { ACTION_TRIGGER, RESPOND_NODE, startWebhook } from '../helpers/runWebhook';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import { runWorkflow } from '../helpers/runWorkflow';
import type { Sandbox } from '../sandbox';
import { sendActionCallback } from '../sandbox';
import { table } from './format';

// The demo's last part: examples/approval-loop.json run node by node against the sandbox. The
// sandbox plays Feishu (Approval Center, the approver's press, the callback); the example's two
// "(stand-in)" Code nodes play the purchasing system, run as written (test/helpers/codeNode.ts).

interface ExampleNode {
	name: string;
	parameters: INodeParameters;
}

const EXAMPLE = resolve(__dirname, '../../examples/approval-loop.json');
const TOKEN = 'demo-callback-token-please-change';
const KEY = 'demo-callback-encrypt-key';

export async function runLoopDemo(sandbox: Sandbox, credential: FeishuCredentialData): Promise<void> {
	const { nodes } = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { nodes: ExampleNode[] };
	const node = (name: string) => nodes.find((n) => n.name === name)!.parameters;
	const run = async (parameters: INodeParameters, items?: IDataObject[]): Promise<IDataObject> => {
		const { items: output, error } = await runWorkflow({ credential, parameters, items });
		if (error) throw error;
		return output[0].json;
	};
	const stored = (instanceId: string) => {
		const instance = sandbox.storedInstance(instanceId) as { status: string; task_list: Array<{ task_id: string; status: string }> };
		return `instance ${instance.status}, task ${instance.task_list.map((t) => t.status).join(', ')}`;
	};

	console.log('\n== The approval loop (examples/approval-loop.json): form -> Feishu -> Approve/Reject -> your system -> Feishu');
	const hook = await startWebhook({ parameters: node(ACTION_TRIGGER), credential: { callbackToken: TOKEN, encryptKey: KEY }, respond: node(RESPOND_NODE) });
	try {
		console.log(`   Feishu Approval Action Trigger listening: ${hook.url} (Respond: using 'Respond to Feishu')`);
		const { error } = await runWorkflow({ credential, callbackCredential: { callbackToken: TOKEN, encryptKey: KEY }, parameters: { ...node('Create or update the approval definition'), actionCallbackUrl: hook.url } });
		if (error) throw error;
		console.log('   1. Definition purchase_request created, its Action Callback URL = the trigger\'s URL, with a token and an encrypt key');

		// The stand-in's store: the workflow's static data.
		const staticData: IDataObject = {};
		const requests: IDataObject[] = [];
		const submissions = [
			{ Item: '2 laptops', 'Amount (CNY)': 16000, press: 'APPROVE', reason: '同意' },
			{ Item: 'Team offsite', 'Amount (CNY)': 48000, press: 'REJECT', reason: 'Over budget this quarter' },
		];
		for (const [n, s] of submissions.entries()) {
			const submittedAt = new Date(Date.now() - 60_000 + n).toISOString();
			const form = { submittedAt, formMode: 'production', Item: s.Item, 'Amount (CNY)': s['Amount (CNY)'], Reason: '', 'Your Feishu user ID': 'u_requester', "Approver's Feishu user ID": 'u_manager' };
			const created = await run(node('Create Feishu approval instance'), [form]);
			await runCodeForItem(String(node('Keep the request in your system (stand-in)').jsCode), { json: created, paired: { 'New purchase request': form }, staticData });
			requests.push({ instance_id: created.instance_id, press: s.press, reason: s.reason });
		}
		console.log(`   2. Two form submissions -> two PENDING instances: ${requests.map((r) => `${String(r.instance_id)} (${stored(String(r.instance_id))})`).join('; ')}`);

		const rows: IDataObject[] = [];
		for (const request of requests) {
			const instanceId = String(request.instance_id);
			const press = await sandbox.pressAction({ instanceId, taskId: `${instanceId}-approver`, actionType: String(request.press), reason: String(request.reason), messageId: 7253010294417866753n });
			const decision = hook.output(ACTION_TRIGGER)[0];
			// "Record the decision in your system (stand-in)": it records the decision and answers with the request.
			const recorded = await runCodeForItem(String(node('Record the decision in your system (stand-in)').jsCode), { json: decision, staticData });
			const before = stored(instanceId);
			await run(node('Sync the decision to Feishu'), [recorded]);
			rows.push({ instance_id: instanceId, pressed: decision.action_type, reason: decision.reason, message_id: decision.message_id, callback: `${press.encrypted ? 'encrypted' : 'plain'}, HTTP ${press.status}`, before, after: stored(instanceId) });
		}
		console.log('   3. The approver presses in Feishu; the trigger decrypts, checks the token, your system records it,');
		console.log('      Respond to Feishu accepts (HTTP 200 within Feishu\'s 10 s), and the UPDATE sync moves the task:\n');
		console.log(table(rows, ['instance_id', 'pressed', 'reason', 'message_id', 'callback', 'before', 'after']));

		const forged = await sendActionCallback(hook.url, { action_type: 'APPROVE', user_id: 'u_attacker', approval_code: 'purchase_request', instance_id: String(requests[1].instance_id), task_id: 'x', token: 'guessed-token' }, { encryptKey: KEY });
		console.log(`\n   A forged callback (wrong token): HTTP ${forged.status} ${forged.text}; executions started: ${hook.executions.length} (2 presses, 0 for the forgery)`);
	} finally {
		await hook.close();
	}
}
