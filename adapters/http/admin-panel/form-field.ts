import { html, type HtmlValue, type SafeHtml } from './html.js';

/**
 * One form field: its label tied to the control by `id` (so the control's name is the label
 * alone, whatever the hint says), and the hint read with it by assistive technology. The
 * control must carry `id="${id}"` and `aria-describedby="${id}-hint"` when there is a hint.
 */
export function field(id: string, label: string, hint: HtmlValue, control: SafeHtml): SafeHtml {
  return html`<div class="field">
    <label for="${id}">${label}</label>
    ${hint !== null && hint !== undefined && html`<small id="${id}-hint">${hint}</small>`}
    ${control}
  </div>`;
}

/** ` aria-invalid="true"` on the control a refusal is about, else nothing. */
export function invalidWhen(invalid: boolean): SafeHtml | '' {
  return invalid ? html` aria-invalid="true"` : '';
}
