// A document field: the file goes straight to the bucket with the form the API issues,
// then the page waits for the document check and shows what it found. The field's
// value (a hidden input of the form's name) is the upload id once the check passed.

import { Problem, api, fill, h, postToBucket, t, uid } from '../core.js';

const S = {
  choose: ['Файлды тандаңыз (JPEG, PNG же PDF)', 'Выберите файл (JPEG, PNG или PDF)', 'Choose a file (JPEG, PNG or PDF)'],
  uploading: ['Жүктөлүүдө…', 'Загружается…', 'Uploading…'],
  checking: ['Текшерилүүдө…', 'Проверяется…', 'Being checked…'],
  checked: ['Текшерилди ✓', 'Проверено ✓', 'Checked ✓'],
  rejected: ['Кабыл алынган жок — башка файл тандаңыз:', 'Не принято — выберите другой файл:', 'Not accepted — choose another file:'],
  slow: ['Текшерүү созулуп жатат. Бир аздан кийин кайра тандаңыз.', 'Проверка затянулась. Выберите файл ещё раз чуть позже.', 'The check is taking long. Choose the file again in a moment.'],
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Where uploads go: an account's own (`/v1/uploads`), or a registration draft's
 * before the account exists (`/v1/registration-drafts/uploads` with its token).
 */
export function ownUploads() {
  return {
    issue: (kind, contentType) => api('POST', '/v1/uploads', { kind, content_type: contentType }),
    get: (id) => api('GET', `/v1/uploads/${id}`),
    mrz: (id) => api('GET', `/v1/uploads/${id}/mrz`),
  };
}

export function draftUploads(draftToken) {
  const headers = async () => ({ 'X-Draft-Token': await draftToken() });
  return {
    issue: async (kind, contentType) =>
      api('POST', '/v1/registration-drafts/uploads', { kind, content_type: contentType }, await headers()),
    get: async (id) => api('GET', `/v1/registration-drafts/uploads/${id}`, undefined, await headers()),
    mrz: async (id) => api('GET', `/v1/registration-drafts/uploads/${id}/mrz`, undefined, await headers()),
  };
}

/** Uploads `file` as a document of `kind` and waits for its check: the document. */
export async function uploadChecked(store, kind, file) {
  const issued = await store.issue(kind, file.type || 'application/octet-stream');
  await postToBucket(issued.form, file);
  const id = issued.document.upload_id;
  for (let i = 0; i < 120; i++) {
    const document = await store.get(id);
    if (document.status !== 'awaiting_upload') return document;
    await sleep(i < 10 ? 300 : 1000);
  }
  throw new Problem({ status: 0, code: 'slow_check', detail: t(S.slow) });
}

/**
 * A labelled file input for the document of `kind`, named `name` in the form.
 * `onChecked(document)` runs once the check passed.
 */
export function fileField({ name, label, kind, store, required = true, accept = 'image/jpeg,image/png,application/pdf', hint, onChecked }) {
  const id = uid(name);
  const state = h('p.hint', { id: `${id}-state`, 'aria-live': 'polite' });
  const error = h('p.error', { id: `${id}-error`, hidden: true });
  const value = h('input', { type: 'hidden', name, value: '' });
  const input = h('input', {
    id, type: 'file', accept, required,
    'aria-describedby': `${id}-hint ${id}-state ${id}-error`,
    'data-kind': kind,
  });
  // Only the newest choice counts: a file chosen while another still uploads wins.
  let latest = 0;
  value.addEventListener('kept', () => fill(state, t(S.checked)));
  input.addEventListener('change', async () => {
    const run = ++latest;
    const file = input.files?.[0];
    value.value = '';
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    if (!file) return;
    state.textContent = t(S.uploading);
    try {
      const document = await uploadChecked(store, kind, file);
      if (run !== latest) return;
      if (document.status === 'checked') {
        value.value = document.upload_id;
        fill(state, t(S.checked),
          document.findings?.length ? h('ul.findings', document.findings.map((f) => h('li', f.message))) : null);
        await onChecked?.(document);
      } else {
        state.textContent = '';
        error.replaceChildren(t(S.rejected),
          h('ul.findings', (document.findings ?? []).map((f) => h('li', f.message))));
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
      }
    } catch (problem) {
      if (!(problem instanceof Problem)) throw problem;
      if (run !== latest) return;
      state.textContent = '';
      error.textContent = problem.detail;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    }
  });
  return h('div.field', { 'data-field': name },
    h('label', { for: id }, t(label), required ? h('span.req', { 'aria-hidden': 'true' }, ' *') : null),
    h('p.hint', { id: `${id}-hint` }, t(hint ?? S.choose)),
    input, state, value, error);
}

