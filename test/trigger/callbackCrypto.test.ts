import crypto from 'node:crypto';

import type { Decrypted } from '../../nodes/FeishuApproval/trigger/action/callbackCrypto';
import { decryptCallback, tokenMatches } from '../../nodes/FeishuApproval/trigger/action/callbackCrypto';
import { encryptCallback } from '../sandbox/actionCallback';

// Known answers computed outside Node: Feishu's own sample (its event-subscription page, same
// scheme as the quick-approval callback) and one made with `openssl enc -aes-256-cbc`.
const OPENSSL_VECTOR =
	'AAECAwQFBgcICQoLDA0OD1uFYNJyJ8qRzugnX+OR3WskgiYzHW1g34kIyVSbksVHdXBH3dRjC1bNp1s+h574lZsrCdY01OAAd9MWMurvDAZ9ulU1A2stRbkr2Tsh0d+n06JBXqtpd7bxppmoBd1JM2hDqGfn6WjWjeKr/wWbYFuceeLxgfY/htpNJYyMeO5dWGYSSSp4PMdZxwgS/UM0PYH/JKZR+8Ue2LX+DuJp9LRm/pvZl2vASJa6358zPE7b';

const plain = (result: Decrypted): string => ('text' in result ? result.text : `problem: ${'problem' in result ? result.problem : result.malformed}`);

describe('callback decryption', () => {
	test('Feishu\'s documented sample ("test key") decrypts to "hello world"', () => {
		expect(plain(decryptCallback('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key'))).toBe('hello world');
	});

	test('a payload encrypted by openssl with IV 00..0f decrypts to its JSON, int64 digits intact', () => {
		// KEY=$(printf %s test-encrypt-key-2026 | openssl dgst -sha256 -hex); IV=000102…0f;
		// (printf IV bytes; openssl enc -aes-256-cbc -K $KEY -iv $IV -in p.json) | base64
		expect(plain(decryptCallback(OPENSSL_VECTOR, 'test-encrypt-key-2026'))).toBe(
			'{"action_type":"APPROVE","user_id":"112321","approval_code":"PURCHASE","instance_id":"inst_1","task_id":"task_1","message_id":7253010294417866753,"token":"tok-123"}',
		);
	});

	test('the sandbox encrypts exactly as openssl does, given the same IV', () => {
		const iv = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
		expect(encryptCallback(plain(decryptCallback(OPENSSL_VECTOR, 'test-encrypt-key-2026')), 'test-encrypt-key-2026', iv)).toBe(OPENSSL_VECTOR);
	});

	test('a random IV round-trips any text, Chinese included', () => {
		const text = JSON.stringify({ reason: '同意，预算已批', n: 1 });
		expect(plain(decryptCallback(encryptCallback(text, '密钥 key'), '密钥 key'))).toBe(text);
	});

	test.each([
		// A fixed IV: with a random one, 1 wrong key in ~256 leaves valid padding (then the JSON check refuses it).
		['a wrong key', encryptCallback('{"a":1}', 'right-Kx9', Buffer.alloc(16, 7)), 'wrong-Kx9', /bad padding/],
		['text that is not base64', 'not base64 at all!', 'secret-Kx9', /not base64/],
		['too short for an IV and a block', Buffer.alloc(20).toString('base64'), 'secret-Kx9', /not base64/],
		['a length that is not whole blocks', Buffer.alloc(40).toString('base64'), 'secret-Kx9', /whole AES blocks/],
	])('%s is a problem that names no key', (_name, encrypt, key, pattern) => {
		const result = decryptCallback(encrypt, key);
		expect('problem' in result ? result.problem : 'malformed' in result ? result.malformed : undefined).toMatch(pattern);
		expect(JSON.stringify(result)).not.toContain(key);
	});
});

describe('token check', () => {
	test.each([
		['the same token', 'tok-123', true],
		['another token of the same length', 'tok-124', false],
		['a prefix', 'tok-12', false],
		['a longer token', 'tok-1234', false],
		['no token', undefined, false],
		['a number', 123, false],
	])('%s: %s', (_name, received, expected) => {
		expect(tokenMatches(received, 'tok-123')).toBe(expected);
	});

	test('tokens of any length are compared in constant time over equal-length digests, so the time tells no length', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		try {
			for (const received of ['t', 'tok-12', 'tok-1234', 'x'.repeat(500)]) expect(tokenMatches(received, 'tok-123')).toBe(false);
			expect(spy).toHaveBeenCalledTimes(4);
			for (const [a, b] of spy.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
		} finally {
			spy.mockRestore();
		}
	});
});
