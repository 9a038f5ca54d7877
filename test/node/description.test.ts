import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INode } from 'n8n-workflow';
import { NodeHelpers, validateNodeCredentials } from 'n8n-workflow';

import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';

const { description } = new FeishuApproval();

describe('Feishu Approval node description', () => {
	test('Should be usable as an AI tool and show a subtitle naming the query mode', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toContain('$parameter["queryBy"]');
	});

	test('Should offer the contract\'s resources and operations', () => {
		const resource = description.properties.find((p) => p.name === 'resource')!;
		expect(resource.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['actionCallback', 'externalApproval', 'externalInstance', 'externalTask']);
		const operations = (name: string) =>
			description.properties
				.filter((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[]).includes(name))
				.flatMap((p) => p.options!.map((o) => ('value' in o ? o.value : undefined)));
		expect(operations('externalApproval')).toEqual(['upsert', 'get']);
		expect(operations('externalInstance')).toEqual(['check', 'upsert']);
		expect(operations('externalTask')).toEqual(['getAll']);
		expect(operations('actionCallback')).toEqual(['respond']);
	});

	test('Should ask for the Feishu app credential for every resource but Action Callback (Respond to Feishu calls no API)', () => {
		const [credential] = description.credentials!;
		const shown = (resource: string) => NodeHelpers.displayParameter({ resource }, credential, { typeVersion: 1 }, description);
		expect(credential.required).toBe(true);
		expect(['externalApproval', 'externalInstance', 'externalTask'].map(shown)).toEqual([true, true, true]);
		expect(shown('actionCallback')).toBe(false);
	});

	test('Should pass n8n\'s publish check without a credential for Respond to Feishu, and fail it for an API resource', () => {
		// validateNodeCredentials is what n8n 2.8.4 runs before it publishes a workflow
		// (WorkflowValidationService.validateForActivation).
		const node = (parameters: INode['parameters']): INode => ({ id: 'n', name: 'Feishu Approval', type: 'n8n-nodes-feishu-approval.feishuApproval', typeVersion: 1, position: [0, 0], parameters });
		const nodeType = new FeishuApproval();
		expect(validateNodeCredentials(node({ resource: 'actionCallback', operation: 'respond', decision: 'accept' }), nodeType)).toEqual([]);
		expect(validateNodeCredentials(node({ resource: 'externalTask', operation: 'getAll' }), nodeType)).toMatchObject([{ type: 'missing', credentialName: 'feishuApi' }]);
	});

	test('Should give every parameter a description or options that explain it', () => {
		const undocumented = description.properties
			.filter((p) => !['resource', 'operation', 'returnAll', 'limit'].includes(p.name) && p.type !== 'notice')
			.filter((p) => !p.description && !p.options?.every((o) => 'description' in o));
		expect(undocumented.map((p) => p.name)).toEqual([]);
	});

	test('Should ship light and dark icons and a codex file with categories and documentation', () => {
		const dir = join(__dirname, '../../nodes/FeishuApproval');
		expect(description.icon).toEqual({ light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' });
		expect(readFileSync(join(dir, 'feishu.dark.svg'), 'utf8')).toContain('<svg');
		const codex = JSON.parse(readFileSync(join(dir, 'FeishuApproval.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-feishu-approval.feishuApproval');
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/\/blob\/main\/docs\/definitions-and-instances\.md$/);
	});
});
