import type { TaskDigest } from '../../nodes/FeishuApproval/trigger/poll/digestSet';
import { DigestSet, slotHash } from '../../nodes/FeishuApproval/trigger/poll/digestSet';

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

	test('Should keep the digests another set lacks, in order', () => {
		const set = new DigestSet();
		for (let n = 0; n < 6; n++) set.add(digest(n));
		const other = new DigestSet();
		for (const n of [1, 4, 9]) other.add(digest(n));

		const rest = set.without(other);

		expect(rest.size).toBe(4);
		expect(rest.toBytes()).toEqual(Buffer.concat([0, 2, 3, 5].map((n) => {
			const bytes = Buffer.alloc(8);
			bytes.writeInt32LE(digest(n).lo, 0);
			bytes.writeInt32LE(digest(n).hi, 4);
			return bytes;
		})));
	});

	// 20,000 digests crafted to share their low 20 bits: indexed by those bits they all start
	// probing at one slot of a 65,536-slot table.
	test('Should spread digests that share their low bits over the whole table', () => {
		const mask = 65_536 - 1;
		const crafted = Array.from({ length: 20_000 }, (_, n) => ({ lo: (n << 20) | 0x5a5a5, hi: Math.imul(n, 0x2545f491) }));

		const starts = new Set(crafted.map(({ lo, hi }) => slotHash(lo, hi) & mask));

		expect(new Set(crafted.map(({ lo }) => lo & mask)).size).toBe(1);
		// A uniform hash gives about 65,536 * (1 - e^(-20,000/65,536)) = 17,250 distinct slots.
		expect(starts.size).toBeGreaterThan(16_500);
	});

	test('Should differ in its start slot when only the high half of a digest differs', () => {
		const starts = new Set(Array.from({ length: 1_000 }, (_, n) => slotHash(42, n) & 4095));

		expect(starts.size).toBeGreaterThan(800);
	});
});
