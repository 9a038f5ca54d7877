import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Page tokens: an offset into the query's results, encrypted and authenticated together with the
// query (AES-GCM, the query as associated data). So a token is opaque to clients and useless with
// any other query, which answers 1390001 [doc: opaque string; binding to the query is our reading].
// Offsets keep a token valid while data changes between pages.

const IV_BYTES = 12;
const TAG_BYTES = 16;
// 12 + 4 + 16 = 32 bytes -> 43 base64url characters, the length of the doc's example token.
const TOKEN_BYTES = IV_BYTES + 4 + TAG_BYTES;

export class PageTokens {
	private readonly key = randomBytes(32);

	encode(offset: number, queryKey: string): string {
		const iv = randomBytes(IV_BYTES);
		const plain = Buffer.alloc(4);
		plain.writeUInt32BE(offset);
		const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
		cipher.setAAD(Buffer.from(queryKey));
		const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
		return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
	}

	// The offset, or undefined when the token is garbage or belongs to another query.
	decode(token: string, queryKey: string): number | undefined {
		if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
		const raw = Buffer.from(token, 'base64url');
		if (raw.length !== TOKEN_BYTES) return undefined;
		const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
		decipher.setAAD(Buffer.from(queryKey));
		decipher.setAuthTag(raw.subarray(IV_BYTES + 4));
		try {
			return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, IV_BYTES + 4)), decipher.final()]).readUInt32BE(0);
		} catch {
			return undefined;
		}
	}
}
