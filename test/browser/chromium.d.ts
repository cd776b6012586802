import { Page } from 'playwright-core';

/** Where the browser is: `CHROMIUM_PATH`, or Debian's /usr/bin/chromium. */
export const CHROMIUM: string;

/** Throws, saying how to get it, when the browser is missing. */
export function assertChromium(): void;

/** A page in headless Chromium, what it printed, and how to close everything opened for it. */
export interface BrowserPage {
  page: Page;
  console: string[];
  close(): Promise<void>;
}

/** A fresh headless Chromium on `url`, or on a blank local page that runs `script` (a bundle). */
export function openPage(target: { url: string } | { script: string }): Promise<BrowserPage>;

/** `entry` bundled for the browser as one script defining `globalName`, packages from `nodeModules`. */
export function bundleForBrowser(entry: string, globalName: string, nodeModules: string): Promise<string>;
