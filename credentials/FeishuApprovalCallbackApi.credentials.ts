import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// What Feishu puts in a quick-approval callback to prove it is Feishu: the definition's
// action_callback_token, and its action_callback_key when the body is encrypted [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback].
// Fields only: the Feishu Approval Action Trigger checks them on every callback.
export class FeishuApprovalCallbackApi implements ICredentialType {
	name = 'feishuApprovalCallbackApi';

	// The contract's name: this credential calls no API, it checks what Feishu sends.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Feishu Approval Callback';

	documentationUrl = 'https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback';

	icon = 'file:feishu.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Callback Token',
			name: 'callbackToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The definition\'s Action Callback Token (action_callback_token). Feishu sends it in every callback; a callback with another token is refused with HTTP 401.',
		},
		// An AES key: whoever has it reads every callback, token included.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Encrypt Key',
			name: 'encryptKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The definition\'s Action Callback Key (action_callback_key), if it has one. Then Feishu encrypts every callback and a plain one is refused with HTTP 400. Leave empty when the definition has no key.',
		},
	];
}
