import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

// The quick-approval callback's encryption [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback, its Go sample; Feishu's event
// encryption is the same scheme]: the `encrypt` field is base64 of IV (16 bytes) then AES-256-CBC ciphertext
// with PKCS#7 padding, under the key SHA-256(action_callback_key).

const IV_BYTES = 16;
const BLOCK_BYTES = 16;

/**
 * The plain text inside `encrypt`, or why not (naming no secret and no ciphertext): `malformed`
 * when the outer shape is wrong (no key tried), `problem` when the key does not open it.
 */
export type Decrypted = { text: string } | { malformed: string } | { problem: string };

export function decryptCallback(encrypt: string, encryptKey: string): Decrypted {
	const data = Buffer.from(encrypt, 'base64');
	// Buffer.from ignores characters outside the alphabet: require the text to be base64 as sent.
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encrypt.trim()) || data.length < IV_BYTES + BLOCK_BYTES || (data.length - IV_BYTES) % BLOCK_BYTES !== 0) {
		return { malformed: 'the encrypt field is not base64 of an IV and whole AES blocks' };
	}
	const key = createHash('sha256').update(encryptKey, 'utf8').digest();
	const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, IV_BYTES));
	try {
		return { text: Buffer.concat([decipher.update(data.subarray(IV_BYTES)), decipher.final()]).toString('utf8') };
	} catch {
		// A wrong key almost always ends in bad padding (else in text that is not JSON).
		return { problem: 'the encrypt field does not decrypt with the credential\'s encrypt key (bad padding)' };
	}
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares a received token with the expected one in constant time, whatever their lengths:
 * both are hashed first, so the comparison always runs over 32 bytes and a sender learns neither
 * the token's bytes nor its length from the time taken (GitHub's webhook check compares digests too).
 */
export function tokenMatches(received: unknown, expected: string): boolean {
	if (typeof received !== 'string') return false;
	return timingSafeEqual(sha256(received), sha256(expected));
}
