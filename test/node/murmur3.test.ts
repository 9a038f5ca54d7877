import { murmur3x86128 } from '../../nodes/FeishuApproval/helpers/murmur3';

/** The 16-byte digest as hex: h1..h4, each little-endian, as reference implementations print it. */
function hex(text: string, seed: number): string {
	const bytes = Buffer.from(text, 'utf8');
	const out = new Uint32Array(4);
	murmur3x86128(bytes, bytes.length, seed, out);
	const digest = Buffer.alloc(16);
	out.forEach((word, n) => digest.writeUInt32LE(word, 4 * n));
	return digest.toString('hex').toUpperCase();
}

describe('MurmurHash3 x86 128-bit', () => {
	// Published test vectors of MurmurHash3_x86_128 (the same values in NHasher's and
	// sammy00/murmur3's test suites): empty input, every tail length from 7 and 15 bytes, full blocks.
	test.each([
		[0, '', '00000000000000000000000000000000'],
		[0, 'aaaaaaa', 'A7387719286D290FCA19A398CA19A398'],
		[0, 'aaaaaaaaaaaaaaa', '78FA8D8D331A81A560DFB090484C863A'],
		[0, 'The quick brown fox jumps over the lazy dog', 'C383152F672CEEEC6CF67B5D2C1DE9E5'],
		[0, 'the quick brown fox jumps over the lazy cog', 'FBF39633637C9E70EFCE1DF157359E42'],
		[0x9747b28c, '', 'A1D5BEF71C6A575B1C6A575B1C6A575B'],
		[0x9747b28c, 'The quick brown fox jumps over the lazy dog', '5ED5D48A7161B84C9C3AA78E3E79B6CD'],
		[3314489979, 'THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG', '2B9A5CC8C8EC392164AE9207E0428B18'],
	])('Should give the published digest for seed %d and "%s"', (seed, text, expected) => {
		expect(hex(text, seed)).toBe(expected);
	});

	test('Should hash only the first `length` bytes of the buffer', () => {
		const bytes = Buffer.from('The quick brown fox jumps over the lazy dog and more', 'utf8');
		const out = new Uint32Array(4);
		murmur3x86128(bytes, 43, 0, out);

		expect(Buffer.from(out.buffer).toString('hex').toUpperCase()).toBe(hex('The quick brown fox jumps over the lazy dog', 0));
	});
});
