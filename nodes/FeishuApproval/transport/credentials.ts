import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const REGION_ORIGINS: Record<string, string> = {
	feishu: 'https://open.feishu.cn',
	lark: 'https://open.larksuite.com',
};

/** A credential as the transport needs it. `key` names it in caches without holding the secret. */
export interface FeishuApp {
	origin: string;
	appId: string;
	appSecret: string;
	key: string;
}

export class CredentialError extends Error {}

export function appFromCredential(data: ICredentialDataDecryptedObject): FeishuApp {
	const region = typeof data.region === 'string' ? data.region : 'feishu';
	const appId = String(data.appId ?? '').trim();
	const appSecret = String(data.appSecret ?? '').trim();
	let origin = REGION_ORIGINS[region];
	if (region === 'custom') {
		const raw = String(data.baseUrl ?? '').trim();
		let url: URL;
		try {
			url = new URL(raw);
		} catch {
			// The transport knows no node; the action turns this into a NodeOperationError with the item index.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw new CredentialError(`The credential's Base URL "${raw}" is not a URL. Use e.g. https://open.feishu.cn`);
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new CredentialError(`The credential's Base URL must start with http:// or https://, not ${url.protocol}`);
		}
		// A path (e.g. a pasted ".../open-apis") would double up with ours: keep the origin only.
		origin = url.origin;
	}
	if (!origin) throw new CredentialError(`Unknown region "${region}" in the credential`);
	if (!appId || !appSecret) throw new CredentialError('The credential needs both an App ID and an App Secret');
	const key = createHash('sha256').update(`${origin}\n${appId}\n${appSecret}`).digest('hex').slice(0, 32);
	return { origin, appId, appSecret, key };
}
