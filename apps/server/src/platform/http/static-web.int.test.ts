import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';

describe('serving the web app', () => {
  let t: TestApp;
  const webDir = mkdtempSync(join(tmpdir(), 'kpl-web-'));
  beforeAll(async () => {
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>考培练</title></html>');
    writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log(1)');
    t = await createTestApp({}, { webDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml' };

  it('serves index.html at / and for any page URL (history mode)', async () => {
    for (const url of ['/', '/login', '/admin/users?page=2']) {
      const res = await t.app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>考培练</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves built assets', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
  });

  it('never answers API, docs or health paths with the page', async () => {
    for (const url of ['/api/v1/nothing', '/health/nothing', '/metrics/x']) {
      const res = await t.app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('ERR-COMMON-0005');
    }
    const missingAsset = await t.app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(missingAsset.statusCode).toBe(404);
  });
});
