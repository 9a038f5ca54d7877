import type { INodeProperties } from 'n8n-workflow';

import * as check from './check.operation';
import * as upsert from './upsert.operation';

export { check, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['externalInstance'],
			},
		},
		options: [
			{
				name: 'Check',
				value: 'check',
				description: 'Ask Feishu which instances and tasks it holds differently from your system',
				action: 'Check third party approval instances',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a third party approval instance',
			},
		],
		default: 'upsert',
	},
	...upsert.description,
	...check.description,
];
