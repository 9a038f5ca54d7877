import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as upsert from './upsert.operation';

export { get, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['externalApproval'],
			},
		},
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a third party approval definition',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read a third-party approval definition (callback token and key masked)',
				action: 'Get a third party approval definition',
			},
		],
		default: 'upsert',
	},
	...upsert.description,
	...get.description,
];
