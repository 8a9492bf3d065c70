// Operators' pages besides the registration queue: legal-entity hosts made from their
// letter (and their housing), payments that need a look, and change requests of
// account data with the data now and as they would become.

import { Problem, W, api, facts, field, form, h, heading, link, notice, table, t, when } from '../core.js';
import { CHANGE_STATUS, FIELDS, TYPES, inOrder, shown } from './profile.js';
import { fileField, ownUploads } from './upload.js';

const S = {
  legalEntities: ['Юридикалык жактар', 'Юридические лица', 'Legal entities'],
  legalAbout: [
    'Юридикалык жактын жеке кабинети анын ДРН жетекчисинин атына жазган катынын жана тиркелген документтердин негизинде түзүлөт. Кабинет түзүлгөндөн кийин электрондук почтага сырсөз коюу шилтемеси, мобилдик телефонго SMS аркылуу ПИН-код жөнөтүлөт.',
    'Личный кабинет юридического лица создаётся по письму на имя руководителя ДРН и приложенным документам. После создания на адрес электронной почты направляется ссылка для установки пароля, а на номер мобильного телефона — ПИН-код по SMS.',
    'A legal entity’s cabinet is made from its letter to the head of the Department and the documents that came with it. The entity is then emailed a link to set its password and sent its action PIN by SMS.',
  ],
  newEntity: ['Юридикалык жактын жеке кабинетин түзүү', 'Создание личного кабинета юридического лица', 'Create a legal entity’s cabinet'],
  letterData: ['Каттагы маалыматтар', 'Сведения из письма', 'From the letter'],
  documents: ['Документтер', 'Документы', 'Documents'],
  legalName: ['Юридикалык жактын аталышы', 'Наименование юридического лица', 'Legal name'],
  taxId: ['ИСН', 'ИНН', 'Tax ID (INN)'],
  taxHint: ['14 сан', '14 цифр', '14 digits'],
  repSurname: ['Өкүлдүн фамилиясы', 'Фамилия представителя', 'Representative’s surname'],
  repName: ['Өкүлдүн аты', 'Имя представителя', 'Representative’s name'],
  legalAddress: ['Юридикалык дареги', 'Юридический адрес', 'Legal address'],
  email: ['Электрондук почта (логин)', 'Адрес эл. почты (логин)', 'Email (the login)'],
  emailHint: ['Сырсөз коюу шилтемеси ушул дарекке келет', 'На этот адрес придёт ссылка для установки пароля', 'The set-password link goes here'],
  phone: [
    'Кыргыз операторунун мобилдик номери (996XXXXXXXXX)',
    'Номер мобильного телефона КР оператора (996XXXXXXXXX)',
    'Kyrgyz mobile number (996XXXXXXXXX)',
  ],
  phoneHint: ['ПИН-код ушул номерге SMS аркылуу келет', 'На этот номер придёт ПИН-код по SMS', 'The action PIN goes here by SMS'],
  lang: ['Кат алышуу тили', 'Язык уведомлений', 'Language of messages'],
  letter: ['ДРН жетекчисинин атына кат', 'Письмо на имя руководителя ДРН', 'Letter to the head of the Department'],
  certificate: ['Юридикалык жакты каттоо жөнүндө күбөлүк', 'Свидетельство о регистрации юридического лица', 'Certificate of registration'],
  attorney: ['Өкүлгө ишеним кат', 'Доверенность на представителя', 'Power of attorney'],
  trustee: ['Ишенимдүү адамдын паспорту', 'Паспорт доверенного лица', 'The representative’s passport'],
  technical: ['Турак жайдын же башка жайдын техникалык паспорту', 'Технический паспорт жилого или иного помещения', 'Technical passport of the premises'],
  create: ['Кабинетти түзүү', 'Создать личный кабинет', 'Create the cabinet'],
  created: [
    '«{name}» кабинети түзүлдү. Логин: {login}. Сырсөз коюу шилтемеси электрондук почтага, ПИН-код {phone} номерине SMS аркылуу жөнөтүлдү.',
    'Личный кабинет «{name}» создан. Логин: {login}. Ссылка для установки пароля отправлена на электронную почту, ПИН-код — по SMS на номер {phone}.',
    'The cabinet of “{name}” is created. Login: {login}. The set-password link went to the email, the PIN by SMS to {phone}.',
  ],
  account: ['Аккаунттун ID', 'ID учётной записи', 'Account ID'],
  housing: ['Турак жай фондуна кошуу', 'Добавить в жилой фонд', 'Add housing'],
  housingAbout: [
    'Юридикалык жактын турак жайын анын каты менен келген документтер боюнча кошуңуз. Мүлктүн коду мүлк реестринде болушу керек.',
    'Жильё юридического лица добавляется по документам, приложенным к письму. Код имущества должен быть в реестре недвижимости.',
    'Add the entity’s housing from the documents that came with its letter. The registry must know the property code.',
  ],
  housingCode: ['Мүлктүн коду', 'Код имущества', 'Property code'],
  housingHint: [
    'Техникалык паспорттогу же сатып алуу-сатуу келишиминдеги кыймылсыз мүлктүн идентификациялык коду',
    'Идентификационный код недвижимого имущества из технического паспорта или договора купли-продажи',
    'The property’s identification code from its technical passport or deed of sale',
  ],
  housingDocument: ['Техникалык паспорт (эгер катта болбосо)', 'Технический паспорт (если не приложен к письму)', 'Technical passport (if not with the letter)'],
  letterPassport: ['Каттагы техникалык паспорт тиркелет.', 'Будет приложен технический паспорт из письма.', 'The technical passport from the letter goes with it.'],
  add: ['Кошуу', 'Добавить', 'Add'],
  added: ['Турак жай кошулду: {address} ({code}).', 'Жильё добавлено: {address} ({code}).', 'Housing added: {address} ({code}).'],
  otherHost: ['Мурда түзүлгөн юридикалык жакка турак жай кошуу', 'Добавить жильё ранее созданному юридическому лицу', 'Add housing to an entity created earlier'],
  payments: ['Көңүл бурууну талап кылган төлөмдөр', 'Платежи, требующие внимания', 'Payments that need a look'],
  paymentsAbout: [
    'Кечиккен, жокко чыгарылган арыздар боюнча же туура эмес суммадагы төлөмдөр. «Кайтарылышы керек» деп белгиленген акча төлөөчүгө кайтарылат.',
    'Платежи, поступившие с опозданием, по отменённым заявкам или на неверную сумму. Деньги по платежам с отметкой «Подлежит возврату» возвращаются плательщику.',
    'Payments that came late, for cancelled applications or of a wrong amount. Those marked “refund due” go back to the payer.',
  ],
  order: ['Буйрутманын номери', 'Номер заказа', 'Order number'],
  application: ['Арыз', 'Заявка', 'Application'],
  amount: ['Суммасы', 'Сумма', 'Amount'],
  flags: ['Эмне туура эмес', 'Что не так', 'What is wrong'],
  refund: ['Кайтарылышы керек', 'Подлежит возврату', 'Refund due'],
  created_at: ['Түзүлгөн', 'Создан', 'Created'],
  changeRequests: ['Маалыматтарды өзгөртүү өтүнүчтөрү', 'Заявки на изменение данных', 'Change requests'],
  waitingCaption: ['Чечим күткөн өтүнүчтөр, эскилери биринчи', 'Ожидают решения, сначала старые', 'Waiting for a decision, oldest first'],
  fields: ['Өзгөртүлүүчү талаалар', 'Изменяемые поля', 'Fields to change'],
  received: ['Келген', 'Поступила', 'Received'],
  changeRequest: ['Маалыматтарды өзгөртүү өтүнүчү', 'Заявка на изменение данных', 'Change request'],
  holder: ['Ээси', 'Владелец', 'Holder'],
  type: ['Аккаунттун түрү', 'Тип учётной записи', 'Account type'],
  side: ['Маалыматтар азыр жана өзгөртүүдөн кийин', 'Данные сейчас и после изменения', 'The data now and as they would become'],
  field: ['Талаа', 'Поле', 'Field'],
  now: ['Азыр', 'Сейчас', 'Now'],
  after: ['Өзгөртүүдөн кийин', 'После изменения', 'Would become'],
  same: ['өзгөрбөйт', 'без изменений', 'unchanged'],
  emptied: ['(бош)', '(пусто)', '(empty)'],
  approve: ['Бекитүү', 'Одобрить', 'Approve'],
  approveAbout: [
    'Бекитилгенде маалыматтар дароо өзгөрөт жана ээсине кат жөнөтүлөт.',
    'При одобрении данные изменятся сразу, владельцу придёт письмо.',
    'Approving applies the change at once; the holder is emailed.',
  ],
  refuse: ['Четке кагуу', 'Отклонить', 'Refuse'],
  reason: ['Четке кагуунун себеби', 'Причина отказа', 'Reason for refusal'],
  reasonHint: ['Ээсине ушундай көрсөтүлөт', 'Будет показана владельцу как написана', 'Shown to the holder as written'],
  approved: ['Өтүнүч бекитилди: маалыматтар өзгөрдү.', 'Заявка одобрена: данные изменены.', 'The request is approved: the data changed.'],
  refused: ['Өтүнүч четке кагылды: маалыматтар өзгөргөн жок.', 'Заявка отклонена: данные не изменены.', 'The request is refused: the data stay.'],
  decidedReason: ['Себеби', 'Причина', 'Reason'],
  list: ['Бардык өтүнүчтөр', 'Все заявки', 'All requests'],
  requiredField: ['Бул талаа милдеттүү.', 'Это поле обязательно.', 'This field is required.'],
};

const FLAGS = {
  payment_mismatch: ['Сумма туура эмес', 'Сумма не совпадает', 'Wrong amount'],
  paid_after_expiry: ['Буйрутманын мөөнөтү өткөндөн кийин төлөнгөн', 'Оплачено после истечения срока заказа', 'Paid after the order expired'],
  paid_after_cancellation: ['Арыз жокко чыгарылгандан кийин төлөнгөн', 'Оплачено после отмены заявки', 'Paid after the application was cancelled'],
};
const ORDER_STATUS = {
  pending: ['Төлөм күтүлүүдө', 'Ожидает оплаты', 'Pending'],
  paid: ['Төлөнгөн', 'Оплачен', 'Paid'],
  expired: ['Мөөнөтү өткөн', 'Истёк', 'Expired'],
};
const YES_NO = { true: ['Ооба', 'Да', 'Yes'], false: ['Жок', 'Нет', 'No'] };
const LANG_OPTIONS = [['ky', ['Кыргызча', 'Кыргызча', 'Кыргызча']], ['ru', ['Русский', 'Русский', 'Русский']], ['en', ['English', 'English', 'English']]];

/** A message kept across one re-render, to say what just happened. */
let flash = null;
/** The cabinet just created, shown once above a fresh form. */
let recent = null;

/** A problem shown beside the form field `name`. */
const fieldProblem = (name, detail) =>
  new Problem({ status: 422, code: 'invalid_fields', detail, errors: [{ field: name, code: 'required', detail }] });

const documentField = (name, label, kind, required = false) =>
  fileField({ name, label, kind, required, store: ownUploads() });

// ---------------------------------------------------------------- legal entities

/** The scans that may come with a letter: field, label, document kind. */
const SCANS = [
  ['certificate', S.certificate, 'certificate'],
  ['power_of_attorney', S.attorney, 'power_of_attorney'],
  ['trustee_passport', S.trustee, 'passport_scan'],
  ['technical_passport', S.technical, 'technical_passport'],
];

export async function legalEntities() {
  const made = recent;
  recent = null;
  const create = form({
    fields: [
      h('fieldset', h('legend', t(S.letterData)),
        field({ name: 'legal_name', label: S.legalName, required: true }),
        field({ name: 'tax_id', label: S.taxId, hint: S.taxHint, required: true, inputmode: 'numeric' }),
        field({ name: 'representative_surname', label: S.repSurname, required: true }),
        field({ name: 'representative_name', label: S.repName, required: true }),
        field({ name: 'legal_address', label: S.legalAddress, required: true }),
        field({ name: 'email', label: S.email, hint: S.emailHint, type: 'email', required: true }),
        field({ name: 'phone', label: S.phone, hint: S.phoneHint, type: 'tel', required: true }),
        field({ name: 'lang', label: S.lang, options: LANG_OPTIONS, required: true, value: 'ru' })),
      h('fieldset', h('legend', t(S.documents)),
        documentField('letter', S.letter, 'other', true),
        SCANS.map(([name, label, kind]) => documentField(name, label, kind))),
    ],
    submit: S.create,
    onSubmit: async (v) => {
      const scans = SCANS.filter(([name]) => v[name]).map(([name]) => ({ name, id: v[name] }));
      const created = await sendEntity(v, scans);
      recent = { created, technical: v.technical_passport ?? null };
      window.dispatchEvent(new Event('rerender'));
    },
  });
  return h('section',
    heading(S.legalEntities),
    made ? createdEntity(made.created, made.technical) : null,
    h('h2', t(S.newEntity)),
    h('p', t(S.legalAbout)),
    create,
    h('h2', t(S.otherHost)),
    h('p', t(S.housingAbout)),
    housingForm(null, null));
}

/** Creates the host; errors about `scans[i]` are shown beside the scan's own field. */
async function sendEntity(v, scans) {
  const body = {
    legal_name: v.legal_name, tax_id: v.tax_id, representative_surname: v.representative_surname,
    representative_name: v.representative_name, legal_address: v.legal_address, email: v.email,
    phone: v.phone?.replace(/\D/g, ''), lang: v.lang, letter: v.letter, scans: scans.map((s) => s.id),
  };
  try {
    return await api('POST', '/v1/operator/legal-entity-hosts', body);
  } catch (problem) {
    for (const error of problem.errors ?? []) {
      const index = error.field.match(/^scans\[(\d+)\]/)?.[1];
      if (index !== undefined && scans[index]) error.field = scans[index].name;
    }
    throw problem;
  }
}

function createdEntity(created, technical) {
  const account = created.account;
  return h('div.created',
    notice('ok', t(S.created, { name: account.name, login: created.login, phone: account.phone })),
    h('h2', account.name),
    facts([[S.account, account.account_id], [FIELDS.email, account.email], [FIELDS.phone, account.phone]]),
    h('h3', t(S.housing)),
    h('p', t(S.housingAbout)),
    housingForm(account.account_id, technical));
}

/** Housing for a legal-entity host: the one just made, or one named by its account id. */
function housingForm(accountId, technical) {
  const out = h('div', { 'aria-live': 'polite' });
  const fields = [
    accountId ? null : field({ name: 'account_id', label: S.account, required: true, hint: ['acc_…', 'acc_…', 'acc_…'] }),
    field({ name: 'housing_code', label: S.housingCode, hint: S.housingHint, required: true }),
    technical ? h('p.hint', t(S.letterPassport)) : documentField('document', S.housingDocument, 'technical_passport'),
  ].filter(Boolean);
  const el = form({
    fields,
    submit: S.add,
    onSubmit: async (v) => {
      const target = accountId ?? v.account_id;
      if (!target) throw fieldProblem('account_id', t(S.requiredField));
      const added = await api('POST', `/v1/operator/hosts/${encodeURIComponent(target)}/housing`,
        { housing_code: v.housing_code ?? '', document: technical ?? v.document });
      out.replaceChildren(notice('ok', t(S.added, { address: added.address, code: added.code })));
      el.querySelector('[name="housing_code"]').value = '';
    },
  });
  return [out, el];
}

// ---------------------------------------------------------------- flagged payments

export async function flaggedPayments() {
  const { payments } = await api('GET', '/v1/operator/payments/flagged');
  const amount = (p) => `${(p.amount_minor / 100).toFixed(2)} ${p.currency}`;
  const application = (p) => (/^\d{10}$/.test(p.application)
    ? link(`/operator/registrations/${p.application}`, p.application)
    : p.application);
  return h('section',
    heading(S.payments),
    h('p', t(S.paymentsAbout)),
    table(S.payments, [
      [S.order, (p) => p.order_number],
      [S.application, application],
      [S.amount, amount],
      [W.status, (p) => t(ORDER_STATUS[p.status] ?? p.status)],
      [S.flags, (p) => p.flags.map((f) => t(FLAGS[f] ?? f)).join('; ')],
      [S.refund, (p) => (p.refund_due ? h('strong', t(YES_NO.true)) : t(YES_NO.false))],
      [S.created_at, (p) => when(p.created_at)],
    ], payments));
}

// ---------------------------------------------------------------- change requests

const fieldNames = (changes) => inOrder(Object.keys(changes ?? {})).map((key) => t(FIELDS[key] ?? key)).join(', ');

export async function changeRequests() {
  const { requests } = await api('GET', '/v1/operator/change-requests');
  return h('section',
    heading(S.changeRequests),
    table(S.waitingCaption, [
      [W.number, (r) => link(`/operator/change-requests/${encodeURIComponent(r.request_id)}`, r.request_id)],
      [S.received, (r) => when(r.created_at)],
      [S.fields, (r) => fieldNames(r.changes)],
      [W.status, (r) => t(CHANGE_STATUS[r.status] ?? r.status)],
    ], requests));
}

/** A profile as one level of fields: nested parts (the identity) bring their fields up. */
function flatten(value, into = {}, prefix = '') {
  for (const [key, item] of Object.entries(value ?? {})) {
    if (!prefix && key === 'type') continue;
    if (item && typeof item === 'object' && !Array.isArray(item)) flatten(item, into, `${prefix}${key}.`);
    else into[key in into ? `${prefix}${key}` : key] = item;
  }
  return into;
}

export async function changeRequest({ params }) {
  const id = encodeURIComponent(params.id);
  const file = await api('GET', `/v1/operator/change-requests/${id}`);
  const message = flash;
  flash = null;
  const now = flatten(file.current);
  const after = flatten(file.proposed);
  const differs = (key) => JSON.stringify(now[key] ?? null) !== JSON.stringify(after[key] ?? null);
  const all = inOrder(new Set([...Object.keys(now), ...Object.keys(after)]))
    .filter((key) => !(isEmpty(now[key]) && isEmpty(after[key])));
  // What changes first, then the rest for context.
  const keys = [...all.filter(differs), ...all.filter((key) => !differs(key))];
  return h('section',
    heading(S.changeRequest),
    message ? notice('ok', t(message)) : null,
    h('p', link('/operator/change-requests', t(S.list))),
    facts([
      [W.number, file.request_id],
      [W.status, t(CHANGE_STATUS[file.status] ?? file.status)],
      [S.received, when(file.created_at)],
      [S.decidedReason, file.reason],
      [S.holder, file.account?.name],
      [S.type, t(TYPES[file.account?.type] ?? file.account?.type ?? '')],
      [FIELDS.email, file.account?.email],
      [FIELDS.phone, file.account?.phone],
    ]),
    sideBySide(S.side, [
      [S.field, (key) => t(FIELDS[key] ?? key)],
      [S.now, (key) => shown(key, now[key])],
      [S.after, (key) => (differs(key) ? h('strong', shown(key, after[key]) || t(S.emptied)) : h('span.muted', t(S.same)))],
    ], keys),
    file.status === 'pending' ? decision(id) : null);
}

/** A table of three narrow columns that fits a phone: long words wrap instead of scrolling. */
function sideBySide(...args) {
  const wrap = table(...args);
  wrap.classList.add('side-by-side');
  return wrap;
}

const isEmpty = (value) => value === null || value === undefined || value === '';

function decision(id) {
  const decided = (message) => {
    flash = message;
    window.dispatchEvent(new Event('rerender'));
  };
  return [
    h('h2', t(S.approve)),
    h('p', t(S.approveAbout)),
    form({
      fields: [],
      submit: S.approve,
      onSubmit: async () => {
        await api('POST', `/v1/operator/change-requests/${id}/approval`);
        decided(S.approved);
      },
    }),
    h('h2', t(S.refuse)),
    form({
      fields: [{ name: 'reason', label: S.reason, hint: S.reasonHint, type: 'textarea', required: true, attrs: { maxlength: 1000 } }],
      submit: S.refuse,
      onSubmit: async (v) => {
        await api('POST', `/v1/operator/change-requests/${id}/refusal`, { reason: v.reason ?? '' });
        decided(S.refused);
      },
    }),
  ];
}
