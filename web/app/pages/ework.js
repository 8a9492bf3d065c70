// The e-work applicant's cabinet: the archive of applications with its filters, one
// application with everything the API gives and what can be done with it now, and the
// ministry's messages. The forms of new applications are in ework-forms.js.

import { W, actionButton as sharedActionButton, api, facts, field, form, h, heading, link, notice, session, t, table, when } from '../core.js';
import { navigate } from '../nav.js';
import {
  EDUCATION, F, KINDS, KINDS_OF, KINSHIP, MARITAL, NEW, REGIONS, choice, holderView, identityFacts, money, newApplication, today,
} from './ework-forms.js';
import { fileField, ownUploads } from './upload.js';

export { newApplication };

/** Where an application stands, as the API's filters name it. */
export const STATUSES = [
  ['submitted', ['Арыз берилди', 'Заявка подана', 'Application submitted']],
  ['in_clarification', ['Арыз арыз берүүчү менен тактоо процессинде', 'Заявка в процессе уточнения с заявителем', 'Application being clarified with the applicant']],
  ['confirmed', ['Арыз ырасталды', 'Заявка подтверждена', 'Application confirmed']],
  ['rejected', ['Арыз четке кагылды', 'Заявка отклонена', 'Application rejected']],
  ['annulled', ['Арыз жокко чыгарылды', 'Заявка аннулирована', 'Application annulled']],
  ['exhausted', ['Уруксат түгөндү', 'Разрешение исчерпано', 'Permit exhausted']],
  ['extension_requested', ['Уруксатты узартуу суралды', 'Запрошено продление разрешения', 'Permit extension requested']],
  ['revoked', ['Уруксат кайтарылып алынды', 'Разрешение отозвано', 'Permit revoked']],
];

const FEE = {
  due: ['Төлөнүшү керек', 'К оплате', 'Due'],
  paid: ['Төлөндү', 'Оплачена', 'Paid'],
  lapsed: ['Мөөнөтү өттү', 'Срок оплаты истёк', 'Lapsed'],
  refund_due: ['Кайтарылып берилет', 'Подлежит возврату', 'To be refunded'],
};

const SLOTS = {
  staff_list: F.staffList, power_of_attorney: F.powerOfAttorney, trustee_passport: F.trusteePassport,
  photo: F.photo, passport_page_1: F.page1, passport_page_2: F.page2, hiv_certificate: F.hiv, other: F.other,
  patent: F.patent, patent_payment: F.patentPayment, trustee_document: F.trusteeDocument, income_evidence: F.incomeEvidence,
  added: ['Тактоодо кошулган', 'Добавлен при уточнении', 'Added during clarification'],
};

const S = {
  title: ['Арыздардын архиви', 'Архив заявок', 'My applications'],
  newTitle: ['Жаңы арыз', 'Новая заявка', 'New application'],
  filters: ['Чыпкалар', 'Фильтры', 'Filters'],
  kind: ['Арыздын түрү', 'Вид заявки', 'Kind'],
  show: ['Көрсөтүү', 'Показать', 'Show'],
  from: ['Берилген күнү (кайсы күндөн)', 'Дата заявки с', 'Submitted from'],
  to: ['Берилген күнү (кайсы күнгө чейин)', 'Дата заявки по', 'Submitted to'],
  archive: ['Арыздар', 'Заявки', 'Applications'],
  applicationNumber: ['Арыздын номери', 'Номер заявки', 'Application number'],
  applicationDate: ['Арыздын күнү', 'Дата заявки', 'Date'],
  requested: ['Суралган квоталар', 'Запрошенные квоты', 'Quotas requested'],
  allocated: ['Бөлүнгөн квоталар', 'Распределенные квоты', 'Quotas allocated'],
  status: ['Арыздын абалы', 'Статус заявки', 'Status'],
  statusDate: ['Абалдын күнү', 'Дата статуса заявки', 'Status date'],
  fee: ['Мамлекеттик алым', 'Государственная пошлина', 'State fee'],
  next: ['Кийинки барак', 'Следующая страница', 'Next page'],
  application: ['Арыз {number}', 'Заявка {number}', 'Application {number}'],
  sent: ['Арыз МТСОМдун кароосуна берилди.', 'Заявка подана на рассмотрение МТСОМ.', 'The application was sent to the ministry.'],
  clarification: ['Эмне талап кылынат', 'Что необходимо', 'What is needed'],
  rejection: ['Четке кагуунун себеби', 'Причина отклонения', 'Reason for rejection'],
  annulment: ['Жокко чыгаруунун себеби', 'Причина аннулирования', 'Reason for annulment'],
  revocation: ['Кайтарып алуунун себеби', 'Причина отзыва', 'Reason for revocation'],
  request: ['Арыздын маалыматтары', 'Данные заявки', 'The application'],
  payments: ['{amounts} сом', '{amounts} сом', '{amounts} som'],
  protocol: ['Протоколдун номери', 'Номер протокола', 'Protocol number'],
  decisionDate: ['Чечимдин күнү', 'Дата решения', 'Decision date'],
  allocation: ['Комиссиянын бөлүштүрүүсү', 'Распределение комиссии', "The commission's allocation"],
  dueBy: ['Акыркы төлөө күнү', 'Оплатить до', 'Pay by'],
  feeStatus: ['Төлөмдүн абалы', 'Статус оплаты', 'Payment status'],
  paidAt: ['Төлөнгөн күнү', 'Дата оплаты', 'Paid on'],
  grant: ['Уруксаттын жарактуулугу', 'Срок действия разрешения', 'Validity'],
  validFrom: ['Кайсы күндөн', 'С', 'From'],
  validUntil: ['Кайсы күнгө чейин', 'По', 'Until'],
  extension: ['Узартуу', 'Продление', 'Extension'],
  extensionAsked: ['Суралган акыркы күн', 'Запрошено до', 'Asked until'],
  askedAt: ['Суралган күнү', 'Дата запроса', 'Asked on'],
  refusal: ['Баш тартуунун себеби', 'Причина отказа', 'Reason for refusal'],
  attachments: ['Арыздын документтери', 'Документы заявки', 'Documents of the application'],
  slot: ['Документ', 'Документ', 'Document'],
  attachedAt: ['Кошулган күнү', 'Дата добавления', 'Added on'],
  download: ['Жүктөп алуу', 'Скачать', 'Download'],
  downloadLink: ['Файлды ачуу (шилтеме 5 мүнөт жарактуу)', 'Открыть файл (ссылка действует 5 минут)', 'Open the file (link valid 5 minutes)'],
  messages: ['МТСОМдун билдирүүлөрү', 'Сообщения от МТСОМ', 'Messages from the ministry'],
  unread: ['Жаңы', 'Новое', 'New'],
  read: ['Окулду', 'Прочитано', 'Read'],
  markRead: ['Окулду деп белгилөө', 'Отметить как прочитанное', 'Mark as read'],
  messageOf: ['{number} боюнча билдирүү, {at}', 'Сообщение по заявке {number}, {at}', 'Message about {number}, {at}'],
  actions: ['Аракеттер', 'Действия', 'Actions'],
  addDocument: ['Документ кошуу', 'Добавить документ', 'Add a document'],
  documentKind: ['Документтин түрү', 'Вид документа', 'Kind of document'],
  file: ['Файл', 'Файл', 'File'],
  resubmit: ['Кайра жөнөтүү', 'Отправить повторно', 'Send again'],
  resubmitHint: [
    'Керектүү документтерди кошкондон кийин арызды кайра жөнөтүңүз.',
    'Добавив нужные документы, отправьте заявку повторно.',
    'Once you have added what is needed, send the application again.',
  ],
  pay: ['Төлөө: {amount}', 'Оплатить: {amount}', 'Pay {amount}'],
  print: {
    quota: ['Протоколдон көчүрмөнү басып чыгаруу', 'Распечатать выписку из протокола', 'Print the protocol extract'],
    permit: ['Иштөөгө уруксатты басып чыгаруу', 'Распечатать разрешение на работу', 'Print the work permit'],
    nomad: ['Электрондук карточканы басып чыгаруу', 'Распечатать электронную карточку', 'Print the electronic card'],
  },
  pdf: ['PDF документти ачуу (шилтеме 5 мүнөт жарактуу)', 'Открыть PDF (ссылка действует 5 минут)', 'Open the PDF (link valid 5 minutes)'],
  verify: ['Документтин тууралыгын текшерүү', 'Проверить подлинность документа', 'Verify the document'],
  extend: ['Узартууну суроо', 'Запросить продление', 'Ask for an extension'],
  extendUntil: ['Жаңы акыркы күн', 'Новая дата окончания', 'New last day'],
  yes: ['Ооба', 'Да', 'Yes'],
  no: ['Жок', 'Нет', 'No'],
};

const ATTACHABLE = [
  ['staff_list', F.staffList], ['certificate', ['Мамлекеттик каттоо күбөлүгү', 'Свидетельство о государственной регистрации', 'Registration certificate']],
  ['licence', ['Лицензия', 'Лицензия', 'Licence']], ['power_of_attorney', F.powerOfAttorney], ['hiv_certificate', F.hiv],
  ['income_evidence', F.incomeEvidence], ['passport_scan', ['Паспорттун көчүрмөсү', 'Копия паспорта', 'Passport copy']], ['other', F.other],
];

// ---------------------------------------------------------------- shared views

export const slotLabel = (slot) => t(SLOTS[slot] ?? slot);
export const kindLabel = (kind) => choice(ATTACHABLE, kind);


/** A button that runs `run`, showing a refusal beside it. */
function actionButton(label, run, primary = false) {
  const slot = h('div', { 'aria-live': 'polite' });
  return h('div', h('div.actions', sharedActionButton(label, () => run(slot), { primary, slot })), slot);
}

const rerender = () => window.dispatchEvent(new Event('rerender'));
const yesNo = (value) => t(value ? S.yes : S.no);
const amounts = (payments) => (payments?.monthly
  ? t(S.payments, { amounts: payments.monthly.map((m) => (m / 100).toFixed(2)).join('; ') })
  : payments?.none_because);

function relativesTable(relatives = []) {
  if (!relatives.length) return null;
  return table(F.relatives, [
    [F.surname, (r) => r.surname], [F.givenNames, (r) => r.given_names],
    [F.birthDate, (r) => when(r.birth_date)], [F.kinship, (r) => choice(KINSHIP, r.kinship)],
  ], relatives);
}

function quotaDetails(quota, allocation) {
  return [
    table(S.requested, [[F.country, (r) => r.country], [F.position, (r) => r.position], [F.count, (r) => String(r.count)]], quota.rows),
    facts([
      [F.total, String(quota.total)], [F.reasons, quota.reasons], [F.tax, amounts(quota.tax_payments)],
      [F.social, amounts(quota.social_fund_payments)], [F.appeal, quota.appeal],
      [F.localStaff, String(quota.local_staff_total)], [F.managers, String(quota.local_managers)],
      [F.workers, String(quota.local_workers)], [F.ratio, quota.local_to_foreign_ratio], [F.vacancies, String(quota.vacancies)],
      [F.earlier, String(quota.earlier_applications)],
      [F.foreignIn.map((s) => s.replace('{year}', quota.last_year - 1)), String(quota.foreign_workers_two_years_ago)],
      [F.foreignIn.map((s) => s.replace('{year}', quota.last_year)), String(quota.foreign_workers_last_year)],
    ]),
    allocation ? [
      h('h2', t(S.allocation)),
      facts([[S.protocol, allocation.protocol_number], [S.decisionDate, when(allocation.decision_date)]]),
      table(S.allocated, [
        [F.country, (r) => r.country], [F.position, (r) => r.position],
        [S.requested, (r) => String(r.requested)], [S.allocated, (r) => String(r.allocated)],
      ], allocation.rows),
    ] : null,
  ];
}

function permitDetails(permit) {
  return [
    holderView(permit.holder, permit.visa ? [permit.visa] : []),
    h('h2', t(S.request)),
    facts([
      [F.birthCountry, permit.birth_country], [F.documentIssued, when(permit.document_issued)],
      [F.education, permit.education_label ?? choice(EDUCATION, permit.education)],
      [F.marital, permit.marital_status_label ?? choice(MARITAL, permit.marital_status)],
      [F.placeOfStay, permit.place_of_stay], [F.jobPosition, permit.position],
      [F.workRegion, permit.work_region_label ?? choice(REGIONS, permit.work_region)],
      [F.highlyQualified, yesNo(permit.highly_qualified)], [F.notes, permit.notes], [F.talon, permit.registration_number],
      [F.quotaPlace, permit.place ? `${permit.place.quota} / ${permit.place.row + 1}` : ''],
      [F.relatives, permit.relatives_label],
    ]),
    relativesTable(permit.relatives),
  ];
}

function entrepreneurDetails(request) {
  return [
    holderView(request.holder, request.visa ? [request.visa] : []),
    h('h2', t(S.request)),
    facts([
      [F.visaNumber, request.visa_number], [F.placeOfStay, request.place_of_stay], [F.activity, request.activity],
      [F.patentNumber, request.patent_number], [F.patentDate, when(request.patent_date)],
      [F.region, choice(REGIONS, request.work_region)], [F.marketName, request.market_name],
      [F.marketPhone, request.market_phone], [F.talon, request.registration_number],
    ]),
  ];
}

function nomadDetails(request) {
  return [
    identityFacts(request.identity),
    h('h2', t(S.request)),
    facts([[F.organization, request.organization], [F.purpose, request.purpose], [F.plannedEntry, when(request.planned_entry)]]),
    relativesTable(request.relatives),
  ];
}

/** A download button for an own attachment that becomes a short-lived link. */
function downloadButton(uploadId) {
  return actionButton(t(S.download), async (slot) => {
    const { url } = await api('GET', `/v1/uploads/${encodeURIComponent(uploadId)}/download`);
    slot.replaceChildren(h('a', { href: url }, t(S.downloadLink)));
  });
}

/**
 * Everything the API gives of application `app`: its state, its request by kind, the
 * decision, the fee and the documents (`attachments: false` leaves them to the
 * caller). `ownDocuments` adds download buttons (the applicant's own files).
 */
export function applicationDetails(app, { ownDocuments = false, attachments = true } = {}) {
  return [
    facts([
      [S.applicationNumber, app.number], [S.kind, t(KINDS[app.kind])], [S.applicationDate, when(app.created_at)],
      [S.status, app.status_label], [S.statusDate, when(app.status_at)],
      [S.requested, app.kind === 'quota' ? String(app.requested) : null],
      [S.allocated, app.allocated === undefined || app.allocated === null ? null : String(app.allocated)],
      [S.clarification, app.clarification], [S.rejection, app.rejection_reason],
      [S.annulment, app.annulment_reason], [S.revocation, app.revocation_reason],
    ]),
    app.grant ? [h('h2', t(S.grant)), facts([[S.validFrom, when(app.grant.valid_from)], [S.validUntil, when(app.grant.valid_until)]])] : null,
    app.extension ? [h('h2', t(S.extension)), facts([
      [S.extensionAsked, when(app.extension.until)], [S.askedAt, when(app.extension.asked_at)], [S.refusal, app.extension.refusal],
    ])] : null,
    app.fee ? [h('h2', t(S.fee)), facts([
      [S.fee, money(app.fee.amount)], [S.feeStatus, t(FEE[app.fee.status] ?? app.fee.status)],
      [S.dueBy, when(app.fee.due_by)], [S.paidAt, when(app.fee.paid_at)],
    ])] : null,
    h('h2', t(KINDS[app.kind])),
    app.quota ? quotaDetails(app.quota, app.allocation) : null,
    app.permit ? permitDetails(app.permit) : null,
    app.entrepreneur ? entrepreneurDetails(app.entrepreneur) : null,
    app.nomad ? nomadDetails(app.nomad) : null,
    attachments ? h('h2', t(S.attachments)) : null,
    attachments ? table(S.attachments, [
      [S.slot, (a) => slotLabel(a.slot)],
      [S.documentKind, (a) => kindLabel(a.kind)],
      [S.attachedAt, (a) => when(a.attached_at)],
      ...(ownDocuments ? [[S.download, (a) => downloadButton(a.upload_id)]] : []),
    ], app.attachments ?? []) : null,
  ];
}

/** Messages with their state in words and a button to mark each read. */
function messageList(items, { withApplication = true, level = 'h2' } = {}) {
  if (!items.length) return h('p.empty', t(W.none));
  return h('ul.messages', items.map((m) => {
    const title = h(level, { id: `msg-${m.id}` }, t(S.messageOf, { number: m.application, at: when(m.at) }));
    return h('li', { class: m.read ? 'read' : 'unread' },
      h('p.badge', t(m.read ? S.read : S.unread)),
      title,
      withApplication ? h('p', link(`/ework/applications/${encodeURIComponent(m.application)}`, m.application)) : null,
      h('p.message-text', m.text),
      m.read ? null : markRead(m, title));
  }));
}

/** The button that marks message `m` read, described by its `title`. */
function markRead(m, title) {
  const slot = h('div', { 'aria-live': 'polite' });
  const button = sharedActionButton(t(S.markRead), async () => {
    await api('POST', `/v1/messages/${encodeURIComponent(m.id)}/read`);
    rerender();
  }, { slot });
  button.setAttribute('aria-describedby', title.id);
  return [h('div.actions', button), slot];
}

// ---------------------------------------------------------------- archive

/** `/ework`: the applicant's applications, filtered, newest first. */
export async function applications({ query }) {
  const kinds = KINDS_OF[session.type()] ?? [];
  const filters = ['kind', 'status', 'number', 'submitted_from', 'submitted_to', 'cursor'];
  const params = new URLSearchParams();
  for (const name of filters) if (query.get(name)) params.set(name, query.get(name));
  const page = await api('GET', `/v1/applications${params.size ? `?${params}` : ''}`);
  const filterForm = form({
    submit: S.show,
    fields: [
      kinds.length > 1 ? { name: 'kind', label: S.kind, options: kinds.map((k) => [k, KINDS[k]]), value: query.get('kind') ?? '' } : null,
      { name: 'status', label: S.status, options: STATUSES, value: query.get('status') ?? '' },
      { name: 'number', label: S.applicationNumber, value: query.get('number') ?? '' },
      { name: 'submitted_from', label: S.from, type: 'date', value: query.get('submitted_from') ?? '' },
      { name: 'submitted_to', label: S.to, type: 'date', value: query.get('submitted_to') ?? '' },
    ].filter(Boolean),
    onSubmit: async (chosen) => navigate(`/ework?${new URLSearchParams(chosen)}`),
  });
  const next = new URLSearchParams(params);
  if (page.next) next.set('cursor', page.next);
  return h('section.ework-page', heading(S.title),
    h('h2', t(S.newTitle)),
    h('ul', kinds.map((kind) => h('li', link(`/ework/new/${kind}`, t(NEW[kind]))))),
    h('details', h('summary', t(S.filters)), filterForm),
    table(S.archive, [
      [S.applicationNumber, (a) => link(`/ework/applications/${encodeURIComponent(a.number)}`, a.number)],
      [S.applicationDate, (a) => when(a.created_at)],
      [S.kind, (a) => t(KINDS[a.kind])],
      [S.requested, (a) => (a.kind === 'quota' ? String(a.requested) : '')],
      [S.allocated, (a) => (a.allocated === undefined ? '' : String(a.allocated))],
      [S.status, (a) => a.status_label],
      [S.statusDate, (a) => when(a.status_at)],
      [S.fee, (a) => (a.fee ? `${money(a.fee.amount)} — ${t(FEE[a.fee.status] ?? a.fee.status)}` : '')],
    ], page.items),
    page.next ? h('p', link(`/ework?${next}`, t(S.next))) : null);
}

// ---------------------------------------------------------------- one application

function addDocumentForm(app) {
  const slot = h('div');
  const fileFor = (kind) => fileField({ name: 'upload_id', label: S.file, kind, store: ownUploads() });
  const kindField = field({ name: 'document_kind', label: S.documentKind, options: ATTACHABLE, required: true,
    value: app.kind === 'quota' ? 'staff_list' : 'other' });
  const select = kindField.querySelector('select');
  select.addEventListener('change', () => slot.replaceChildren(fileFor(select.value)));
  slot.append(fileFor(select.value));
  return form({
    fields: [kindField, slot],
    submit: S.addDocument,
    onSubmit: async (chosen) => {
      await api('POST', `/v1/applications/${encodeURIComponent(app.number)}/documents`, { upload_id: chosen.upload_id ?? null });
      rerender();
    },
  });
}

const PRINTS = { quota: 'extract', permit: 'permit', nomad: 'card' };

function actions(app) {
  const path = `/v1/applications/${encodeURIComponent(app.number)}`;
  const out = [];
  if (app.status === 'in_clarification') {
    out.push(notice('info', t(S.clarification), ': ', app.clarification ?? ''),
      h('h3', t(S.addDocument)), addDocumentForm(app),
      h('h3', t(S.resubmit)), h('p', t(S.resubmitHint)),
      actionButton(t(S.resubmit), async () => { await api('POST', `${path}/resubmit`); rerender(); }, true));
  }
  if (app.kind === 'quota' && app.status === 'confirmed' && app.fee?.status === 'due') {
    out.push(actionButton(t(S.pay, { amount: money(app.fee.amount) }), async () => {
      const order = await api('POST', '/v1/payments/orders', { application: app.number });
      location.assign(order.checkout_url);
    }, true));
  }
  if (app.printable && PRINTS[app.kind]) {
    out.push(actionButton(t(S.print[app.kind]), async (slot) => {
      const printed = await api('POST', `${path}/${PRINTS[app.kind]}`);
      slot.replaceChildren(h('ul',
        h('li', h('a', { href: printed.url }, t(S.pdf))),
        h('li', h('a', { href: printed.verify_url }, t(S.verify)))));
    }));
  }
  if (session.type() === 'employer' && app.kind === 'permit' && app.status === 'confirmed' && app.grant) {
    out.push(h('h3', t(S.extend)), form({
      fields: [{ name: 'valid_until', label: S.extendUntil, type: 'date', required: true, attrs: { min: today() } }],
      submit: S.extend,
      onSubmit: async (chosen) => { await api('POST', `${path}/extension`, { valid_until: chosen.valid_until ?? null }); rerender(); },
    }));
  }
  return out.length ? [h('h2', t(S.actions)), out] : [];
}

/** The applicant's messages (every page), newest first. */
async function allMessages() {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 10; i++) {
    const page = await api('GET', `/v1/messages${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    if (!page.next) break;
    cursor = page.next;
  }
  return items;
}

/** `/ework/applications/:number`: one own application, its messages and actions. */
export async function application({ params, query }) {
  const number = params.number;
  const [app, messages] = await Promise.all([
    api('GET', `/v1/applications/${encodeURIComponent(number)}`),
    allMessages(),
  ]);
  return h('section.ework-page', heading(S.application, { number: app.number }),
    query.get('sent') ? notice('ok', t(S.sent)) : null,
    actions(app),
    applicationDetails(app, { ownDocuments: true }),
    h('h2', t(S.messages)),
    messageList(messages.filter((m) => m.application === app.number), { withApplication: false, level: 'h3' }));
}

// ---------------------------------------------------------------- messages

/** `/ework/messages`: the ministry's messages, newest first. */
export async function messages({ query }) {
  const cursor = query.get('cursor');
  const page = await api('GET', `/v1/messages${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
  return h('section.ework-page', heading(S.messages),
    messageList(page.items),
    page.next ? h('p', link(`/ework/messages?cursor=${encodeURIComponent(page.next)}`, t(S.next))) : null);
}
