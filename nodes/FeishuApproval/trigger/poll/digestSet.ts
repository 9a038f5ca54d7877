/** An 8-byte digest of a task update (seenTasks.ts): bytes 0-3 and 4-7, each read little-endian. */
export interface TaskDigest {
	lo: number;
	hi: number;
}

/**
 * A set of task digests in insertion order, held in two typed arrays: no string or object per
 * digest. A poll adds one digest per matching task and looks it up in the memory, 100,000 times
 * and more; with a Set of 8-character strings, building the memory's Set and the lookups were a large share
 * of a poll's CPU [seen: --cpu-prof; figures in test/bench/RESULTS.md, section 5].
 */
export class DigestSet {
	/** lo, hi of every digest, in insertion order. */
	private entries: Int32Array;
	/** Open addressing with linear probing, at most half full: entry number (1-based), 0 when free. */
	private slots: Int32Array;
	private count = 0;

	constructor(expected = 64) {
		this.entries = new Int32Array(2 * Math.max(expected, 8));
		this.slots = new Int32Array(slotsFor(expected));
	}

	get size(): number {
		return this.count;
	}

	has(digest: TaskDigest): boolean {
		return this.slots[this.slotOf(digest.lo | 0, digest.hi | 0)] !== 0;
	}

	/** Adds the digest; false when it was there already. */
	add(digest: TaskDigest): boolean {
		const lo = digest.lo | 0;
		const hi = digest.hi | 0;
		const slot = this.slotOf(lo, hi);
		if (this.slots[slot] !== 0) return false;
		if (2 * this.count + 2 > this.entries.length) {
			const bigger = new Int32Array(2 * this.entries.length);
			bigger.set(this.entries);
			this.entries = bigger;
		}
		this.entries[2 * this.count] = lo;
		this.entries[2 * this.count + 1] = hi;
		this.slots[slot] = ++this.count;
		if (2 * this.count > this.slots.length) this.rehash(2 * this.slots.length);
		return true;
	}

	/** 8 bytes a digest (lo, then hi, each little-endian), in insertion order. */
	toBytes(): Buffer {
		const bytes = Buffer.allocUnsafe(8 * this.count);
		for (let n = 0; n < this.count; n++) {
			bytes.writeInt32LE(this.entries[2 * n], 8 * n);
			bytes.writeInt32LE(this.entries[2 * n + 1], 8 * n + 4);
		}
		return bytes;
	}

	/** The digests of `bytes` as toBytes writes them; its length must be a multiple of 8. */
	static fromBytes(bytes: Buffer): DigestSet {
		if (bytes.length % 8 !== 0) throw new RangeError(`${bytes.length} bytes are no whole number of 8-byte digests`);
		const count = bytes.length / 8;
		const set = new DigestSet(count);
		// One copy in native code, then one pass in place: a poll reads the whole memory once.
		const words = new Int32Array(2 * count);
		new Uint8Array(words.buffer).set(bytes);
		if (!LITTLE_ENDIAN) for (let n = 0; n < words.length; n++) words[n] = bytes.readInt32LE(4 * n);
		set.entries = words;
		for (let n = 0; n < count; n++) {
			const lo = words[2 * n];
			const hi = words[2 * n + 1];
			const slot = set.slotOf(lo, hi);
			// A digest stored twice is kept once.
			if (set.slots[slot] !== 0) continue;
			words[2 * set.count] = lo;
			words[2 * set.count + 1] = hi;
			set.slots[slot] = ++set.count;
		}
		return set;
	}

	/** The digests of this set that `other` lacks, in this set's order. */
	without(other: DigestSet): DigestSet {
		const rest = new DigestSet(this.count);
		for (let n = 0; n < this.count; n++) {
			const digest = { lo: this.entries[2 * n], hi: this.entries[2 * n + 1] };
			if (!other.has(digest)) rest.add(digest);
		}
		return rest;
	}

	/** The slot holding this digest, or the free slot where it belongs. */
	private slotOf(lo: number, hi: number): number {
		const mask = this.slots.length - 1;
		for (let slot = slotHash(lo, hi) & mask; ; slot = (slot + 1) & mask) {
			const entry = this.slots[slot];
			if (entry === 0 || (this.entries[2 * entry - 2] === lo && this.entries[2 * entry - 1] === hi)) return slot;
		}
	}

	private rehash(size: number): void {
		this.slots = new Int32Array(size);
		for (let n = 0; n < this.count; n++) this.slots[this.slotOf(this.entries[2 * n], this.entries[2 * n + 1])] = n + 1;
	}
}

/**
 * Where a digest starts probing: all 64 bits mixed (MurmurHash3's 32-bit finalizer over lo and a
 * multiple of hi). Indexing by lo's low bits alone let task ids crafted to share them pile into
 * one run of slots, turning each lookup into a walk over all of them.
 */
export function slotHash(lo: number, hi: number): number {
	let h = lo ^ Math.imul(hi, 0x9e3779b1);
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	return h ^ (h >>> 16);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A power of two at least twice `count`, so the table stays at most half full. */
function slotsFor(count: number): number {
	let size = 16;
	while (size < 2 * count) size *= 2;
	return size;
}
