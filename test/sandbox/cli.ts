import { seedDemoData } from './demoData';
import { startSandbox } from './server';

// `npm run sandbox`: the stand-in with demo data, for trying the node in a real n8n by hand.
async function main(): Promise<void> {
	const port = Number(process.env.SANDBOX_PORT ?? 18080);
	const sandbox = await startSandbox({ port });
	const demo = await seedDemoData(sandbox);
	const lines = [
		`Feishu sandbox listening on ${sandbox.baseUrl}`,
		`  ${sandbox.instanceCount()} demo instances`,
		'',
		'In n8n, create a "Feishu / Lark API" credential with:',
		'  Region:     Custom',
		`  Base URL:   ${sandbox.baseUrl}`,
		`  App ID:     ${demo.appId}`,
		`  App Secret: ${demo.appSecret}`,
		'',
		'Approval codes:',
		...demo.approvals.map((a) => `  ${a.code}  ${a.name}`),
		'',
		`Some user ids: ${demo.userIds.slice(0, 3).join(', ')}, ${demo.userIds[demo.userIds.length - 1]}`,
		`Some instance ids: ${demo.instanceIds.slice(0, 3).join(', ')}`,
		'',
		'Try it:',
		`  TOKEN=$(curl -s -X POST ${sandbox.baseUrl}/open-apis/auth/v3/tenant_access_token/internal \\`,
		`    -H 'Content-Type: application/json; charset=utf-8' \\`,
		`    -d '{"app_id":"${demo.appId}","app_secret":"${demo.appSecret}"}' | sed -E 's/.*"tenant_access_token":"([^"]+)".*/\\1/')`,
		`  curl -s -X GET '${sandbox.baseUrl}/open-apis/approval/v4/external_tasks?page_size=5' \\`,
		`    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json; charset=utf-8' \\`,
		`    -d '{"approval_codes":["${demo.approvals[0].code}"],"status":"REJECTED"}'`,
		'',
		'Ctrl+C stops it.',
	];
	console.log(lines.join('\n'));

	const stop = () => {
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	console.error(`sandbox failed to start: ${error.message}`);
	process.exit(1);
});
