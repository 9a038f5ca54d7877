import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// Fields only: the token exchange and the "Test" button live in the node's transport
// (methods.credentialTest), because Feishu answers a bad secret with HTTP 200 and a non-zero
// `code`, which a declarative credential test cannot detect.
export class FeishuApi implements ICredentialType {
	name = 'feishuApi';

	displayName = 'Feishu / Lark API';

	documentationUrl = 'https://open.feishu.cn/document/server-docs/api-call-guide/calling-process/get-access-token';

	icon = 'file:feishu.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'Feishu (China, open.feishu.cn)',
					value: 'feishu',
				},
				{
					name: 'Lark (International, open.larksuite.com)',
					value: 'lark',
				},
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'A private deployment or a test server',
				},
			],
			default: 'feishu',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://open.example.com',
			description:
				'Origin of the Open Platform API, without /open-apis. Must be https:// (http:// only for loopback: 127.0.0.0/8, ::1, localhost), since the App Secret is sent there.',
			displayOptions: {
				show: {
					region: ['custom'],
				},
			},
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'cli_a1b2c3d4e5f6',
			description:
				'From the developer console: your self-built app (自建应用) → Credentials & Basic Info',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the same page as the App ID',
		},
	];
}
