import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { OWNER } from './n8nServer';

// Driving n8n 2.8's editor by the data-test-id attributes its own end-to-end tests use.

// Debian's Chromium, headless; without the background-networking flags it keeps dialing Google's
// hosts, which this machine's closed network refuses (.library/env/machines/node.md).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
	return await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export class Editor {
	constructor(
		readonly page: Page,
		private readonly url: string,
	) {}

	static async signIn(browser: Browser, url: string): Promise<Editor> {
		// One context: the auth cookie set by the sign-in form serves every later page.
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
		const page = await context.newPage();
		await page.goto(`${url}/signin`);
		await page.fill('input[name=emailOrLdapLoginId]', OWNER.email);
		await page.fill('input[name=password]', OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 30_000 });
		return new Editor(page, url);
	}

	/** A fresh page per picture: nothing left over from the last one, and no "unsaved changes" prompt. */
	async openWorkflow(id: string): Promise<void> {
		const old = this.page;
		(this as { page: Page }).page = await old.context().newPage();
		await old.close();
		await this.page.goto(`${this.url}/workflow/${id}`);
		await this.page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 60_000 });
		await this.dismissPopups();
	}

	/** First-run surveys, banners and toasts: close whatever is visible. */
	async dismissPopups(): Promise<void> {
		for (const selector of ['[data-test-id=nps-survey-modal] button[aria-label=Close]', '.el-dialog__headerbtn:visible', '.el-notification__closeBtn:visible', '[data-test-id=banner-stack] [data-test-id=banner-close-button]']) {
			for (const button of await this.page.locator(selector).all()) {
				if (await button.isVisible()) await button.click({ timeout: 2_000 }).catch(() => undefined);
			}
		}
	}

	async openNode(name: string): Promise<void> {
		await this.page.locator(`[data-test-id=canvas-node][data-node-name="${name}"]`).dblclick();
		await this.page.locator('[data-test-id=ndv] [data-test-id=node-parameters]').waitFor();
		await this.settle();
	}

	parameter(name: string): Locator {
		return this.page.locator(`[data-test-id=parameter-input-${name}]`);
	}

	async selectOption(parameter: string, option: string): Promise<void> {
		await this.parameter(parameter).click();
		// By the start of its text: the name comes first, and a plain hasText also matches another
		// option's description ("Status" is in the description of "Approvers").
		const name = new RegExp(`^\\s*${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
		await this.page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
		await this.unfocus();
		await this.settle();
		const shown = await this.selectedOption(parameter);
		if (shown !== option) throw new Error(`${parameter} shows "${shown}" after choosing "${option}"`);
	}

	/** The option a dropdown shows as chosen. */
	async selectedOption(parameter: string): Promise<string> {
		const input = this.parameter(parameter).locator('input').first();
		const fromInput = (await input.count()) ? await input.inputValue() : '';
		return (fromInput || (await this.parameter(parameter).innerText())).trim();
	}

	/** Opens a dropdown and leaves it open, so the picture shows the options and their descriptions. */
	async openDropdown(parameter: string): Promise<void> {
		await this.parameter(parameter).click();
		await this.page.locator('.el-select-dropdown__item:visible').first().waitFor();
		await this.settle();
	}

	async fill(parameter: string, value: string): Promise<void> {
		await this.parameter(parameter).locator('input, textarea').first().fill(value);
		// Unfocused, so the picture shows the value rather than the "drag input data here" tip.
		await this.unfocus();
		await this.settle();
	}

	/** A wider window for a wide table; the next page is back to the context's size. */
	async resize(width: number, height: number): Promise<void> {
		await this.page.setViewportSize({ width, height });
		await this.settle();
	}

	/**
	 * Drags the parameters panel to the left, so the output table shows more columns. n8n keeps
	 * the panel's position for later panels in this browser context.
	 */
	async widenOutput(by = 400): Promise<void> {
		const handle = await this.page.locator('[data-test-id=ndv] [data-test-id=panel-drag-button]').boundingBox();
		if (!handle) throw new Error('no panel drag handle in the node panel');
		const x = handle.x + handle.width / 2;
		const y = handle.y + handle.height / 2;
		await this.page.mouse.move(x, y);
		await this.page.mouse.down();
		// In steps: one jump is not seen as a drag.
		for (let moved = 40; moved <= by; moved += 40) await this.page.mouse.move(x - moved, y);
		await this.page.mouse.up();
		await this.movePointerAway();
		await this.settle();
	}

	/** Runs the open node ("Execute step" / "Fetch Test Event") and waits for its items. */
	async executeNode(): Promise<void> {
		await this.page.locator('[data-test-id=ndv] [data-test-id=node-execute-button]').click();
		await this.page.locator('[data-test-id=output-panel] [data-test-id=ndv-items-count], [data-test-id=output-panel] [data-test-id=run-data-item-count]').first().waitFor({ timeout: 60_000 });
		await this.closeToasts();
		// The pointer stays on the button otherwise, and its tooltip covers the output's header.
		await this.movePointerAway();
		await this.settle();
	}

	/** Scrolls the parameters panel down, by default to its end (the wheel, over the panel). */
	async scrollParameters(by = 3000): Promise<void> {
		const panel = await this.page.locator('[data-test-id=ndv] [data-test-id=node-parameters]').boundingBox();
		if (!panel) throw new Error('no parameters panel');
		await this.page.mouse.move(panel.x + panel.width / 2, panel.y + panel.height / 2);
		await this.page.mouse.wheel(0, by);
		await this.movePointerAway();
		await this.settle();
	}

	/** Opens the trigger's "Webhook URLs" and shows the Production URL, the one Feishu calls. */
	async showProductionWebhookUrl(): Promise<void> {
		const ndv = this.page.locator('[data-test-id=ndv]');
		await ndv.getByText('Webhook URLs', { exact: true }).click();
		await ndv.getByText('Production URL', { exact: true }).click();
		await this.movePointerAway();
		await this.settle();
	}

	async zoomOut(): Promise<void> {
		await this.page.locator('[data-test-id=zoom-out-button]').click();
		await this.movePointerAway();
		await this.settle(800);
	}

	/** The whole workflow on the canvas (the canvas's own "Zoom to Fit"). */
	async zoomToFit(): Promise<void> {
		await this.page.locator('[data-test-id=zoom-to-fit]').click();
		await this.movePointerAway();
		await this.settle(800);
	}

	/** Shows the output panel's items as Schema, Table or JSON (the panel's own switch). */
	async showOutputAs(mode: 'Schema' | 'Table' | 'JSON'): Promise<void> {
		await this.page.locator('[data-test-id=output-panel] [data-test-id=ndv-run-data-display-mode]').getByText(mode, { exact: true }).click();
		await this.movePointerAway();
		await this.settle();
	}

	async closeToasts(): Promise<void> {
		for (const close of await this.page.locator('.el-notification__closeBtn:visible').all()) await close.click().catch(() => undefined);
		await this.page.locator('.el-notification:visible').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
	}

	/** The credential of the open node, in its dialog; the dialog tests the connection on opening. */
	async openCredential(): Promise<void> {
		await this.page.locator('[data-test-id=ndv] [data-test-id=credential-edit-button]').click();
		const dialog = this.page.locator('[data-test-id=editCredential-modal]');
		await dialog.waitFor();
		await dialog.locator('[data-test-id=credentials-config-container-test-success], [data-test-id=credentials-config-container-test-error]').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
		await this.settle();
	}

	/** No focus ring, no hover: the field as a reader sees it. */
	async unfocus(): Promise<void> {
		// A string: the project's TypeScript has no DOM types.
		await this.page.evaluate('document.activeElement && document.activeElement.blur()');
		await this.movePointerAway();
	}

	/** To the backdrop above the panel: hovering there shows nothing (the left edge has node tooltips). */
	async movePointerAway(): Promise<void> {
		await this.page.mouse.move(720, 8);
	}

	async screenshot(path: string): Promise<void> {
		await this.page.screenshot({ path, animations: 'disabled', caret: 'hide' });
	}

	/** Lets transitions and debounced updates finish; the editor has no "idle" signal to wait for. */
	async settle(ms = 400): Promise<void> {
		await this.page.waitForTimeout(ms);
	}
}
