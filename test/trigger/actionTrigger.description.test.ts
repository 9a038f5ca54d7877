import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FeishuApprovalCallbackApi } from '../../credentials/FeishuApprovalCallbackApi.credentials';
import { FeishuApprovalActionTrigger } from '../../nodes/FeishuApproval/FeishuApprovalActionTrigger.node';

const { description } = new FeishuApprovalActionTrigger();

describe('Feishu Approval Action Trigger description', () => {
	test('Should carry the contract\'s names: node, credential, fields and response modes', () => {
		expect(description.name).toBe('feishuApprovalActionTrigger');
		expect(description.displayName).toBe('Feishu Approval Action Trigger');
		expect(description.credentials).toEqual([{ name: 'feishuApprovalCallbackApi', required: true }]);
		const credential = new FeishuApprovalCallbackApi();
		expect([credential.name, credential.displayName]).toEqual(['feishuApprovalCallbackApi', 'Feishu Approval Callback']);
		expect(credential.properties.map((p) => [p.name, p.required ?? false, p.typeOptions?.password])).toEqual([
			['callbackToken', true, true],
			['encryptKey', false, true],
		]);
		const mode = description.properties.find((p) => p.name === 'responseMode')!;
		expect(mode.options!.map((o) => ('value' in o ? o.value : undefined))).toEqual(['onReceived', 'lastNode', 'responseNode']);
		expect(mode.default).toBe('onReceived');
	});

	test('Should be one POST webhook whose response mode follows the parameter', () => {
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: '={{$parameter["responseMode"]}}', path: 'callback' }]);
		expect(description.inputs).toEqual([]);
	});

	test('Should be listed in package.json with its credential, as built files', () => {
		const { n8n } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
		expect(n8n.nodes).toContain('dist/nodes/FeishuApproval/FeishuApprovalActionTrigger.node.js');
		expect(n8n.credentials).toContain('dist/credentials/FeishuApprovalCallbackApi.credentials.js');
	});
});
