import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** The Feishu Approval Callback credential's two secrets, as the definition and the trigger use them. */
export interface CallbackSecrets {
	callbackToken: string;
	encryptKey: string;
}

/**
 * Reads the credential the same way for the definition (which writes the values to Feishu) and
 * the Action Trigger (which checks callbacks against them): trimmed, so a pasted trailing space or
 * new line cannot make the two differ and every callback fail. Pure.
 */
export function callbackSecrets(data: object | undefined): CallbackSecrets {
	const fields = (data ?? {}) as ICredentialDataDecryptedObject;
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	return { callbackToken: text(fields.callbackToken), encryptKey: text(fields.encryptKey) };
}
