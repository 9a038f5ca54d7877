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

/**
 * Hosts that never leave the machine: 127.0.0.0/8, ::1 and localhost (the sandbox, tests, a
 * local proxy). The URL parser has already normalised the host ("127.1" to "127.0.0.1",
 * "[::1]" kept in brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why `url` may not carry a secret, or undefined: it must be https unless its host is loopback.
 * Over http anyone on the path reads what is sent (the app secret to the token endpoint; the
 * callback token, and the callback itself, to an Action Callback URL).
 */
export function httpsProblem(url: URL): string | undefined {
	if (url.protocol === 'https:') return undefined;
	if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
	return `must use https:// (http:// is accepted only for loopback hosts: 127.0.0.0/8, ::1, localhost), not ${url.protocol}//${url.host}`;
}

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
		// Checked before any connection: the token exchange POSTs the app secret to this origin.
		const problem = httpsProblem(url);
		if (problem) throw new CredentialError(`The credential's Base URL ${problem}. Use e.g. https://open.feishu.cn`);
		// A path (e.g. a pasted ".../open-apis") would double up with ours: keep the origin only.
		origin = url.origin;
	}
	if (!origin) throw new CredentialError(`Unknown region "${region}" in the credential`);
	if (!appId || !appSecret) throw new CredentialError('The credential needs both an App ID and an App Secret');
	const key = createHash('sha256').update(`${origin}\n${appId}\n${appSecret}`).digest('hex').slice(0, 32);
	return { origin, appId, appSecret, key };
}
