/** What stands in an answer or a message where a secret was. */
export const MASK = '********';

/**
 * A copy of an API answer with every callback token and key masked (`external.action_callback_token`
 * and `action_callback_key` come back in clear from Feishu [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/get]). Empty values stay empty,
 * so the output still tells whether one is set.
 */
export function maskSecrets<T>(value: T): T {
	if (Array.isArray(value)) return value.map((entry) => maskSecrets(entry) as unknown) as T;
	if (!value || typeof value !== 'object') return value;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		if (/^action_callback_(token|key)$/.test(key) && typeof entry === 'string' && entry !== '') copy[key] = MASK;
		else copy[key] = maskSecrets(entry);
	}
	return copy as T;
}
