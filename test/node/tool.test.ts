import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { definitionParameters } from '../helpers/fixtures';
import { runWorkflow } from '../helpers/runWorkflow';
import { runTool, toolDescriptionFor, toolType } from '../helpers/runTool';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

// The tool form (`feishuApprovalTool`) through n8n-core's own tool path: the description and
// $fromAI schema the model sees, the rows it gets, and failures as text it can act on.

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const ROW_KEYS = ['approval_code', 'instance_id', 'status', 'task_id', 'task_status', 'updated'];

const byStatus: INodeParameters = {
	resource: 'externalTask',
	operation: 'getAll',
	queryBy: 'status',
	approvalCodes: "={{ $fromAI('approval_codes', 'Approval codes, comma-separated', 'string') }}",
	status: "={{ $fromAI('status', 'PENDING, APPROVED, REJECTED, TRANSFERRED or DONE', 'string') }}",
	maxRows: "={{ $fromAI('max_rows', 'Most rows to return', 'number', 20) }}",
};

const rowsOf = (answer: IDataObject[] | { thrown: string }): IDataObject => {
	expect(answer).toEqual([expect.any(Object)]);
	return (answer as IDataObject[])[0];
};

describe('Feishu Approval as a tool', () => {
	const env = useSandbox({ rateLimit: false });

	test('Should describe each query mode for a model: what it answers, statuses, what inputs look like', () => {
		const descriptions = ['instanceIds', 'approvers', 'status'].map((queryBy) => toolDescriptionFor({ resource: 'externalTask', operation: 'getAll', queryBy }));
		for (const text of descriptions) {
			expect(text).toMatch(/PENDING, APPROVED, REJECTED, TRANSFERRED or DONE/);
			expect(text).toMatch(/Read-only/);
			expect(text).toMatch(/more rows exist/);
			expect(text.length).toBeLessThan(400);
		}
		expect(descriptions[0]).toMatch(/instance IDs .*e\.g\. oa_159160304/);
		expect(descriptions[1]).toMatch(/user_id \(e\.g\. 5d9bdxxx\)/);
		expect(descriptions[2]).toMatch(/approval codes \(e\.g\. E78F1022-A166-447C-8320-E151DA90D70F\)/);
		expect(toolDescriptionFor({ resource: 'externalApproval', operation: 'get' })).toMatch(/approval code .*Read-only/);
		expect(toolDescriptionFor({ resource: 'externalInstance', operation: 'check' })).toMatch(/up_to_date.*Read-only/);
		expect(toolDescriptionFor({ resource: 'externalInstance', operation: 'upsert' })).toMatch(/^WRITES to Feishu/);
		expect(toolDescriptionFor({ resource: 'externalApproval', operation: 'upsert' })).toMatch(/^WRITES to Feishu/);
		// A description the user wrote wins, as in any n8n tool.
		expect(toolDescriptionFor({ resource: 'externalTask', operation: 'getAll', queryBy: 'status', toolDescription: 'Mine' })).toBe('Mine');
	});

	test('Should not offer Respond to Feishu in the tool form, and keep it in the node', () => {
		const resourceValues = (tool: boolean) => {
			const type = tool ? toolType().description : new (jest.requireActual('../../nodes/FeishuApproval/FeishuApproval.node').FeishuApproval)().description;
			return type.properties
				.filter((p: { name: string }) => p.name === 'resource')
				.filter((p: Parameters<typeof NodeHelpers.displayParameter>[1]) => NodeHelpers.displayParameter({}, p, { typeVersion: 1 }, type))
				.flatMap((p: { options: Array<{ value: string }> }) => p.options.map((o) => o.value));
		};
		expect(resourceValues(false)).toEqual(['actionCallback', 'externalApproval', 'externalInstance', 'externalTask']);
		expect(resourceValues(true)).toEqual(['externalApproval', 'externalInstance', 'externalTask']);
	});

	test('Should keep the normal form in an n8n that does not know @tool: tool fields shown only on @tool, normal ones hidden only on it', () => {
		const { properties } = new (jest.requireActual('../../nodes/FeishuApproval/FeishuApproval.node').FeishuApproval)().description as { properties: Array<{ name: string; displayOptions?: { show?: Record<string, unknown[]>; hide?: Record<string, unknown[]> } }> };
		const marked = properties.filter((p) => p.displayOptions?.show?.['@tool'] || p.displayOptions?.hide?.['@tool']);
		expect(marked.length).toBeGreaterThan(5);
		// Without @tool support n8n reads the key as a parameter (undefined): `show: [true]` hides, `hide: [true]` shows.
		for (const p of marked) expect([p.displayOptions?.show?.['@tool'], p.displayOptions?.hide?.['@tool']].filter(Boolean)).toEqual([[true]]);
		expect(marked.filter((p) => p.displayOptions?.hide?.['@tool']).map((p) => p.name)).toEqual(['resource', 'returnAll', 'limit', 'output']);
	});

	test('Should answer compact rows of at most 200 bytes, 20 by default, and say that more exist', async () => {
		const app = newApp(env.sandbox);
		await syncInstances(env.sandbox, app, makeInstances(CODE, 15, 'PENDING', 2, 'oa_1591603'));
		env.sandbox.clearLog();

		const { answers, report, error } = await runTool({ credential: app, parameters: byStatus, calls: [{ approval_codes: CODE, status: 'PENDING' }, { approval_codes: CODE, status: 'pending', max_rows: 100 }] });

		expect(error).toBeUndefined();
		expect(report).toMatchObject({ name: 'Feishu_Approval', keys: ['approval_codes', 'status', 'max_rows'] });
		const first = rowsOf(answers[0]);
		const rows = first.rows as IDataObject[];
		expect(rows).toHaveLength(20);
		expect(first).toMatchObject({ more_rows: true, note: expect.stringMatching(/more exist.*max_rows/) });
		for (const row of rows) {
			expect(Object.keys(row).sort()).toEqual(ROW_KEYS);
			expect(row.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			expect(Buffer.byteLength(JSON.stringify(row))).toBeLessThanOrEqual(200);
		}
		// The model raised max_rows (and wrote the status in lower case): every row, and no "more".
		const second = rowsOf(answers[1]);
		expect(second).toEqual({ rows: expect.any(Array), more_rows: false });
		expect(second.rows).toHaveLength(30);
		expect(env.sandbox.listRequests().map((r) => (r.body as IDataObject).status)).toEqual(['PENDING', 'PENDING']);
	});

	test('Should answer a bad status as text that names the allowed ones, without a request or a failed execution', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		const { answers, error } = await runTool({ credential: app, parameters: byStatus, calls: [{ approval_codes: CODE, status: 'NOPE' }] });
		expect(error).toBeUndefined();
		expect(answers[0]).toEqual([{ error: 'Task Status "NOPE" is not one of PENDING, APPROVED, REJECTED, TRANSFERRED, DONE.' }]);
		expect(env.sandbox.listRequests()).toHaveLength(0);
	});

	test('Should answer a missing scope as text naming the scopes to grant, with no secret in it', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.injectFault({ type: 'permission' }, 1);
		const { answers, error } = await runTool({ credential: app, parameters: byStatus, calls: [{ approval_codes: CODE, status: 'PENDING' }] });
		expect(error).toBeUndefined();
		const [{ error: text }] = answers[0] as IDataObject[];
		expect(text).toMatch(/code 99991672/);
		expect(text).toMatch(/Missing scopes \(grant any one\): approval:external_task/);
		expect(text).toMatch(/Log ID/);
		expect(JSON.stringify(answers)).not.toContain(app.appSecret);
	});

	test('Should answer an unknown approval code as text that says to check the code', async () => {
		const app = newApp(env.sandbox);
		const { answers, error } = await runTool({
			credential: app,
			parameters: { resource: 'externalApproval', operation: 'get', approvalCode: "={{ $fromAI('approval_code', 'Approval code', 'string') }}" },
			calls: [{ approval_code: 'no_such_code' }],
		});
		expect(error).toBeUndefined();
		const [{ error: text }] = answers[0] as IDataObject[];
		expect(text).toMatch(/no_such_code.*code 1390002/);
		expect(text).toMatch(/check the code/);
	});

	test('Should read a definition compactly: names in words, no callback secrets', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({
			credential: app,
			parameters: definitionParameters({ actionCallbackToken: 'cb-token-tool-1', actionCallbackKey: 'cb-key-tool-1' }),
		});
		const { answers } = await runTool({ credential: app, parameters: { resource: 'externalApproval', operation: 'get', approvalCode: 'purchase_request' }, calls: [{}] });
		const [definition] = answers[0] as IDataObject[];
		expect(definition).toEqual({
			approval_code: 'purchase_request',
			name: 'Purchase request',
			group: 'Procurement',
			create_link_pc: 'https://erp.example.com/purchase/new',
			quick_approval: true,
			visible_to: 'TENANT',
		});
		expect(JSON.stringify(answers)).not.toMatch(/cb-token|cb-key|\*\*\*/);
	});

	test('Should check an instance with ISO times', async () => {
		const app = newApp(env.sandbox);
		const [seeded] = makeInstances(CODE, 1, 'PENDING', 1);
		await syncInstances(env.sandbox, app, [seeded]);
		const { answers } = await runTool({
			credential: app,
			parameters: { resource: 'externalInstance', operation: 'check', instanceId: seeded.instance_id, updateTime: '2020-01-01T00:00:00Z', tasks: '[]' },
			calls: [{}],
		});
		expect(answers[0]).toEqual([{ instance_id: seeded.instance_id, up_to_date: false, feishu_update_time: '2026-11-01T00:00:00Z' }]);
	});

	test('Should refuse Respond to Feishu in the tool form with a clear message', async () => {
		const app = newApp(env.sandbox);
		const { answers, error } = await runTool({ credential: app, parameters: { resource: 'actionCallback', operation: 'respond', decision: 'accept' }, calls: [{}] });
		expect(error).toBeUndefined();
		expect(answers[0]).toEqual([{ error: expect.stringMatching(/^Respond to Feishu is not a tool: .*Do not call this tool/) }]);
	});

	test('Should still fail the normal node loudly on a bad status', async () => {
		const app = newApp(env.sandbox);
		const { error, items } = await runWorkflow({ credential: app, parameters: { queryBy: 'status', approvalCodes: CODE, status: 'NOPE' } });
		expect(items).toEqual([]);
		expect(error?.message).toBe('Task Status "NOPE" is not one of PENDING, APPROVED, REJECTED, TRANSFERRED, DONE');
	});
});
