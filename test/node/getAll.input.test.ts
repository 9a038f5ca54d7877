import type { INodeParameters } from 'n8n-workflow';

import { runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';

describe('Get Many refuses bad input before sending anything', () => {
	const env = useSandbox();

	const cases: Array<[string, INodeParameters, string]> = [
		['empty instance ids', { queryBy: 'instanceIds', instanceIds: ' , \n' }, 'Instance IDs is empty'],
		['empty approval codes from an expression', { queryBy: 'status', approvalCodes: '={{ [] }}', status: 'PENDING' }, 'Approval Codes is empty'],
		['empty user ids in approvers mode', { queryBy: 'approvers', approvalCodes: CODE, userIds: '={{ "" }}', status: 'PENDING' }, 'User IDs is empty'],
		['an unknown status', { queryBy: 'status', approvalCodes: CODE, status: 'CANCELED' }, 'Task Status "CANCELED" is not one of'],
		['a limit below 1', { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', limit: '={{ 0 }}' }, 'Limit must be a whole number of at least 1'],
		['a page size above 500 from an expression', { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', options: { pageSize: '={{ 501 }}' } }, 'Page Size must be a whole number from 1 to 500'],
		['a page size of 0', { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', options: { pageSize: 0 } }, 'Page Size must be a whole number from 1 to 500'],
		['ids that are objects', { queryBy: 'instanceIds', instanceIds: '={{ [{ "id": 1 }] }}' }, 'Instance IDs must contain only text or numbers'],
	];

	test.each(cases)('Should fail on %s with zero requests sent', async (_name, parameters, message) => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error, items } = await runWorkflow({ credential: app, parameters });

		expect(error?.message).toContain(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(items).toEqual([]);
		expect(env.sandbox.requests).toHaveLength(0);
	});

	test('Should check every item before the first request', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({
			credential: app,
			items: [{ id: 'oa_1' }, { id: '' }],
			parameters: { queryBy: 'instanceIds', instanceIds: '={{ $json.id }}' },
		});

		expect(error?.message).toContain('Instance IDs is empty');
		expect(error?.context?.itemIndex).toBe(1);
		expect(env.sandbox.requests).toHaveLength(0);
	});

	test('Should yield an error item for the bad item and still run the good ones under Continue On Fail', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error, items } = await runWorkflow({
			credential: app,
			continueOnFail: true,
			items: [{ id: '' }, { id: 'oa_missing' }],
			parameters: { queryBy: 'instanceIds', instanceIds: '={{ $json.id }}' },
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toContain('Instance IDs is empty');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(env.sandbox.listRequests().map((r) => r.body)).toEqual([{ instance_ids: ['oa_missing'] }]);
	});
});
