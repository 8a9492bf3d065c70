// The registration operator's console: the queue of paid registrations, oldest payment
// first, and one registration with its documents, zone, flags and history, confirmed or
// refused.

import { W, actionButton, api, facts, form, h, heading, link, notice, t, table, when } from '../core.js';
import { navigate } from '../nav.js';
import { PAYMENT, PURPOSES } from './ereg.js';
import { STAY_STATUS } from './public.js';

const S = {
  queue: ['Чечим күткөн каттоолор', 'Регистрации, ожидающие решения', 'Registrations waiting for a decision'],
  overdueOnly: ['Мөөнөтү өткөндөр гана', 'Только просроченные', 'Overdue only'],
  all: ['Баары', 'Все', 'All'],
  number: ['Номери', 'Номер', 'Number'],
  guest: ['Чет элдик', 'Иностранец', 'Foreigner'],
  nationality: ['Жарандыгы', 'Гражданство', 'Citizenship'],
  city: ['Шаар', 'Город', 'City'],
  paidAt: ['Төлөнгөн', 'Оплачено', 'Paid'],
  dueAt: ['Мөөнөтү', 'Срок решения', 'Due'],
  overdue: ['мөөнөтү өттү', 'просрочено', 'overdue'],
  flags: ['Белгилер', 'Отметки', 'Flags'],
  noFlags: ['жок', 'нет', 'none'],
  title: ['Каттоо №{n}', 'Регистрация № {n}', 'Registration {n}'],
  host: ['Кабыл алуучу тарап', 'Принимающая сторона', 'Host'],
  documents: ['Документтер', 'Документы', 'Documents'],
  scan: ['Паспорттун сканы', 'Скан паспорта', 'Passport scan'],
  photo: ['Сүрөт', 'Фотография', 'Photo'],
  zone: ['Машина окуй турган зона', 'Машиночитаемая зона', 'Machine-readable zone'],
  zoneValid: ['Текшерүү сандары туура', 'Контрольные цифры сходятся', 'Check digits hold'],
  zoneInvalid: ['Текшерүү сандары туура эмес', 'Контрольные цифры не сходятся', 'Check digits fail'],
  mismatches: ['Зона менен айырмалар', 'Расхождения с зоной', 'Differences from the zone'],
  field: ['Талаа', 'Поле', 'Field'],
  typed: ['Жазылганы', 'Введено', 'Typed'],
  read: ['Окулганы', 'Прочитано', 'Read'],
  history: ['Тарыхы', 'История', 'History'],
  at: ['Убактысы', 'Время', 'When'],
  action: ['Аракет', 'Действие', 'Action'],
  actor: ['Ким', 'Кто', 'By'],
  confirm: ['Ырастоо', 'Подтвердить', 'Confirm'],
  refuse: ['Баш тартуу', 'Отказать', 'Refuse'],
  reason: ['Баш тартуунун себеби', 'Причина отказа', 'Reason for refusal'],
  decided: ['Чечим кабыл алынды: {status}.', 'Решение принято: {status}.', 'Decided: {status}.'],
  open: ['Ачуу', 'Открыть', 'Open'],
  link: ['Файлды ачуу (5 мүнөт)', 'Открыть файл (5 минут)', 'Open the file (5 minutes)'],
  findings: ['Текшерүүнүн жыйынтыгы', 'Результаты проверки', 'Check findings'],
  stay: ['Жашоо мөөнөтү', 'Срок пребывания', 'Stay'],
  housing: ['Турак жай', 'Жильё', 'Housing'],
  passport: ['Паспорт', 'Паспорт', 'Passport'],
  purpose: ['Максаты', 'Цель', 'Purpose'],
  fee: ['Төлөм', 'Оплата', 'Fee'],
};

/** The flag codes of the queue, as an operator reads them. */
const FLAGS = {
  mrz_not_found: ['Зона табылган жок', 'Зона не найдена', 'No zone found'],
  mrz_illegible: ['Зона окулбайт', 'Зона нечитаема', 'Zone illegible'],
  mrz_check_failed: ['Текшерүү сандары туура эмес', 'Контрольные цифры не сходятся', 'Check digits fail'],
  mrz_untrusted: ['Зона так окулган жок', 'Зона прочитана неуверенно', 'Zone read unsurely'],
  mrz_mismatch: ['Зона менен айырма', 'Расхождение с зоной', 'Differs from the zone'],
  photo_warning: ['Сүрөт боюнча эскертүү', 'Замечание к фотографии', 'Photo warning'],
};

const ACTIONS = {
  submitted: ['Берилди', 'Подана', 'Submitted'],
  paid: ['Төлөндү', 'Оплачена', 'Paid'],
  payment_after_cancel: ['Жокко чыгарылгандан кийин төлөндү', 'Оплачена после отмены', 'Paid after cancellation'],
  confirmed: ['Ырасталды', 'Подтверждена', 'Confirmed'],
  refused: ['Баш тартылды', 'Отказано', 'Refused'],
  cancelled: ['Жокко чыгарылды', 'Отменена', 'Cancelled'],
  expired: ['Мөөнөтү бүттү', 'Срок истёк', 'Expired'],
};

const ACTORS = {
  host: ['Кабыл алуучу тарап', 'Принимающая сторона', 'Host'],
  registration_operator: ['Оператор', 'Оператор', 'Operator'],
  admin: ['Администратор', 'Администратор', 'Administrator'],
  system: ['Система', 'Система', 'System'],
};

const DOCUMENT_STATUS = {
  awaiting_upload: ['Жүктөлө элек', 'Не загружен', 'Not uploaded'],
  checked: ['Текшерилди', 'Проверен', 'Checked'],
  rejected: ['Кабыл алынган жок', 'Не принят', 'Rejected'],
};

const named = (table, code) => t(table[code] ?? code);

export async function queue({ query }) {
  const overdue = query.get('overdue') === 'true';
  const { registrations } = await api('GET', `/v1/operator/registrations${overdue ? '?overdue=true' : ''}`);
  return h('section',
    heading(S.queue),
    h('div.actions',
      link('/operator/registrations', t(S.all)),
      link('/operator/registrations?overdue=true', t(S.overdueOnly))),
    table(S.queue, [
      [S.number, (r) => link(`/operator/registrations/${r.number}`, r.number)],
      [S.guest, (r) => r.guest],
      [S.nationality, (r) => r.nationality],
      [S.city, (r) => r.city],
      [S.paidAt, (r) => when(r.paid_at)],
      [S.dueAt, (r) => [when(r.due_at), r.overdue ? h('strong', ` (${t(S.overdue)})`) : null]],
      [S.flags, (r) => (r.flags.length ? [...new Set(r.flags)].map((f) => named(FLAGS, f)).join(', ') : t(S.noFlags))],
    ], registrations));
}

function documentView(label, doc) {
  if (!doc) return null;
  return h('li',
    h('strong', t(label)), ': ',
    doc.link ? h('a', { href: doc.link, target: '_blank', rel: 'noopener' }, t(S.link)) : named(DOCUMENT_STATUS, doc.status),
    doc.findings?.length ? h('ul.findings', doc.findings.map((f) => h('li', f.message ?? f.code))) : null);
}

export async function review({ params }) {
  const number = params.number;
  const r = await api('GET', `/v1/operator/registrations/${encodeURIComponent(number)}`);
  const reg = r.registration;
  const outcome = h('div', { 'aria-live': 'polite' });
  const decide = async (path, body) => {
    const decided = await api('POST', `/v1/operator/registrations/${encodeURIComponent(number)}/${path}`, body);
    outcome.replaceChildren(notice('ok', t(S.decided, { status: t(STAY_STATUS[decided.status] ?? decided.status) })));
    setTimeout(() => navigate(`/operator/registrations/${number}`, true), 0);
  };
  const waiting = reg.status === 'paid';
  return h('section',
    heading(S.title, { n: reg.number }),
    h('p.verdict', h(`span.badge.${reg.status}`, t(STAY_STATUS[reg.status] ?? reg.status))),
    outcome,
    r.flags.length ? notice('warn', h('ul', r.flags.map((f) => h('li', f.message)))) : null,
    facts([
      [S.guest, reg.guest.full_name],
      [S.passport, `${reg.guest.document_country} ${r.document_number}`],
      [S.nationality, reg.guest.nationality],
      [S.stay, `${when(reg.stay_from)} – ${when(reg.stay_to)}`],
      [S.housing, `${reg.housing.code} · ${reg.housing.city}, ${reg.housing.address}`],
      [S.purpose, t(PURPOSES.find(([v]) => v === reg.purpose)?.[1] ?? reg.purpose)],
      [S.fee, `${reg.fee.amount} ${reg.fee.currency} · ${t(PAYMENT[reg.payment] ?? reg.payment)}`],
      [S.host, r.host ? `${r.host.name} · ${r.host.email} · ${r.host.phone}` : null],
    ]),
    h('h2', t(S.documents)),
    h('ul', documentView(S.scan, r.passport_scan), documentView(S.photo, r.photo)),
    r.mrz ? [
      h('h2', t(S.zone)),
      h('p', t(r.mrz.valid ? S.zoneValid : S.zoneInvalid)),
      h('pre.zone', { tabindex: '0', 'aria-label': t(S.zone) }, r.mrz.lines.join('\n')),
    ] : null,
    r.mismatches.length ? table(S.mismatches, [
      [S.field, (m) => m.field], [S.typed, (m) => m.typed], [S.read, (m) => m.read],
    ], r.mismatches) : null,
    waiting ? [
      h('div.actions', actionButton(t(S.confirm), () => decide('confirm'), { primary: true, slot: outcome })),
      h('h2', t(S.refuse)),
      form({
        fields: [{ name: 'reason', label: S.reason, type: 'textarea', required: true }],
        submit: S.refuse,
        onSubmit: (values) => decide('refuse', values),
      }),
    ] : null,
    h('h2', t(S.history)),
    table(S.history, [
      [S.at, (a) => when(a.at)],
      [S.action, (a) => [named(ACTIONS, a.action), a.reason ? ` — ${a.reason}` : '']],
      [S.actor, (a) => named(ACTORS, a.actor_role.startsWith('host') ? 'host' : a.actor_role)],
    ], r.audit),
    h('p', link('/operator/registrations', t(W.back))));
}
