import type { TaskDigest } from '../../nodes/FeishuApproval/trigger/digestSet';
import { DigestSet } from '../../nodes/FeishuApproval/trigger/digestSet';

/** Deterministic digests spread like hash output (a multiplicative sequence). */
const digest = (n: number): TaskDigest => ({ lo: Math.imul(n + 1, 0x9e3779b1), hi: Math.imul(n + 7, 0x85ebca6b) });

describe('DigestSet', () => {
	test('Should hold each digest once and say which were there already', () => {
		const set = new DigestSet();

		expect(set.add(digest(1))).toBe(true);
		expect(set.add(digest(2))).toBe(true);
		expect(set.add({ ...digest(1) })).toBe(false);
		expect(set.size).toBe(2);
		expect(set.has(digest(2))).toBe(true);
		expect(set.has(digest(3))).toBe(false);
	});

	test('Should tell apart digests that share their first or their last 4 bytes', () => {
		const set = new DigestSet();
		set.add({ lo: 5, hi: 1 });

		expect(set.has({ lo: 5, hi: 2 })).toBe(false);
		expect(set.has({ lo: 6, hi: 1 })).toBe(false);
		expect(set.add({ lo: 0, hi: 0 })).toBe(true);
		expect(set.has({ lo: 0, hi: 0 })).toBe(true);
	});

	test('Should keep every digest while growing far beyond its expected size', () => {
		const set = new DigestSet(4);
		for (let n = 0; n < 50_000; n++) set.add(digest(n));

		expect(set.size).toBe(50_000);
		expect(Array.from({ length: 50_000 }, (_, n) => set.has(digest(n))).every(Boolean)).toBe(true);
		expect(set.has(digest(50_000))).toBe(false);
	});

	test('Should write 8 bytes a digest, little-endian, in insertion order, and read them back', () => {
		const set = new DigestSet();
		set.add({ lo: 0x04030201, hi: 0x08070605 });
		set.add({ lo: -1, hi: 0 });

		const bytes = set.toBytes();

		expect(bytes.toString('hex')).toBe('0102030405060708ffffffff00000000');
		expect(DigestSet.fromBytes(bytes).toBytes()).toEqual(bytes);
		expect(() => DigestSet.fromBytes(Buffer.alloc(12))).toThrow(RangeError);
	});
});
