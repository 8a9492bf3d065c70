// The portal's core: elements, the three languages, the API client, the session and
// forms whose errors stand beside the field they name. No framework: pages are plain
// functions that return elements, so the portal ships as the files it is written in.

export const LANGS = ['ky', 'ru', 'en'];
const LANG_NAMES = { ky: 'Кыргызча', ru: 'Русский', en: 'English' };

// ---------------------------------------------------------------- language

/** The chosen language: remembered on this device, Kyrgyz until one is chosen. */
export function lang() {
  const chosen = localStorage.getItem('lang');
  return LANGS.includes(chosen) ? chosen : 'ky';
}

export function setLang(code) {
  localStorage.setItem('lang', code);
  document.documentElement.lang = code;
  window.dispatchEvent(new Event('langchange'));
}

export const langName = (code) => LANG_NAMES[code];

/**
 * A string in the chosen language: `entry` is `[ky, ru, en]`; `{name}` placeholders
 * take `vars`.
 */
export function t(entry, vars = {}) {
  if (!Array.isArray(entry)) return String(entry ?? '');
  const text = entry[LANGS.indexOf(lang())] ?? entry[2];
  return text.replace(/\{(\w+)\}/g, (_, key) => (key in vars ? vars[key] : `{${key}}`));
}

/** Shared words. */
export const W = {
  submit: ['Жөнөтүү', 'Отправить', 'Send'],
  save: ['Сактоо', 'Сохранить', 'Save'],
  next: ['Кийинки', 'Далее', 'Next'],
  back: ['Артка', 'Вернуться', 'Back'],
  check: ['Текшерүү', 'Проверить', 'Check'],
  cancel: ['Жокко чыгаруу', 'Отменить', 'Cancel'],
  open: ['Ачуу', 'Открыть', 'Open'],
  loading: ['Жүктөлүүдө…', 'Загрузка…', 'Loading…'],
  none: ['Азырынча эч нерсе жок.', 'Пока ничего нет.', 'Nothing yet.'],
  required: ['милдеттүү', 'обязательно', 'required'],
  offline: [
    'Сервер жеткиликсиз. Байланышты текшерип, кайра аракет кылыңыз.',
    'Сервер недоступен. Проверьте подключение и повторите попытку.',
    'The service cannot be reached. Check your connection and try again.',
  ],
  unexpected: [
    'Күтүлбөгөн жооп келди. Кайра аракет кылыңыз.',
    'Получен неожиданный ответ. Повторите попытку.',
    'An unexpected answer came back. Please try again.',
  ],
  fixBelow: [
    'Төмөнкү талааларды оңдоңуз.',
    'Исправьте поля ниже.',
    'Please correct the fields below.',
  ],
  date: ['Күнү', 'Дата', 'Date'],
  status: ['Абалы', 'Статус', 'Status'],
  number: ['Номери', 'Номер', 'Number'],
  signOut: ['Чыгуу', 'Выйти', 'Sign out'],
  language: ['Тил', 'Язык', 'Language'],
  skip: ['Негизги мазмунга өтүү', 'Перейти к содержимому', 'Skip to content'],
};

// ---------------------------------------------------------------- elements

/**
 * An element: `h('button.primary', {type: 'submit', onclick}, 'Text', child…)`.
 * Attributes starting with `on` are listeners; `false`/`null` attributes are left out;
 * children may be strings, nodes, arrays or nothing.
 */
export function h(spec, attrs = {}, ...children) {
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = [el.className, value].filter(Boolean).join(' ');
    else if (key in el && key !== 'list' && key !== 'form' && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** A link the router follows without reloading the page. */
export const link = (href, ...children) => h('a', { href, 'data-link': '' }, ...children);

/** Replaces what `el` holds. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
export const uid = (prefix = 'f') => `${prefix}-${++ids}`;

// ---------------------------------------------------------------- session

const SESSION = 'session';

/** The signed-in account, kept for this browser tab only. */
export const session = {
  get() {
    try {
      return JSON.parse(sessionStorage.getItem(SESSION));
    } catch {
      return null;
    }
  },
  set(issued) {
    sessionStorage.setItem(SESSION, JSON.stringify({ token: issued.token, account: issued.account }));
  },
  clear() {
    sessionStorage.removeItem(SESSION);
  },
  type() {
    return this.get()?.account?.type ?? null;
  },
};

// ---------------------------------------------------------------- API

/** An answer that was not a success: the API's problem+json, or one made here. */
export class Problem extends Error {
  constructor(body, status) {
    super(body?.detail ?? 'problem');
    this.status = body?.status ?? status;
    this.code = body?.code ?? 'unexpected';
    this.detail = body?.detail ?? t(W.unexpected);
    this.errors = body?.errors ?? [];
    this.requestId = body?.request_id;
  }
}

/**
 * Calls the API in the chosen language with the session's token (and `extraHeaders`):
 * the JSON answer, or a thrown `Problem`. A `401` ends the session here as it has
 * ended there.
 */
export async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang(), ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = session.get()?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Problem({ status: 0, code: 'offline', detail: t(W.offline) });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    if (response.status === 401 && token) {
      // The session ended there (idle, or signed out elsewhere): sign in again here.
      session.clear();
      window.dispatchEvent(new Event('signedout'));
    }
    throw new Problem(data, response.status);
  }
  return data;
}

/** Posts `file` to S3 with the form the API issued; throws a `Problem` on refusal. */
export async function postToBucket(form, file) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', file);
  let response;
  try {
    response = await fetch(form.url, { method: 'POST', body });
  } catch {
    throw new Problem({ status: 0, code: 'offline', detail: t(W.offline) });
  }
  if (!response.ok) throw new Problem({ status: response.status, code: 'upload_refused', detail: t(UPLOAD_REFUSED) });
}

const UPLOAD_REFUSED = [
  'Файл кабыл алынган жок: түрүн жана көлөмүн текшериңиз.',
  'Файл не принят: проверьте его тип и размер.',
  'The file was not accepted: check its type and size.',
];

// ---------------------------------------------------------------- forms

/**
 * A labelled field with its error slot: `{name, label, type, required, options,
 * autocomplete, hint, value, inputmode, attrs}`. `options` makes a select of
 * `[value, label]`; `type: 'textarea'` a text area.
 */
export function field(spec) {
  const id = uid(spec.name);
  const errorId = `${id}-error`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const common = {
    id,
    name: spec.name,
    required: !!spec.required,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    autocomplete: spec.autocomplete ?? 'off',
    ...(spec.attrs ?? {}),
  };
  let control;
  if (spec.options) {
    control = h('select', common,
      spec.required ? null : h('option', { value: '' }, '—'),
      spec.options.map(([value, label]) => h('option', { value, selected: value === spec.value }, t(label))));
  } else if (spec.type === 'textarea') {
    control = h('textarea', { ...common, rows: 4 }, spec.value ?? '');
  } else if (spec.type === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox', checked: !!spec.value });
    return h('div.field.check', { 'data-field': spec.name },
      control, h('label', { for: id }, t(spec.label)),
      spec.hint ? h('p.hint', { id: hintId }, t(spec.hint)) : null,
      h('p.error', { id: errorId, hidden: true }));
  } else {
    control = h('input', {
      ...common,
      type: spec.type ?? 'text',
      value: spec.value ?? '',
      inputmode: spec.inputmode,
    });
  }
  return h('div.field', { 'data-field': spec.name },
    h('label', { for: id }, t(spec.label), spec.required ? h('span.req', { 'aria-hidden': 'true' }, ' *') : null),
    spec.hint ? h('p.hint', { id: hintId }, t(spec.hint)) : null,
    control,
    h('p.error', { id: errorId, hidden: true }));
}

/** The form's values by field name: checkboxes as booleans, empty text left out. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'file') continue;
    else if (el.value.trim() !== '') out[el.name] = el.value.trim();
  }
  return out;
}

/** Clears what a form last showed of a problem. */
export function clearErrors(form) {
  for (const slot of form.querySelectorAll('.error')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  form.querySelector('.form-alert')?.remove();
}

/**
 * Shows `problem` on `form`: each field error beside its field (marked invalid), and
 * what names no field of the form in an alert at its top. Focus goes to the first.
 */
export function showProblem(form, problem) {
  clearErrors(form);
  const loose = [];
  let first = null;
  for (const error of problem.errors ?? []) {
    const name = error.field.split(/[.[]/)[0];
    const box = form.querySelector(`[data-field="${CSS.escape(error.field)}"]`) ??
      form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    const slot = box?.querySelector('.error');
    if (!slot) {
      loose.push(error.detail);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent} ${error.detail}` : error.detail;
    slot.hidden = false;
    const control = box.querySelector('input, select, textarea');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control;
  }
  const message = problem.errors?.length ? (loose.length ? loose.join(' ') : t(W.fixBelow)) : problem.detail;
  const alert = h('div.form-alert', { role: 'alert', tabindex: '-1' }, message,
    problem.requestId && !problem.errors?.length && problem.status >= 500
      ? h('small', ` (${problem.requestId})`) : null);
  form.prepend(alert);
  (first ?? alert).focus();
}

/**
 * A form that sends itself: `fields` (specs or nodes), `onSubmit(values, form)` may
 * throw a `Problem`, which the form shows; the button is disabled meanwhile.
 */
export function form({ fields, submit = W.submit, onSubmit, extra = [] }) {
  const button = h('button.primary', { type: 'submit' }, t(submit));
  const el = h('form', { novalidate: true },
    fields.map((f) => (f instanceof Node ? f : field(f))),
    extra,
    h('div.actions', button));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(el);
    button.disabled = true;
    el.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(values(el), el);
    } catch (problem) {
      if (!(problem instanceof Problem)) throw problem;
      if (el.isConnected) showProblem(el, problem);
    } finally {
      button.disabled = false;
      el.removeAttribute('aria-busy');
    }
  });
  return el;
}

/**
 * A button that runs `action` once at a time: disabled meanwhile, a refusal shown in
 * `slot` (a live region) as the API's message.
 */
export function actionButton(label, action, { primary = false, slot }) {
  const button = h(primary ? 'button.primary' : 'button', {
    type: 'button',
    onclick: async () => {
      slot.replaceChildren();
      button.disabled = true;
      try {
        await action();
      } catch (problem) {
        if (!(problem instanceof Problem)) throw problem;
        slot.replaceChildren(notice('warn', problem.detail));
      } finally {
        button.disabled = false;
      }
    },
  }, label);
  return button;
}

/** A notice: `kind` is `info`, `ok` or `warn`. */
export const notice = (kind, ...children) =>
  h(`div.notice.${kind}`, { role: kind === 'warn' ? 'alert' : 'status' }, ...children);

/** A definition list of `[label, value]`. */
export const facts = (rows) =>
  h('dl.facts', rows.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([label, value]) => [h('dt', t(label)), h('dd', value)]));

/** A table with a caption: `columns` are `[label, row => cell]`. */
export function table(caption, columns, rows) {
  if (!rows.length) return h('p.empty', t(W.none));
  return h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': t(caption) },
    h('table',
      h('caption', t(caption)),
      h('thead', h('tr', columns.map(([label]) => h('th', { scope: 'col' }, t(label))))),
      h('tbody', rows.map((row) => h('tr', columns.map(([, cell]) => h('td', cell(row))))))));
}

/** A date or time as people read it here (Bishkek time). */
export function when(value) {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}.${m}.${y}`;
  }
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(lang() === 'en' ? 'en-GB' : 'ru-RU', {
    timeZone: 'Asia/Bishkek', dateStyle: 'short', timeStyle: 'short',
  });
}

/** The page's main heading, focused after each navigation for screen readers. */
export const heading = (text, vars) => h('h1', { tabindex: '-1' }, t(text, vars));
