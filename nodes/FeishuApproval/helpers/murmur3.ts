/**
 * MurmurHash3, x86 128-bit variant (Austin Appleby, public domain; SMHasher's `MurmurHash3_x86_128`).
 * Pure JavaScript with 32-bit integer arithmetic only, so hashing a short key costs no call into
 * native code and leaves no garbage: the trigger hashes every matching task at every poll, and
 * `crypto.createHash` per task cost more CPU than reading the pages (test/bench/RESULTS.md, section 5).
 * Not cryptographic: see seenTasks.ts for what that means for the trigger's memory.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	return h ^ (h >>> 16);
}

/** The little-endian 32-bit word at `at`, reading only below `end` (zeros past it, as the tail is read). */
function word(data: Uint8Array, at: number, end: number): number {
	let k = 0;
	for (let i = Math.min(3, end - at - 1); i >= 0; i--) k = (k << 8) | data[at + i];
	return k;
}

/**
 * The hash of `data[0 .. length)` with `seed`, written to `out` as the four 32-bit words h1..h4; the
 * 16-byte digest is each word little-endian, in that order.
 */
export function murmur3x86128(data: Uint8Array, length: number, seed: number, out: Uint32Array): void {
	let h1 = seed | 0;
	let h2 = h1;
	let h3 = h1;
	let h4 = h1;
	const blocksEnd = length - (length % 16);
	for (let at = 0; at < blocksEnd; at += 16) {
		let k1 = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24);
		let k2 = data[at + 4] | (data[at + 5] << 8) | (data[at + 6] << 16) | (data[at + 7] << 24);
		let k3 = data[at + 8] | (data[at + 9] << 8) | (data[at + 10] << 16) | (data[at + 11] << 24);
		let k4 = data[at + 12] | (data[at + 13] << 8) | (data[at + 14] << 16) | (data[at + 15] << 24);

		k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
		h1 = (Math.imul(rotl(h1 ^ k1, 19) + h2, 5) + 0x561ccd1b) | 0;
		k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
		h2 = (Math.imul(rotl(h2 ^ k2, 17) + h3, 5) + 0x0bcaa747) | 0;
		k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
		h3 = (Math.imul(rotl(h3 ^ k3, 15) + h4, 5) + 0x96cd1c35) | 0;
		k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
		h4 = (Math.imul(rotl(h4 ^ k4, 13) + h1, 5) + 0x32ac3b17) | 0;
	}

	// The tail: up to 15 bytes, each word mixed only if the tail reaches into it.
	const tail = length - blocksEnd;
	if (tail > 12) h4 ^= Math.imul(rotl(Math.imul(word(data, blocksEnd + 12, length), C4), 18), C1);
	if (tail > 8) h3 ^= Math.imul(rotl(Math.imul(word(data, blocksEnd + 8, length), C3), 17), C4);
	if (tail > 4) h2 ^= Math.imul(rotl(Math.imul(word(data, blocksEnd + 4, length), C2), 16), C3);
	if (tail > 0) h1 ^= Math.imul(rotl(Math.imul(word(data, blocksEnd, length), C1), 15), C2);

	h1 ^= length;
	h2 ^= length;
	h3 ^= length;
	h4 ^= length;
	h1 = (h1 + h2 + h3 + h4) | 0;
	h2 = (h2 + h1) | 0;
	h3 = (h3 + h1) | 0;
	h4 = (h4 + h1) | 0;
	h1 = fmix(h1);
	h2 = fmix(h2);
	h3 = fmix(h3);
	h4 = fmix(h4);
	h1 = (h1 + h2 + h3 + h4) | 0;
	h2 = (h2 + h1) | 0;
	h3 = (h3 + h1) | 0;
	h4 = (h4 + h1) | 0;
	out[0] = h1;
	out[1] = h2;
	out[2] = h3;
	out[3] = h4;
}
