import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['externalTask'],
			},
		},
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List third-party approval instances with their task statuses',
				action: 'Get many third party approval tasks',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
