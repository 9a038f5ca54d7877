// `n8n start` comes from the e2e helpers; the screenshots also need an owner to log in as.

export const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Owner', password: 'Screenshots-2026' };

/** The first user of a fresh n8n becomes the owner; without one the editor only shows the setup form. */
export async function setUpOwner(url: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (response.ok) return;
		// n8n answers /healthz and /rest/settings a moment before it has mounted every controller [seen: 404].
		if (response.status !== 404 || Date.now() > deadline) {
			throw new Error(`POST /rest/owner/setup answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
}
