// The labour operator's console: the queues of e-work applications by kind and status,
// one application with the applicant, documents and history and the decisions that fit
// it, and the e-work accounts waiting for activation.

import { Problem, W, actionButton, api, facts, field, form, h, heading, link, notice, t, table, when } from '../core.js';
import { navigate } from '../nav.js';
import { F, KINDS, choice, today } from './ework-forms.js';
import { STATUSES, applicationDetails, kindLabel, slotLabel } from './ework.js';

const ACCOUNT_TYPES = [
  ['employer', ['Иш берүүчү', 'Работодатель', 'Employer']],
  ['foreign_entrepreneur', ['Чет элдик жеке ишкер', 'Иностранный индивидуальный предприниматель', 'Foreign entrepreneur']],
  ['digital_nomad', ['«Санарип көчмөн»', '«Цифровой кочевник»', 'Digital Nomad']],
];

const ACCOUNT_STATUSES = [
  ['pending_confirmation', ['Почтасын ырастай элек', 'Почта не подтверждена', 'Email not confirmed']],
  ['awaiting_activation', ['Активдештирүүнү күтүүдө', 'Ожидает активации', 'Awaiting activation']],
  ['active', ['Активдүү', 'Активна', 'Active']],
  ['refused', ['Баш тартылды', 'Отказано', 'Refused']],
];

/** What each account registered with, by the field names of the sign-up forms. */
const PROFILE = {
  representative_surname: ['Өкүлдүн фамилиясы', 'Фамилия представителя', "Representative's surname"],
  representative_name: ['Өкүлдүн аты', 'Имя представителя', "Representative's name"],
  legal_name: ['Юридикалык жактын аталышы', 'Наименование юридического лица', 'Legal name'],
  registration_number: ['Мамлекеттик каттоо номери', 'Номер государственной регистрации', 'State registration number'],
  tax_id: ['Салык төлөөчүнүн идентификациялык номери', 'Идентификационный номер налогоплательщика', 'Tax id'],
  founders: ['Негиздөөчүлөр', 'Учредители', 'Founders'],
  activity: F.activity,
  legal_address: ['Юридикалык дареги', 'Адрес юридического лица', 'Legal address'],
  actual_address: ['Иш жүргүзгөн иш жүзүндөгү дареги', 'Фактический адрес деятельности', 'Actual address'],
  location: ['Картадагы координаттар', 'Координаты на карте', 'Map coordinates'],
  phones: ['Юридикалык жактын телефондору', 'Номера телефонов юридического лица', 'Phones'],
  licensed_activity: ['Лицензияланган ишмердүүлүк', 'Лицензируемая деятельность', 'Licensed activity'],
  staff_list: F.staffList,
  registration_certificate: ['Юридикалык каттоо күбөлүгү', 'Свидетельство о юридической регистрации', 'Registration certificate'],
  licence: ['Лицензия', 'Лицензия на осуществление лицензируемой деятельности', 'Licence'],
  surname: F.surname, given_names: F.givenNames, patronymic: F.patronymic, birth_date: F.birthDate,
  birth_place: ['Туулган жери', 'Место рождения', 'Place of birth'], sex: F.sex,
  document_country: F.documentCountry, document_number: F.documentNumber, document_type: F.documentType,
  document_issued: F.documentIssued, document_expires: F.validUntil,
  stateless: ['Жарандыгы жок адам', 'Лицо без гражданства', 'Stateless'],
  education: F.education, marital_status: F.marital,
  whatsapp: ['WhatsApp номери', 'Номер WhatsApp', 'WhatsApp'], viber: ['Viber номери', 'Номер Viber', 'Viber'],
  photo: ['Сүрөт', 'Фото', 'Photo'], passport_page1: F.page1, passport_page2: F.page2,
};

const S = {
  queue: ['Арыздардын кезеги', 'Очередь заявок', 'Applications queue'],
  kind: ['Арыздын түрү', 'Вид заявки', 'Kind'],
  status: ['Абалы', 'Статус', 'Status'],
  show: ['Көрсөтүү', 'Показать', 'Show'],
  number: ['Арыздын номери', 'Номер заявки', 'Application number'],
  applicant: ['Арыз берүүчү', 'Заявитель', 'Applicant'],
  requested: ['Суралган квоталар', 'Запрошенные квоты', 'Quotas requested'],
  since: ['Абалдын күнү', 'Дата статуса', 'In this status since'],
  application: ['Арыз {number}', 'Заявка {number}', 'Application {number}'],
  account: ['Аккаунт', 'Учётная запись', 'Account'],
  openAccount: ['Аккаунтту ачуу', 'Открыть учётную запись', 'Open the account'],
  name: ['Аты', 'Имя', 'Name'],
  type: ['Аккаунттун түрү', 'Тип учётной записи', 'Account type'],
  email: ['Электрондук почта', 'Электронная почта', 'Email'],
  phone: ['Телефон', 'Телефон', 'Phone'],
  documents: ['Документтер', 'Документы', 'Documents'],
  slot: ['Орду', 'Назначение', 'Slot'],
  documentKind: ['Документтин түрү', 'Вид документа', 'Kind of document'],
  file: ['Файл', 'Файл', 'File'],
  openFile: ['{slot} ачуу', 'Открыть: {slot}', 'Open {slot}'],
  history: ['Тарых', 'История', 'History'],
  at: ['Убактысы', 'Время', 'When'],
  who: ['Ким', 'Кто', 'Who'],
  action: ['Аракет', 'Действие', 'Action'],
  reason: ['Себеби / текст', 'Причина / текст', 'Reason / text'],
  decisions: ['Чечимдер', 'Решения', 'Decisions'],
  text: ['Текст', 'Текст', 'Text'],
  whatNeeded: ['Эмне талап кылынат', 'Что необходимо', 'What is needed'],
  reasonField: ['Себеби', 'Причина', 'Reason'],
  messageText: ['Билдирүүнүн тексти', 'Текст сообщения', 'The message'],
  sentMessage: ['Билдирүү жөнөтүлдү.', 'Сообщение отправлено.', 'The message was sent.'],
  protocol: ['Протоколдун номери', 'Номер протокола', 'Protocol number'],
  decisionDate: ['Чечимдин күнү', 'Дата решения', 'Decision date'],
  allocated: ['Саптар боюнча бөлүнгөн квоталар', 'Распределено по строкам', 'Allocated per row'],
  allocatedRow: ['{country} — {position} (суралган: {count})', '{country} — {position} (запрошено: {count})', '{country} — {position} (asked: {count})'],
  wholeNumber: ['Бүтүн санды жазыңыз.', 'Укажите целое число.', 'Enter a whole number.'],
  validUntil: ['Акыркы күнү (милдеттүү эмес)', 'Действительно до (необязательно)', 'Last day (optional)'],
  accounts: ['Активдештирүүнү күткөн аккаунттар', 'Учётные записи, ожидающие активации', 'Accounts awaiting activation'],
  registeredAt: ['Катталган күнү', 'Дата регистрации', 'Registered on'],
  registered: ['Катталган маалыматтар', 'Регистрационные данные', 'What it registered with'],
  decision: ['Чечим', 'Решение', 'Decision'],
  decisionBy: ['Ким чечти (аккаунт)', 'Кто решил (учётная запись)', 'Decided by (account)'],
  decisionAt: ['Качан', 'Когда', 'When'],
  decisionOutcome: ['Жыйынтыгы', 'Итог', 'Outcome'],
  decisionReason: ['Себеби', 'Причина', 'Reason'],
  activate: ['Активдештирүү', 'Активировать', 'Activate'],
  refuse: ['Баш тартуу', 'Отказать', 'Refuse'],
  refusalReason: ['Баш тартуунун себеби', 'Причина отказа', 'Reason for refusal'],
  yes: ['Ооба', 'Да', 'Yes'],
  no: ['Жок', 'Нет', 'No'],
};

/** The decisions: their route, title, and the label of their text when they take one. */
const DECISIONS = {
  clarification: { title: ['Тактоого кайтаруу', 'Вернуть на уточнение', 'Ask for clarification'], text: S.whatNeeded },
  confirm: { title: ['Квотаны ырастоо', 'Подтвердить квоту', 'Confirm the quota'] },
  approve: { title: ['Бекитүү', 'Одобрить', 'Approve'], until: true },
  reject: { title: ['Четке кагуу', 'Отклонить', 'Reject'], text: S.reasonField },
  annul: { title: ['Жокко чыгаруу', 'Аннулировать', 'Annul'], text: S.reasonField },
  extend: { title: ['Узартуу', 'Продлить', 'Extend'], until: true },
  'refuse-extension': { title: ['Узартуудан баш тартуу', 'Отказать в продлении', 'Refuse the extension'], text: S.reasonField },
  revoke: { title: ['Кайтарып алуу', 'Отозвать', 'Revoke'], text: S.reasonField },
  messages: { title: ['Билдирүү жазуу', 'Написать сообщение', 'Write a message'], text: S.messageText },
};

/** The history's actions and who did them. */
const ACTIONS = [
  ['submitted', ['Берилди', 'Подана', 'Submitted']],
  ['clarification_asked', ['Тактоого кайтарылды', 'Возвращена на уточнение', 'Clarification asked']],
  ['document_added', ['Документ кошулду', 'Добавлен документ', 'Document added']],
  ['resubmitted', ['Кайра жөнөтүлдү', 'Отправлена повторно', 'Sent again']],
  ['confirmed', ['Ырасталды', 'Подтверждена', 'Confirmed']],
  ['rejected', ['Четке кагылды', 'Отклонена', 'Rejected']],
  ['annulled', ['Жокко чыгарылды', 'Аннулирована', 'Annulled']],
  ['fee_paid', ['Алым төлөндү', 'Пошлина оплачена', 'Fee paid']],
  ['fee_refund_due', ['Алым кайтарылат', 'Пошлина подлежит возврату', 'Fee to be refunded']],
  ['allocation_lapsed', ['Бөлүштүрүүнүн мөөнөтү өттү', 'Распределение утратило силу', 'Allocation lapsed']],
  ['exhausted', ['Уруксат түгөндү', 'Разрешение исчерпано', 'Permit exhausted']],
  ['extension_requested', ['Узартуу суралды', 'Запрошено продление', 'Extension asked']],
  ['extended', ['Узартылды', 'Продлено', 'Extended']],
  ['extension_refused', ['Узартуудан баш тартылды', 'Отказано в продлении', 'Extension refused']],
  ['revoked', ['Кайтарылып алынды', 'Отозвано', 'Revoked']],
];
const ROLES = [
  ...ACCOUNT_TYPES,
  ['labour_operator', ['Эмгек министрлигинин оператору', 'Оператор МТСОМ', 'Labour operator']],
  ['system', ['Система', 'Система', 'System']],
];

const rerender = () => window.dispatchEvent(new Event('rerender'));
const KIND_OPTIONS = Object.entries(KINDS);

// ---------------------------------------------------------------- queue

/** `/labour/applications`: one queue, oldest status change first. */
export async function queue({ query }) {
  const kind = query.get('kind') || 'quota';
  const status = query.get('status') || 'submitted';
  const items = await api('GET', `/v1/operator/applications?${new URLSearchParams({ kind, status })}`);
  const chooser = form({
    submit: S.show,
    fields: [
      { name: 'kind', label: S.kind, options: KIND_OPTIONS, value: kind, required: true },
      { name: 'status', label: S.status, options: STATUSES, value: status, required: true },
    ],
    onSubmit: async (chosen) => navigate(`/labour/applications?${new URLSearchParams(chosen)}`),
  });
  return h('section.ework-page', heading(S.queue), chooser,
    table([0, 1, 2].map((l) => `${S.queue[l]}: ${KINDS[kind][l]}`), [
      [S.number, (a) => link(`/labour/applications/${encodeURIComponent(a.number)}`, a.number)],
      [S.applicant, (a) => a.applicant],
      [S.requested, (a) => (a.kind === 'quota' ? String(a.requested) : '')],
      [S.status, (a) => choice(STATUSES, a.status)],
      [S.since, (a) => when(a.status_at)],
    ], items));
}

// ---------------------------------------------------------------- one application

function confirmForm(app, path) {
  const rows = app.quota?.rows ?? [];
  const allocated = h('fieldset', { 'data-field': 'allocated' },
    h('legend', t(S.allocated)),
    h('p.error', { hidden: true }),
    rows.map((row, i) => field({
      name: `allocated[${i}]`, type: 'number', inputmode: 'numeric', required: true, value: String(row.count),
      label: [0, 1, 2].map((l) => S.allocatedRow[l].replace('{country}', row.country).replace('{position}', row.position).replace('{count}', row.count)),
      attrs: { min: 0, max: row.count, step: 1 },
    })));
  return form({
    submit: DECISIONS.confirm.title,
    fields: [
      { name: 'protocol_number', label: S.protocol, required: true },
      { name: 'decision_date', label: S.decisionDate, type: 'date', required: true, value: today(), attrs: { max: today() } },
      allocated,
    ],
    onSubmit: async (chosen) => {
      const counts = rows.map((_, i) => chosen[`allocated[${i}]`] ?? '');
      const wrong = counts.map((c, i) => (/^\d+$/.test(c) ? null : { field: `allocated[${i}]`, code: 'invalid_count', detail: t(S.wholeNumber) }));
      if (wrong.some(Boolean)) throw new Problem({ status: 422, code: 'invalid_fields', detail: t(W.fixBelow), errors: wrong.filter(Boolean) });
      await api('POST', `${path}/confirm`, {
        protocol_number: chosen.protocol_number ?? null,
        decision_date: chosen.decision_date ?? null,
        allocated: counts.map(Number),
      });
      rerender();
    },
  });
}

function decisionForm(name, app, path) {
  if (name === 'confirm') return confirmForm(app, path);
  const decision = DECISIONS[name];
  const fields = [];
  if (decision.text) fields.push({ name: 'text', label: decision.text, type: 'textarea', required: true, attrs: { maxlength: 2000 } });
  if (decision.until) {
    fields.push({ name: 'valid_until', label: S.validUntil, type: 'date', value: name === 'extend' ? app.extension?.until ?? '' : '' });
  }
  const done = h('div', { 'aria-live': 'polite' });
  const el = form({
    submit: decision.title,
    fields,
    extra: [done],
    onSubmit: async (chosen) => {
      const body = decision.text ? { text: chosen.text ?? null } : { valid_until: chosen.valid_until ?? null };
      await api('POST', `${path}/${name}`, body);
      if (name !== 'messages') return rerender();
      el.reset();
      done.replaceChildren(notice('ok', t(S.sentMessage)));
    },
  });
  return el;
}

/** The decisions that fit the application's kind and status. */
function decisionsFor(app) {
  const quota = app.kind === 'quota';
  switch (app.status) {
    case 'submitted': return ['clarification', quota ? 'confirm' : 'approve', 'reject'];
    case 'confirmed': return quota ? ['annul'] : ['revoke', 'annul'];
    case 'extension_requested': return ['extend', 'refuse-extension', 'revoke'];
    default: return [];
  }
}

const auditTime = (at) => when(String(at).split('#')[0]);

/** `/labour/applications/:number`: the application and what to decide it by. */
export async function application({ params }) {
  const number = params.number;
  const review = await api('GET', `/v1/operator/applications/${encodeURIComponent(number)}`);
  const app = review.application;
  const path = `/v1/operator/applications/${encodeURIComponent(app.number)}`;
  const applicant = review.applicant;
  return h('section.ework-page', heading(S.application, { number: app.number }),
    applicant ? [
      h('h2', t(S.applicant)),
      facts([
        [S.name, applicant.name], [S.type, choice(ACCOUNT_TYPES, applicant.kind)],
        [S.email, applicant.email], [S.phone, applicant.phone],
      ]),
      h('p', link(`/labour/accounts/${encodeURIComponent(applicant.account_id)}`, t(S.openAccount))),
    ] : null,
    applicationDetails(app, { attachments: false }),
    h('h2', t(S.documents)),
    table(S.documents, [
      [S.slot, (d) => slotLabel(d.slot)],
      [S.documentKind, (d) => kindLabel(d.kind)],
      [S.file, (d) => h('a', { href: d.link, target: '_blank', rel: 'noopener' }, t(S.openFile, { slot: slotLabel(d.slot) }))],
    ], review.documents ?? []),
    h('h2', t(S.decisions)),
    [...decisionsFor(app), 'messages'].map((name) => h('section.decision',
      h('h3', t(DECISIONS[name].title)), decisionForm(name, app, path))),
    h('h2', t(S.history)),
    table(S.history, [
      [S.at, (e) => auditTime(e.at)],
      [S.who, (e) => choice(ROLES, e.actor_role)],
      [S.action, (e) => choice(ACTIONS, e.action)],
      [S.status, (e) => choice(STATUSES, e.status)],
      [S.reason, (e) => e.reason ?? ''],
    ], review.audit ?? []));
}

// ---------------------------------------------------------------- accounts

/** `/labour/accounts`: the accounts waiting for activation, oldest first. */
export async function accounts() {
  const list = await api('GET', '/v1/operator/accounts');
  return h('section.ework-page', heading(S.accounts),
    table(S.accounts, [
      [S.name, (a) => link(`/labour/accounts/${encodeURIComponent(a.account_id)}`, a.name)],
      [S.type, (a) => choice(ACCOUNT_TYPES, a.type)],
      [S.email, (a) => a.email],
      [S.phone, (a) => a.phone],
      [S.registeredAt, (a) => when(a.registered_at)],
    ], list.accounts ?? []));
}

function shown(value) {
  if (value === true) return t(S.yes);
  if (value === false) return t(S.no);
  if (Array.isArray(value)) return value.join(', ');
  if (value && typeof value === 'object') return Object.values(value).join(', ');
  return value === null || value === undefined ? '' : String(value);
}

/** `/labour/accounts/:id`: one account with what it registered, to activate or refuse. */
export async function account({ params }) {
  const id = params.id;
  const file = await api('GET', `/v1/operator/accounts/${encodeURIComponent(id)}`);
  const path = `/v1/operator/accounts/${encodeURIComponent(file.account_id)}`;
  const registered = Object.entries(file.profile ?? {}).filter(([key]) => key !== 'type');
  const result = h('div', { 'aria-live': 'polite' });
  const activate = actionButton(t(S.activate), async () => {
    await api('POST', `${path}/activation`);
    rerender();
  }, { primary: true, slot: result });
  const waiting = file.status === 'awaiting_activation';
  return h('section.ework-page', heading(S.account),
    facts([
      [S.name, file.name], [S.type, choice(ACCOUNT_TYPES, file.type)],
      [S.status, choice(ACCOUNT_STATUSES, file.status)], [S.email, file.email], [S.phone, file.phone],
      [S.registeredAt, when(file.registered_at)],
    ]),
    waiting ? [
      h('h2', t(S.decision)),
      h('div.actions', activate), result,
      h('h3', t(S.refuse)),
      form({
        submit: S.refuse,
        fields: [{ name: 'reason', label: S.refusalReason, type: 'textarea', required: true, attrs: { maxlength: 1000 } }],
        onSubmit: async (chosen) => { await api('POST', `${path}/refusal`, { reason: chosen.reason ?? '' }); rerender(); },
      }),
    ] : null,
    file.decision ? [h('h2', t(S.decision)), facts([
      [S.decisionBy, file.decision.by],
      [S.decisionAt, when(file.decision.at)],
      [S.decisionOutcome, shown(file.decision.outcome)],
      [S.decisionReason, file.decision.reason],
    ])] : null,
    h('h2', t(S.registered)),
    facts(registered.map(([key, value]) => [PROFILE[key] ?? [key, key, key], shown(value)])));
}
