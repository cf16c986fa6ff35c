import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../../adapters/http/admin-panel/html.js';

describe('the panel’s HTML template', () => {
  it('escapes the five characters that can leave text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('escapes every interpolated value, in text and in attributes', () => {
    const name = '"><script>alert(1)</script>';
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('keeps markup made by the template itself, escaping only once', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}</p>`.text).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('joins lists and shows nothing for false, null and undefined, but shows 0', () => {
    const items = ['<1>', html`<i>a</i>`, 2];
    expect(html`${items}|${false}|${null}|${undefined}|${0}`.text).toBe('&lt;1&gt;<i>a</i>2||||0');
  });

  it('does not take a string that looks like markup as markup', () => {
    const looksSafe = { text: '<script>' } as unknown as string;
    expect(html`${looksSafe}`.text).toBe('[object Object]');
  });
});
