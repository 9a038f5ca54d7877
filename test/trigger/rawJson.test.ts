import { int64Member, rawMember } from '../../nodes/FeishuApproval/helpers/rawJson';

describe('raw JSON members', () => {
	test('an int64 above 2^53 keeps every digit, where JSON.parse rounds it', () => {
		const text = '{"message_id":7253010294417866753,"a":1}';
		expect(String((JSON.parse(text) as { message_id: number }).message_id)).not.toBe('7253010294417866753');
		expect(int64Member(text, 'message_id')).toBe('7253010294417866753');
	});

	test('only a top-level member counts, not one inside a string or a nested object', () => {
		const text = ' {\n "reason": "see \\"message_id\\": 1", "x": {"message_id": 2, "y": [3, {"z": "}"}]}, "message_id" : -9223372036854775808 } ';
		expect(rawMember(text, 'message_id')).toBe('-9223372036854775808');
		expect(rawMember(text, 'x')).toBe('{"message_id": 2, "y": [3, {"z": "}"}]}');
	});

	test('the last of duplicate names wins, as in JSON.parse', () => {
		expect(int64Member('{"message_id":1,"message_id":22}', 'message_id')).toBe('22');
	});

	test.each([
		['absent', '{"a":1}', ''],
		['null', '{"message_id":null}', ''],
		['a string', '{"message_id":"7253010294417866753"}', '7253010294417866753'],
		['a small number', '{"message_id":42}', '42'],
		['not an object', '[1,2]', ''],
	])('message_id %s gives %j', (_name, text, expected) => {
		expect(int64Member(text, 'message_id')).toBe(expected);
	});
});
