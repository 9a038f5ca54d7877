import { sendActionCallback } from './actionCallback';

// `npm run callback -- <url> --token=… [--key=…] [--action=REJECT] [--instance=…] [--task=…]
// [--user=…] [--approval=…] [--reason=…] [--message-id=…]`: one quick-approval callback as Feishu
// sends it, to try a Feishu Approval Action Trigger in your own n8n without a Feishu tenant.
async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const url = args.find((a) => !a.startsWith('--'));
	const flag = (name: string, fallback = '') => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
	const token = flag('token');
	if (!url || !token) {
		console.error('usage: npm run callback -- <webhook URL> --token=<callback token> [--key=<encrypt key>] [--action=APPROVE|REJECT] [--instance=ID] [--task=ID] [--user=ID] [--approval=CODE] [--reason=TEXT] [--message-id=INT64]');
		process.exit(2);
	}
	const key = flag('key');
	const messageId = flag('message-id', '7253010294417866753');
	const answer = await sendActionCallback(
		url,
		{
			action_type: flag('action', 'APPROVE'),
			user_id: flag('user', 'u_manager'),
			approval_code: flag('approval', 'purchase_request'),
			instance_id: flag('instance', 'PR-1001'),
			task_id: flag('task', 'PR-1001-approver'),
			reason: flag('reason', ''),
			message_id: messageId || undefined,
			token,
		},
		{ encryptKey: key || undefined },
	);
	const shown = { accepted: 'the action succeeds', refused: `the action fails; the approver reads "${answer.message}"`, failed: 'the action fails ("submit failed")' }[answer.outcome];
	console.log(`${key ? 'Encrypted' : 'Plain'} callback to ${url}`);
	console.log(`HTTP ${answer.status || 'no answer within 10 s'} ${answer.text}`);
	console.log(`In Feishu: ${shown}`);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
