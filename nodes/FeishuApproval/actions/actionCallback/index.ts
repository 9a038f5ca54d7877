import type { INodeProperties } from 'n8n-workflow';

import * as respond from './respond.operation';

export { respond };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['actionCallback'],
			},
		},
		options: [
			{
				name: 'Respond to Feishu',
				value: 'respond',
				description: 'Accept the approver\'s action, or refuse it with a message (for a Feishu Approval Action Trigger set to respond from this node)',
				action: 'Respond to feishu',
			},
		],
		default: 'respond',
	},
	...respond.description,
];
