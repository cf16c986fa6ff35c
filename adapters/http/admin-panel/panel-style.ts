import { createHash } from 'node:crypto';

/**
 * The panel's one stylesheet, inlined in every page and allowed by its hash in the
 * Content-Security-Policy: no other style, and no script at all, can run on a panel page.
 * Phone first: one column of cards, tap targets of at least 44 px, long ids and masked URLs
 * wrapped anywhere so nothing scrolls sideways; wider screens get a wider column.
 */
export const PANEL_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif;color:#1d2330;background:#f3f5f8;overflow-wrap:anywhere}
header{background:#16324f;color:#fff;padding:12px 16px}
header h1{margin:0 0 8px;font-size:1.15rem}
nav{display:flex;flex-wrap:wrap;gap:8px}
nav a,nav button{display:inline-flex;align-items:center;min-height:44px;padding:0 14px;border-radius:8px;background:#24507c;color:#fff;text-decoration:none;border:0;font:inherit;cursor:pointer}
nav a[aria-current=page]{background:#fff;color:#16324f;font-weight:600}
nav form{margin:0}
main{max-width:60rem;margin:0 auto;padding:16px}
h2{font-size:1.2rem;margin:24px 0 12px}
h3{font-size:1.05rem;margin:0 0 8px}
.card{background:#fff;border:1px solid #d9dee6;border-radius:12px;padding:16px;margin:0 0 12px}
.card.broken{border-color:#c62828;border-width:2px}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:4px 12px;margin:8px 0 0}
dt{color:#5a6475}
dd{margin:0;min-width:0}
.badge{display:inline-block;padding:2px 8px;border-radius:999px;font-size:.85rem;font-weight:600;vertical-align:middle}
.ok{background:#e3f4e6;color:#1b5e20}
.warn{background:#fff4d6;color:#7a5100}
.bad{background:#fde2e2;color:#b71c1c}
.muted{color:#5a6475}
.notice{border-radius:10px;padding:12px 14px;margin:0 0 16px}
.notice.ok{border:1px solid #9ccc9f}
.notice.bad{border:1px solid #e79b9b}
.notice.warn{border:1px solid #e6c46e}
code,.secret{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9rem}
.secret{display:block;background:#f7f7f9;border:1px dashed #8a94a6;border-radius:8px;padding:10px;user-select:all}
form.stack{display:grid;gap:14px}
.field{display:grid;gap:4px}
label{font-weight:600}
.field small{color:#5a6475}
input,select,textarea{font:inherit;min-height:44px;padding:8px 10px;border:1px solid #9aa5b5;border-radius:8px;width:100%;background:#fff}
input[type=checkbox]{width:24px;min-height:24px;height:24px}
label.check{display:flex;align-items:center;gap:10px;font-weight:400}
[aria-invalid=true]{border-color:#c62828;outline:2px solid #f3b6b6}
.actions{display:flex;flex-wrap:wrap;gap:10px;margin-top:12px}
.actions form{margin:0}
.filter select{flex:1 1 12rem;width:auto}
.button,button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:0 18px;border-radius:8px;border:1px solid #24507c;background:#24507c;color:#fff;font:inherit;text-decoration:none;cursor:pointer}
.button.secondary,button.secondary{background:#fff;color:#24507c}
.button.danger,button.danger{background:#c62828;border-color:#c62828;color:#fff}
pre{white-space:pre-wrap;background:#f7f7f9;border-radius:8px;padding:10px;margin:8px 0 0;font-size:.9rem}
@media (min-width:48rem){main{padding:24px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}.grid .card{margin:0}}
`;

/** The stylesheet's CSP source: `'sha256-…'` of exactly the text in the `<style>` element. */
export const PANEL_CSS_SOURCE = `'sha256-${createHash('sha256').update(PANEL_CSS).digest('base64')}'`;
