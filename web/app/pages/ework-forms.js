// The e-work application forms: a quota (rows of country, position and count), a work
// permit (after the foreigner search), a foreign entrepreneur's permit (after the
// availability check) and a Digital Nomad status. Each form can be checked before it
// is sent; field names are the API's (`rows[0].count`), so its errors stand beside them.

import { Problem, W, api, clearErrors, facts, field, fill, form, h, heading, lang, link, notice, session, showProblem, t, table, values, when } from '../core.js';
import { navigate } from '../nav.js';
import { fileField, ownUploads } from './upload.js';
import { DOCUMENT_TYPES, SEX } from './account-forms.js';

/** The label of `value` in a list of `[value, label]`, or the value itself. */
const labelIn = (list, value) => (value ? t(list.find(([v]) => v === value)?.[1] ?? value) : value);

/** Field labels, shared with the application's page and the operator's console. */
export const F = {
  total: ['Квоталардын жалпы саны', 'Общее количество квот', 'Quotas in all'],
  country: ['Өлкө', 'Страна', 'Country'],
  position: ['Ээлеген кызматы', 'Занимаемая должность', 'Position'],
  count: ['Саны', 'Количество', 'Count'],
  reasons: [
    'Чет элдик жумушчу күчүн (ЧЭЖК) тартуунун себептери жана негиздери',
    'Причины и основания для привлечения иностранной рабочей силы (ИРС)',
    'Reasons and grounds for hiring foreign labour',
  ],
  tax: [
    'КР салык кызматына төгүмдөрдүн жалпы суммасы (акыркы 6 ай)',
    'Общая сумма отчислений в налоговую службу КР (за последние 6 месяцев)',
    'Payments to the State Tax Service (last 6 months)',
  ],
  social: [
    'КР Социалдык фондуна төгүмдөрдүн жалпы суммасы (акыркы 6 ай)',
    'Общая сумма отчислений в социальный фонд КР (за последние 6 месяцев)',
    'Payments to the Social Fund (last 6 months)',
  ],
  noneReason: ['Төгүм болбосо — себеби', 'Если отчислений нет — причина', 'If nothing was paid — why'],
  appeal: ['Арыз берүүчүнүн тексттик кайрылуусу', 'Текстовое обращение заявителя', "The applicant's appeal"],
  localStaff: [
    'Иштеген КР жергиликтүү жарандарынын саны (штаттык ырааттама боюнча), баары',
    'Количество привлекаемых на работу местных граждан КР (согласно штатного расписания) всего',
    'Local citizens on the staff list, in all',
  ],
  managers: ['алардын ичинен жетекчилер', 'из них руководители', 'of them managers'],
  workers: ['жумушчулар', 'рабочие', 'workers'],
  ratio: [
    'Жергиликтүү жана чет элдик адистердин катышы',
    'Соотношение численности местных работников и иностр. специалистов',
    'Local staff per foreign worker',
  ],
  vacancies: ['бош орундар', 'вакансии', 'vacancies'],
  earlier: [
    'Уюмдун бүт иш мезгилинде ЧЭЖК тартууга уруксат документтерин алууга кайрылуулардын саны',
    'Число обращений за получением разрешительных документов на привлечение ИРС за весь период деятельности организации',
    'Applications for permits to hire foreign labour over the organisation’s life',
  ],
  foreignIn: ['{year}-ж. ЧЭЖК саны', 'Количество ИРС за {year} г.', 'Foreign workers in {year}'],
  staffList: ['Штаттык ырааттама', 'Штатное расписание', 'Staff list'],
  powerOfAttorney: ['Ишеним кат', 'Доверенность', 'Power of attorney'],
  trusteePassport: ['Ишенимдүү адамдын паспорту/ID', 'Паспорт/ид доверенного лица', "The trustee's passport or ID"],
  documentCountry: ['Документтин өлкөсү', 'Страна документа', 'Document country'],
  passportNumber: ['Паспорттун номери', 'Номер паспорта', 'Passport number'],
  documentNumber: ['Документтин номери', 'Номер документа', 'Document number'],
  surname: ['Фамилиясы', 'Фамилия', 'Surname'],
  givenNames: ['Аты', 'Имя', 'Given names'],
  patronymic: ['Атасынын аты', 'Отчество', 'Patronymic'],
  birthDate: ['Туулган күнү', 'Дата рождения', 'Date of birth'],
  sex: ['Жынысы', 'Пол', 'Sex'],
  documentType: ['Документтин түрү', 'Тип документа', 'Document type'],
  validUntil: ['Документтин жарактуулук мөөнөтү', 'Дата действительности документа', 'Document valid until'],
  lastEntry: ['Чек арадан өткөн күнү', 'Дата пересечения границы', 'Last entry'],
  visaNumber: ['Визанын номери', 'Номер визы', 'Visa number'],
  visaType: ['Визанын түрү', 'Тип визы', 'Visa type'],
  multiplicity: ['Визанын эселиги', 'Кратность визы', 'Entries'],
  visaFrom: ['Виза жарактуу (кайсы күндөн)', 'Виза действительно от', 'Valid from'],
  visaTo: ['Виза жарактуу (кайсы күнгө чейин)', 'Виза действительно до', 'Valid to'],
  birthCountry: ['Туулган өлкөсү', 'Страна рождения', 'Country of birth'],
  documentIssued: ['Документ берилген күн', 'Дата выдачи документа', 'Document issued'],
  education: ['Билими', 'Образование', 'Education'],
  marital: ['Үй-бүлөлүк абалы', 'Семейное положение', 'Marital status'],
  placeOfStay: ['Жашаган жери', 'Место пребывания', 'Place of stay'],
  jobPosition: ['Жумуштагы кызматы', 'Должность на работе', 'Position at work'],
  workRegion: ['Иштеген аймагы', 'Регион работы', 'Region of work'],
  highlyQualified: ['Жогорку квалификациялуу кызматкер', 'Высококвалифицированный работник', 'Highly qualified worker'],
  notes: ['Эскертүүлөр', 'Примечания', 'Notes'],
  talon: ['Каттоо талонунун номери', 'Номер регистрационного талона', 'Registration talon number'],
  photo: ['Арыз берүүчүнүн сүрөтү', 'Фото заявителя', "The foreigner's photo"],
  page1: ['Паспорттун көчүрмөсү, 1-бет', 'Фотокопия паспорта страница 1', 'Passport copy, page 1'],
  page2: ['Паспорттун көчүрмөсү, 2-бет', 'Фотокопия паспорта страница 2', 'Passport copy, page 2'],
  hiv: [
    'ВИЧке антителолорду текшерүү боюнча медициналык корутунду',
    'Медицинское заключение об обследовании на антитела к ВИЧ',
    'HIV antibody test certificate',
  ],
  other: ['Башка документ', 'Другое', 'Other document'],
  relatives: [
    'Чет элдик жаран менен КРда чогуу жүргөн туугандары',
    'Родственники, пребывающие вместе с иностранным гражданином в КР',
    'Relatives staying with the foreigner in the Kyrgyz Republic',
  ],
  kinship: ['Туугандыгы', 'Степень родства', 'Kinship'],
  activity: ['Ишмердүүлүктүн түрү', 'Вид деятельности', 'Activity'],
  patentNumber: ['Патенттин №', '№ Патента', 'Patent number'],
  patentDate: ['Патенттин күнү', 'Дата патента', 'Patent date'],
  region: ['Аймак', 'Регион', 'Region'],
  marketName: ['Иштеген жери: базардын аталышы', 'Место работы: название рынка', 'Workplace: the market'],
  marketPhone: ['Иштеген жери: телефон', 'Место работы: телефон', 'Workplace: phone'],
  patent: ['Жеке ишкердикке патент', 'Патент на занятие ИП', 'Patent'],
  patentPayment: ['Патент үчүн төлөм', 'Оплата за патент', 'Patent payment'],
  trusteeDocument: ['Ишенимдүү адамдын документи', 'Документ доверенного лица', "The trustee's document"],
  organization: [
    'Уюмдун аталышы / Жеке ишкер',
    'Наименование организации / Индивидуальный предприниматель',
    'Organisation / individual entrepreneur',
  ],
  purpose: ['Сапардын максаты', 'Цель визита', 'Purpose of the visit'],
  plannedEntry: ['Кирүүнүн пландалган күнү', 'Плановая дата въезда', 'Planned entry date'],
  incomeEvidence: ['Киреше тууралуу маалымат', 'Выписка о доходах', 'Income evidence'],
  quotaPlace: ['Квотадагы орун', 'Место в квоте', 'Quota place'],
};

/** The kinds of application, and the titles of their forms. */
export const KINDS = {
  quota: ['Квотага арыз', 'Заявка на квоту', 'Quota application'],
  permit: ['Иштөөгө уруксат', 'Разрешение на работу', 'Work permit'],
  entrepreneur: ['Чет элдик жеке ишкерге уруксат', 'Разрешение иностранному ИП', 'Foreign entrepreneur permit'],
  nomad: ['«Санарип көчмөн» статусу', 'Статус «Цифровой кочевник»', 'Digital Nomad status'],
};

export const NEW = {
  quota: ['Квота алууга арыз берүү', 'Подать заявку на получение квоты', 'Apply for a quota'],
  permit: ['Иштөөгө уруксат алууга арыз берүү', 'Подать заявку на получение разрешения на работу', 'Apply for a work permit'],
  entrepreneur: ['Уруксатка арыз берүү', 'Подать заявку на разрешение', 'Apply for a permit'],
  nomad: ['«Санарип көчмөн» статусуна арыз берүү', 'Подать заявку на статус «Цифровой кочевник»', 'Apply for Digital Nomad status'],
};

/** The kinds each type of account applies for. */
export const KINDS_OF = {
  employer: ['quota', 'permit'],
  foreign_entrepreneur: ['entrepreneur'],
  digital_nomad: ['nomad'],
};

export const EDUCATION = [
  ['higher', ['Жогорку', 'Высшее', 'Higher']],
  ['vocational', ['Орто кесиптик', 'Среднее профессиональное', 'Vocational']],
  ['secondary', ['Орто', 'Среднее', 'Secondary']],
  ['basic', ['Негизги', 'Основное', 'Basic']],
];
export const MARITAL = [
  ['single', ['Үй-бүлөлүү эмес', 'Холост/не замужем', 'Single']],
  ['married', ['Үй-бүлөлүү', 'Женат/замужем', 'Married']],
  ['divorced', ['Ажырашкан', 'Разведён/разведена', 'Divorced']],
  ['widowed', ['Жесир', 'Вдовец/вдова', 'Widowed']],
];
export const REGIONS = [
  ['bishkek', ['Бишкек шаары', 'г. Бишкек', 'Bishkek city']],
  ['osh_city', ['Ош шаары', 'г. Ош', 'Osh city']],
  ['batken', ['Баткен облусу', 'Баткенская область', 'Batken region']],
  ['chuy', ['Чүй облусу', 'Чуйская область', 'Chuy region']],
  ['issyk_kul', ['Ысык-Көл облусу', 'Иссык-Кульская область', 'Issyk-Kul region']],
  ['jalal_abad', ['Жалал-Абад облусу', 'Джалал-Абадская область', 'Jalal-Abad region']],
  ['naryn', ['Нарын облусу', 'Нарынская область', 'Naryn region']],
  ['osh', ['Ош облусу', 'Ошская область', 'Osh region']],
  ['talas', ['Талас облусу', 'Таласская область', 'Talas region']],
];
export const KINSHIP = [
  ['spouse', ['Жубайы', 'Супруг(а)', 'Spouse']],
  ['child', ['Баласы', 'Ребёнок', 'Child']],
  ['parent', ['Ата-энеси', 'Родитель', 'Parent']],
  ['other', ['Башка', 'Другое', 'Other']],
];

const S = {
  notForYou: ['Бул арыз сиздин аккаунтуңуз үчүн эмес.', 'Эта заявка не для вашей учётной записи.', 'This application is not for your account.'],
  countryHint: ['Үч латын тамгасы, мисалы CHN', 'Три латинские буквы, например CHN', 'Three Latin letters, e.g. CHN'],
  numberHint: ['Боштуксуз', 'Без пробелов', 'Without spaces'],
  talonHint: ['14 сан', '14 цифр', '14 digits'],
  row: ['{n}-сап', 'Строка {n}', 'Row {n}'],
  addRow: ['Сап кошуу', 'Добавить строку', 'Add a row'],
  removeRow: ['{n}-сапты өчүрүү', 'Удалить строку {n}', 'Remove row {n}'],
  relative: ['{n}-тууган', 'Родственник {n}', 'Relative {n}'],
  addRelative: ['Тууган кошуу', 'Добавить родственника', 'Add a relative'],
  removeRelative: ['{n}-туугандын маалыматын өчүрүү', 'Удалить родственника {n}', 'Remove relative {n}'],
  rows: ['Өлкөлөр, кызматтар жана квоталардын саны', 'Страны, должности и количество квот', 'Countries, positions and counts'],
  localStaff: ['Жергиликтүү кызматкерлер', 'Местные работники', 'Local staff'],
  foreignStaff: ['Мурунку жылдардагы ЧЭЖК', 'ИРС за прошлые годы', 'Foreign workers in past years'],
  documents: ['Документтер', 'Документы', 'Documents'],
  send: ['Арызды жөнөтүү', 'Отправить заявку', 'Send the application'],
  checkOk: ['Форма туура толтурулду.', 'Форма заполнена верно.', 'The form holds.'],
  search: ['Издөө', 'Поиск', 'Search'],
  crossing: ['Чек арадан өтүү маалыматтары', 'Данные пересечения', 'Border crossing data'],
  visas: ['Визанын маалыматтары', 'Данные визы', 'Visa data'],
  notFound: ['Чек ара кызматы бул документти билбейт.', 'Пограничная служба не знает этот документ.', 'The border service does not know this document.'],
  eligible: ['Текшерүүлөр өттү. Анкетаны толтурууну улантыңыз.', 'Проверки пройдены. Продолжите заполнять анкету.', 'The checks passed. Continue with the form.'],
  notEligible: ['Арызды улантууга болбойт:', 'Продолжить заявку нельзя:', 'The application cannot go on:'],
  continueForm: ['Анкетаны толтурууну улантыңыз', 'Продолжите заполнять анкету', 'Continue with the form'],
  availability: ['Жеткиликтүүлүгүн текшерүү', 'Проверить доступность', 'Check availability'],
  availabilityHint: [
    'Текшерүү сиздин кабинетиңиздеги паспорт боюнча жүргүзүлөт.',
    'Проверка идёт по паспорту из вашего личного кабинета.',
    'The check uses the passport of your account.',
  ],
  identityHint: [
    'Жеке маалыматтар жеке кабинетиңизден алынат; аларды «Профиль» барагында текшериңиз.',
    'Личные данные берутся из вашего личного кабинета; проверьте их на странице «Профиль».',
    'Your personal data come from your account; check them on the Profile page.',
  ],
  profile: ['Профиль', 'Профиль', 'Profile'],
  identity: ['Арыз берүүчү', 'Заявитель', 'Applicant'],
  incomeHint: [
    'Арыз берилген күнгө чейинки бир жылдагы келишимдер боюнча кирешелер тууралуу банктан көчүрмө же келишимдердин көчүрмөлөрү.',
    'Выписка из банка о доходах за услуги по контрактам за год до подачи заявления, либо копии договоров.',
    'A bank statement of income under contracts for the year before applying, or copies of the contracts.',
  ],
  multiple: ['Көп жолку', 'Многократная', 'Multiple'],
  single: ['Бир жолку', 'Однократная', 'Single'],
  row1: ['{quota}, {n}-сап', '{quota}, строка {n}', '{quota}, row {n}'],
};

// ---------------------------------------------------------------- helpers

export const choice = (list, code) => t(list.find(([value]) => value === code)?.[1] ?? code);

/** An amount in tyiyn (`{amount_minor, currency}`) as the API prints it: `4000.00 KGS`. */
export const money = (amount) => (amount ? `${(amount.amount_minor / 100).toFixed(2)} ${amount.currency ?? ''}`.trim() : '');

/** Today in Bishkek (`YYYY-MM-DD`). */
export function today() {
  return new Date(Date.now() + 6 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Flat names such as `rows[0].count` and `tax_payments.monthly[2]`, nested. */
export function nest(flat) {
  const out = {};
  for (const [path, value] of Object.entries(flat)) {
    const keys = path.match(/[^.[\]]+/g);
    let at = out;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) at[key] = value;
      else at = at[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    });
  }
  return out;
}

/** `list` with `length` entries, blanks where the form left none. */
const dense = (list, length, blank) => Array.from({ length }, (_, i) => list?.[i] ?? blank());

const rowCount = (form, name) => form.querySelectorAll(`[data-row-of="${name}"]`).length;

const upper = (event) => { event.target.value = event.target.value.toUpperCase(); };

const countryField = (name, label) => ({
  name, label, required: true, hint: S.countryHint, attrs: { maxlength: 3, spellcheck: 'false', onchange: upper },
});

const countField = (name, label, required = true) => ({
  name, label, required, type: 'number', inputmode: 'numeric', attrs: { min: 0, step: 1 },
});

const upload = (name, label, kind, { required = true, hint, photo = false } = {}) => fileField({
  name, label, kind, required, hint, store: ownUploads(),
  accept: photo ? 'image/jpeg,image/png' : 'image/jpeg,image/png,application/pdf',
});

/**
 * Rows of fields named `name[i].key`, with a button to add a row and one to remove
 * each. The fieldset carries the list's own errors (`rows`: required).
 */
function rowsField({ name, legend, rowLegend, addLabel, removeLabel, columns, initial = 0 }) {
  const list = h('div');
  const own = h('p.error', { hidden: true });
  const read = () => [...list.children].map((row) => Object.fromEntries(
    columns.map(({ key }) => [key, row.querySelector(`[name="${name}[${row.dataset.index}].${key}"]`)?.value ?? ''])));
  const draw = (rows, focusAt) => {
    list.replaceChildren(...rows.map((row, i) => h('fieldset.row', { 'data-row-of': name, 'data-index': String(i) },
      h('legend', t(rowLegend, { n: i + 1 })),
      columns.map((c) => field({ ...c, name: `${name}[${i}].${c.key}`, value: row[c.key] })),
      h('button', { type: 'button', onclick: () => draw(read().filter((_, j) => j !== i), Math.min(i, rows.length - 2)) },
        t(removeLabel, { n: i + 1 })))));
    if (focusAt !== undefined) (list.children[focusAt]?.querySelector('input, select') ?? add).focus();
    box.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const add = h('button', { type: 'button', onclick: () => { const rows = read(); draw([...rows, {}], rows.length); } }, t(addLabel));
  const box = h('fieldset', { 'data-field': name }, h('legend', t(legend)), own, list, h('div.actions', add));
  draw(Array.from({ length: initial }, () => ({})));
  return box;
}

const relativesField = () => rowsField({
  name: 'relatives', legend: F.relatives, rowLegend: S.relative, addLabel: S.addRelative, removeLabel: S.removeRelative,
  columns: [
    { key: 'surname', label: F.surname, required: true },
    { key: 'given_names', label: F.givenNames, required: true },
    { key: 'birth_date', label: F.birthDate, type: 'date', required: true },
    { key: 'kinship', label: F.kinship, options: KINSHIP, required: true },
  ],
});

/** The form's body: nested values, with every row (an empty one as `{}`). */
function bodyOf(el, lists = ['relatives']) {
  const body = nest(values(el));
  for (const name of lists) body[name] = dense(body[name], rowCount(el, name), () => ({}));
  return body;
}

/** A holder and their visas as the search or the availability check found them. */
export function holderView(holder, visas = []) {
  return [
    h('h2', t(S.crossing)),
    holder ? facts([
      [F.documentNumber, holder.document_number], [F.documentCountry, holder.document_country],
      [F.surname, holder.surname], [F.givenNames, holder.given_names], [F.patronymic, holder.patronymic],
      [F.birthDate, when(holder.birth_date)], [F.sex, labelIn(SEX, holder.sex)],
      [F.documentType, labelIn(DOCUMENT_TYPES, holder.document_type)],
      [F.validUntil, when(holder.document_valid_until)], [F.lastEntry, when(holder.last_entry)],
    ]) : h('p', t(S.notFound)),
    h('h2', t(S.visas)),
    table(S.visas, [
      [F.visaNumber, (v) => v.number], [F.visaType, (v) => v.type_label ?? v.visa_type],
      [F.multiplicity, (v) => v.multiplicity_label ?? t(v.multiple ? S.multiple : S.single)], [F.visaFrom, (v) => when(v.valid_from)], [F.visaTo, (v) => when(v.valid_to)],
    ], visas),
  ];
}

function searchResult(result) {
  return h('div',
    holderView(result.holder, result.visas),
    result.eligible
      ? notice('ok', t(S.eligible))
      : notice('warn', t(S.notEligible), h('ul', result.reasons.map((r) => h('li', r.message)))));
}

/**
 * A form with a check button beside the submit: the check shows what `showChecked`
 * makes of the API's answer, the submit opens the new application.
 */
function applicationForm({ fields, check, submit, body, showChecked }) {
  const result = h('div', { 'aria-live': 'polite' });
  let el;
  const checkButton = h('button', {
    type: 'button',
    onclick: async () => {
      clearErrors(el);
      result.replaceChildren();
      checkButton.disabled = true;
      try {
        const answer = await api('POST', check, body(el));
        fill(result, notice('ok', t(S.checkOk)), showChecked(answer));
      } catch (problem) {
        if (!(problem instanceof Problem)) throw problem;
        showProblem(el, problem);
      } finally {
        checkButton.disabled = false;
      }
    },
  }, t(W.check));
  el = form({
    fields, submit: S.send, extra: [result],
    onSubmit: async (_, sent) => {
      const created = await api('POST', submit, body(sent));
      navigate(`/ework/applications/${encodeURIComponent(created.number)}?sent=1`);
    },
  });
  el.querySelector(':scope > .actions').prepend(checkButton);
  return el;
}

// ---------------------------------------------------------------- quota

/** The six months before this one, oldest first, as people name them. */
function lastSixMonths() {
  const now = new Date();
  const format = new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : lang(), { month: 'long', year: 'numeric' });
  return Array.from({ length: 6 }, (_, i) => format.format(new Date(now.getFullYear(), now.getMonth() - 6 + i, 1)));
}

function paymentsField(name, label) {
  return h('fieldset', { 'data-field': name },
    h('legend', t(label)),
    h('p.error', { hidden: true }),
    lastSixMonths().map((month, i) => field({ name: `${name}.monthly[${i}]`, label: [month, month, month], inputmode: 'decimal' })),
    field({ name: `${name}.none_reason`, label: F.noneReason, type: 'textarea' }));
}

/** Amounts or the reason, as the API reads them: all six (blanks as typed) or none. */
function payments(raw = {}) {
  const monthly = raw.monthly ?? [];
  const out = {};
  if (monthly.some((m) => m)) out.monthly = dense(monthly, 6, () => '');
  if (raw.none_reason) out.none_reason = raw.none_reason;
  return out;
}

function quotaForm() {
  const year = new Date().getFullYear();
  const total = field(countField('total', F.total));
  const rows = rowsField({
    name: 'rows', legend: S.rows, rowLegend: S.row, addLabel: S.addRow, removeLabel: S.removeRow, initial: 1,
    columns: [
      { ...countryField('country', F.country), key: 'country' },
      { key: 'position', label: F.position, required: true },
      { ...countField('count', F.count), key: 'count' },
    ],
  });
  rows.addEventListener('input', () => {
    const counts = [...rows.querySelectorAll('input[name$=".count"]')].map((i) => Number(i.value) || 0);
    total.querySelector('input').value = String(counts.reduce((a, b) => a + b, 0) || '');
  });
  const body = (el) => {
    const form = bodyOf(el, ['rows']);
    form.tax_payments = payments(form.tax_payments);
    form.social_fund_payments = payments(form.social_fund_payments);
    return form;
  };
  return applicationForm({
    check: '/v1/quota-applications/check',
    submit: '/v1/quota-applications',
    body,
    showChecked: (answer) => facts([[F.total, String(answer.total)], [F.ratio, answer.local_to_foreign_ratio]]),
    fields: [
      total, rows,
      { name: 'reasons', label: F.reasons, type: 'textarea', required: true },
      paymentsField('tax_payments', F.tax),
      paymentsField('social_fund_payments', F.social),
      { name: 'appeal', label: F.appeal, type: 'textarea', required: true },
      h('fieldset', h('legend', t(S.localStaff)),
        field(countField('local_staff_total', F.localStaff)),
        field(countField('local_managers', F.managers)),
        field(countField('local_workers', F.workers)),
        field(countField('vacancies', F.vacancies))),
      countField('earlier_applications', F.earlier),
      h('fieldset', h('legend', t(S.foreignStaff)),
        field(countField('foreign_workers_two_years_ago', F.foreignIn.map((s) => s.replace('{year}', year - 2)))),
        field(countField('foreign_workers_last_year', F.foreignIn.map((s) => s.replace('{year}', year - 1))))),
      h('fieldset', h('legend', t(S.documents)),
        upload('staff_list', F.staffList, 'staff_list', { required: false }),
        upload('power_of_attorney', F.powerOfAttorney, 'power_of_attorney', { required: false }),
        upload('trustee_passport', F.trusteePassport, 'passport_scan', { required: false })),
    ],
  });
}

// ---------------------------------------------------------------- work permit

function placeOf(request) {
  return request.place ? t(S.row1, { quota: request.place.quota, n: request.place.row + 1 }) : '';
}

function permitForm(passport) {
  return applicationForm({
    check: '/v1/work-permit-applications/check',
    submit: '/v1/work-permit-applications',
    body: (el) => ({ ...bodyOf(el), ...passport }),
    showChecked: (request) => facts([
      [F.surname, request.holder?.surname], [F.givenNames, request.holder?.given_names],
      [F.visaNumber, request.visa?.number], [F.quotaPlace, placeOf(request)],
    ]),
    fields: [
      countryField('birth_country', F.birthCountry),
      { name: 'document_issued', label: F.documentIssued, type: 'date', required: true },
      { name: 'education', label: F.education, options: EDUCATION, required: true },
      { name: 'marital_status', label: F.marital, options: MARITAL, required: true },
      { name: 'place_of_stay', label: F.placeOfStay, required: true },
      { name: 'position', label: F.jobPosition, required: true },
      { name: 'work_region', label: F.workRegion, options: REGIONS, required: true },
      { name: 'highly_qualified', label: F.highlyQualified, type: 'checkbox' },
      { name: 'notes', label: F.notes, type: 'textarea' },
      { name: 'registration_number', label: F.talon, required: true, inputmode: 'numeric', hint: S.talonHint },
      relativesField(),
      h('fieldset', h('legend', t(S.documents)),
        upload('photo', F.photo, 'photo', { photo: true }),
        upload('passport_page_1', F.page1, 'passport_scan'),
        upload('passport_page_2', F.page2, 'passport_scan', { required: false }),
        upload('hiv_certificate', F.hiv, 'hiv_certificate'),
        upload('power_of_attorney', F.powerOfAttorney, 'power_of_attorney', { required: false }),
        upload('other', F.other, 'other', { required: false })),
    ],
  });
}

function permitPage() {
  const found = h('div', { 'aria-live': 'polite' });
  const search = form({
    fields: [
      countryField('document_country', F.country),
      { name: 'document_number', label: F.passportNumber, required: true, hint: S.numberHint, attrs: { spellcheck: 'false' } },
    ],
    submit: S.search,
    onSubmit: async (passport) => {
      const result = await api('POST', '/v1/work-permits/search', passport);
      found.replaceChildren(searchResult(result),
        ...(result.eligible ? [h('h2', t(S.continueForm)), permitForm(passport)] : []));
    },
  });
  return [search, found];
}

// ---------------------------------------------------------------- entrepreneur

function entrepreneurForm(result) {
  const visa = result.visas.find((v) => v.visa_type?.startsWith('W')) ?? result.visas[0];
  return applicationForm({
    check: '/v1/entrepreneur-applications/check',
    submit: '/v1/entrepreneur-applications',
    body: (el) => nest(values(el)),
    showChecked: (request) => facts([
      [F.surname, request.holder?.surname], [F.givenNames, request.holder?.given_names],
      [F.visaNumber, request.visa?.number], [F.patentNumber, request.patent_number],
    ]),
    fields: [
      { name: 'visa_number', label: F.visaNumber, value: visa?.number ?? '' },
      { name: 'place_of_stay', label: F.placeOfStay, required: true },
      { name: 'activity', label: F.activity, required: true },
      { name: 'patent_number', label: F.patentNumber, required: true },
      { name: 'patent_date', label: F.patentDate, type: 'date', required: true },
      { name: 'work_region', label: F.region, options: REGIONS, required: true },
      { name: 'market_name', label: F.marketName, required: true },
      { name: 'market_phone', label: F.marketPhone, type: 'tel', required: true, autocomplete: 'tel' },
      { name: 'registration_number', label: F.talon, required: true, inputmode: 'numeric', hint: S.talonHint },
      h('fieldset', h('legend', t(S.documents)),
        upload('patent', F.patent, 'licence'),
        upload('patent_payment', F.patentPayment, 'other'),
        upload('hiv_certificate', F.hiv, 'hiv_certificate'),
        upload('power_of_attorney', F.powerOfAttorney, 'power_of_attorney', { required: false }),
        upload('trustee_document', F.trusteeDocument, 'passport_scan', { required: false })),
    ],
  });
}

function entrepreneurPage() {
  const found = h('div', { 'aria-live': 'polite' });
  const check = form({
    fields: [h('p.hint', t(S.availabilityHint))],
    submit: S.availability,
    onSubmit: async () => {
      const result = await api('POST', '/v1/entrepreneur-permits/availability');
      found.replaceChildren(searchResult(result),
        ...(result.eligible ? [h('h2', t(S.continueForm)), entrepreneurForm(result)] : []));
    },
  });
  return [check, found];
}

// ---------------------------------------------------------------- Digital Nomad

/** The identity a Digital Nomad's request carries, from the account. */
export function identityFacts(identity) {
  return facts([
    [F.surname, identity.surname], [F.givenNames, identity.given_names], [F.patronymic, identity.patronymic],
    [F.birthDate, when(identity.birth_date)], [F.sex, labelIn(SEX, identity.sex)], [F.documentCountry, identity.document_country],
    [F.documentType, labelIn(DOCUMENT_TYPES, identity.document_type)], [F.documentNumber, identity.document_number],
    [F.documentIssued, when(identity.document_issued)], [F.validUntil, when(identity.document_expires)],
  ]);
}

function nomadPage() {
  return [
    notice('info', t(S.identityHint), ' ', link('/profile', t(S.profile))),
    applicationForm({
      check: '/v1/nomad-applications/check',
      submit: '/v1/nomad-applications',
      body: (el) => bodyOf(el),
      showChecked: (request) => [h('h2', t(S.identity)), identityFacts(request.identity)],
      fields: [
        { name: 'organization', label: F.organization, required: true },
        { name: 'purpose', label: F.purpose, required: true },
        { name: 'planned_entry', label: F.plannedEntry, type: 'date', required: true },
        relativesField(),
        h('fieldset', h('legend', t(S.documents)),
          upload('income_evidence', F.incomeEvidence, 'income_evidence', { hint: S.incomeHint }),
          upload('other', F.other, 'other', { required: false })),
      ],
    }),
  ];
}

// ---------------------------------------------------------------- the page

const PAGES = { quota: () => [quotaForm()], permit: permitPage, entrepreneur: entrepreneurPage, nomad: nomadPage };

/** `/ework/new/:kind`: the form of a kind the account applies for. */
export async function newApplication({ params }) {
  const mine = KINDS_OF[session.type()] ?? [];
  if (!PAGES[params.kind] || !mine.includes(params.kind)) {
    return h('section.ework-page', heading(S.notForYou),
      h('ul', mine.map((kind) => h('li', link(`/ework/new/${kind}`, t(NEW[kind]))))));
  }
  return h('section.ework-page', heading(NEW[params.kind]), PAGES[params.kind]());
}
