// The ereg host's cabinet: the archive of registrations with its filters, one
// registration with what can be done with it now (pay, cancel, print the talon), and
// the housing the host registers foreigners in.

import { Problem, W, actionButton, api, facts, field, form, h, heading, link, notice, showProblem, t, table, when } from '../core.js';
import { navigate } from '../nav.js';
import { STAY_STATUS } from './public.js';
import { fileField, ownUploads } from './upload.js';

const S = {
  archive: ['Каттоолордун архиви', 'Архив регистраций', 'Registrations'],
  newOne: ['Чет элдикти каттоо', 'Зарегистрировать иностранца', 'Register a foreigner'],
  filters: ['Издөө', 'Поиск', 'Search'],
  find: ['Табуу', 'Найти', 'Find'],
  more: ['Дагы', 'Ещё', 'More'],
  name: ['Аты-жөнү', 'ФИО', 'Name'],
  passportNumber: ['Паспорттун номери', 'Номер паспорта', 'Passport number'],
  status: ['Абалы', 'Статус', 'Status'],
  anyStatus: ['Баары', 'Все', 'Any'],
  submittedFrom: ['Берилген күндөн', 'Подана с', 'Submitted from'],
  submittedTo: ['Берилген күнгө чейин', 'Подана по', 'Submitted to'],
  number: ['Арыздын номери', 'Номер заявки', 'Application number'],
  regNumber: ['Каттоо номери', 'Номер регистрации', 'Registration number'],
  guest: ['Чет элдик', 'Иностранец', 'Foreigner'],
  stay: ['Жашоо мөөнөтү', 'Срок пребывания', 'Stay'],
  housing: ['Турак жай фонду', 'Жилой фонд', 'Housing'],
  submitted: ['Берилген күнү', 'Дата подачи', 'Submitted'],
  fee: ['Төлөм', 'Сумма оплаты', 'Fee'],
  payment: ['Төлөмдүн абалы', 'Статус оплаты', 'Payment'],
  detail: ['Каттоо №{n}', 'Регистрация № {n}', 'Registration {n}'],
  pay: ['Төлөө', 'Оплатить', 'Pay'],
  cancel: ['Каттоону жокко чыгаруу', 'Отменить регистрацию', 'Cancel the registration'],
  cancelSure: ['Каттоону чын эле жокко чыгарасызбы? Муну кайтаруу мүмкүн эмес.', 'Отменить регистрацию? Это нельзя будет вернуть.', 'Cancel the registration? This cannot be undone.'],
  cancelPaid: [
    'Каттоону чын эле жокко чыгарасызбы? Төлөм кайтарылат; муну кайтаруу мүмкүн эмес.',
    'Отменить регистрацию? Оплата будет возвращена; это нельзя будет вернуть.',
    'Cancel the registration? The fee will be refunded; this cannot be undone.',
  ],
  cancelYes: ['Ооба, жокко чыгаруу', 'Да, отменить', 'Yes, cancel it'],
  cancelNo: ['Жок, калтыруу', 'Нет, оставить', 'No, keep it'],
  print: ['Талонду басып чыгаруу', 'Распечатать талон', 'Print the talon'],
  talon: ['Талон (PDF, 5 мүнөт жарактуу)', 'Талон (PDF, ссылка действует 5 минут)', 'The talon (PDF, link valid five minutes)'],
  verifyLink: ['QR-коддун шилтемеси: документти текшерүү', 'Ссылка QR-кода: проверка документа', 'The QR code’s link: check the document'],
  due: ['Чечим күтүлөт', 'Решение ожидается до', 'Decision due by'],
  decided: ['Чечим чыккан күнү', 'Дата решения', 'Decided'],
  reason: ['Себеби', 'Причина', 'Reason'],
  purpose: ['Келүү максаты', 'Цель визита', 'Purpose'],
  birthDate: ['Туулган күнү', 'Дата рождения', 'Date of birth'],
  nationality: ['Жарандыгы', 'Гражданство', 'Citizenship'],
  contacts: ['Байланыш', 'Контакты', 'Contacts'],
  housingTitle: ['Турак жай фонду', 'Жилой фонд', 'Housing'],
  housingIntro: [
    'Мүлктүн кодун жазып, «Текшерүү» басыңыз: дарек мүлк реестринен алынат. Андан кийин техникалык паспортту тиркеп, кошуңуз.',
    'Введите код имущества и нажмите «Проверить»: адрес берётся из реестра недвижимости. Затем приложите технический паспорт и добавьте.',
    'Enter the property code and press “Check”: the address comes from the property registry. Then attach the technical passport and add it.',
  ],
  code: ['Мүлктүн коду', 'Код имущества', 'Property code'],
  codeHint: ['Мисалы: 1-04-03-0178-9183-097', 'Например: 1-04-03-0178-9183-097', 'For example 1-04-03-0178-9183-097'],
  address: ['Дареги', 'Адрес', 'Address'],
  city: ['Шаар', 'Город', 'City'],
  added: ['Кошулган күнү', 'Дата добавления', 'Added'],
  techPassport: ['Техникалык паспорт', 'Технический паспорт', 'Technical passport'],
  add: ['Кошуу', 'Добавить', 'Add'],
  found: ['Реестрде табылды:', 'Найдено в реестре:', 'Found in the registry:'],
  yourHousing: ['Сиздин турак жайыңыз', 'Ваш жилой фонд', 'Your housing'],
  addedOk: ['Турак жай кошулду.', 'Жильё добавлено.', 'The housing was added.'],
};

export const PAYMENT = {
  unpaid: ['Төлөнгөн жок', 'Не оплачено', 'Unpaid'],
  paid: ['Төлөндү', 'Оплачено', 'Paid'],
  refund_due: ['Кайтарылат', 'К возврату', 'To be refunded'],
};

export const PURPOSES = [
  ['tourism', ['Туризм', 'Туризм', 'Tourism']],
  ['private_visit', ['Жеке сапар', 'Частный визит', 'Private visit']],
  ['business', ['Иш сапар', 'Деловая поездка', 'Business']],
  ['work', ['Эмгек', 'Работа', 'Work']],
  ['study', ['Окуу', 'Учёба', 'Study']],
  ['treatment', ['Дарылануу', 'Лечение', 'Medical treatment']],
  ['other', ['Башка', 'Другое', 'Other']],
];

const badge = (status) => h(`span.badge.${status}`, t(STAY_STATUS[status] ?? status));

export async function archive({ query }) {
  const params = new URLSearchParams();
  for (const key of ['name', 'passport_number', 'status', 'submitted_from', 'submitted_to', 'number', 'cursor']) {
    if (query.get(key)) params.set(key, query.get(key));
  }
  let page = { registrations: [] };
  let refused = null;
  try {
    page = await api('GET', `/v1/registrations?${params}`);
  } catch (problem) {
    if (!(problem instanceof Problem) || problem.status === 401) throw problem;
    refused = problem; // a filter the API cannot take: said beside it below
  }
  const filters = h('form.filters', { method: 'get', action: '/ereg' },
    h('fieldset',
      h('legend', t(S.filters)),
      field({ name: 'name', label: S.name, value: query.get('name') ?? '' }),
      field({ name: 'passport_number', label: S.passportNumber, value: query.get('passport_number') ?? '' }),
      field({ name: 'number', label: S.number, value: query.get('number') ?? '' }),
      field({ name: 'status', label: S.status, value: query.get('status') ?? '', options: Object.entries(STAY_STATUS) }),
      field({ name: 'submitted_from', label: S.submittedFrom, type: 'date', value: query.get('submitted_from') ?? '' }),
      field({ name: 'submitted_to', label: S.submittedTo, type: 'date', value: query.get('submitted_to') ?? '' }),
      h('div.actions', h('button', { type: 'submit' }, t(S.find)))));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const [key, value] of new FormData(filters)) if (value) chosen.set(key, value);
    navigate(`/ereg?${chosen}`);
  });
  const more = page.next ? (() => {
    const next = new URLSearchParams(params);
    next.set('cursor', page.next);
    return h('p', link(`/ereg?${next}`, t(S.more)));
  })() : null;
  if (refused) showProblem(filters, refused);
  return h('section',
    heading(S.archive),
    h('div.actions', link('/ereg/new', t(S.newOne))),
    filters,
    table(S.archive, [
      [S.number, (r) => link(`/ereg/registrations/${r.number}`, r.number)],
      [S.guest, (r) => r.guest.full_name],
      [S.stay, (r) => `${when(r.stay_from)} – ${when(r.stay_to)}`],
      [S.status, (r) => badge(r.status)],
      [S.submitted, (r) => when(r.submitted_at)],
    ], page.registrations),
    more);
}

export async function registration({ params }) {
  const r = await api('GET', `/v1/registrations/${encodeURIComponent(params.number)}`);
  const outcome = h('div', { 'aria-live': 'polite' });
  const actions = h('div.actions');
  const button = (label, primary, action) => actionButton(label, action, { primary, slot: outcome });
  if (r.status === 'awaiting_payment') {
    actions.append(button(`${t(S.pay)} ${r.fee.amount} ${r.fee.currency}`, true, async () => {
      const order = await api('POST', '/v1/payments/orders', { application: r.number });
      location.assign(order.checkout_url);
    }));
  }
  let sure = null;
  if (r.status === 'awaiting_payment' || r.status === 'paid') {
    // Cancelling cannot be undone: a second step asks first.
    sure = h('div.actions', { hidden: true },
      h('p', t(r.status === 'paid' ? S.cancelPaid : S.cancelSure)),
      button(t(S.cancelYes), true, async () => {
        await api('POST', `/v1/registrations/${r.number}/cancel`);
        window.dispatchEvent(new Event('rerender'));
      }),
      h('button', { type: 'button', onclick: () => { sure.hidden = true; } }, t(S.cancelNo)));
    actions.append(h('button', {
      type: 'button',
      onclick: () => {
        sure.hidden = false;
        sure.querySelector('button').focus();
      },
    }, t(S.cancel)));
  }
  if (r.status === 'valid') {
    actions.append(h('button.primary', {
      type: 'button',
      onclick: async () => {
        try {
          const printed = await api('POST', `/v1/registrations/${r.number}/talon`);
          outcome.replaceChildren(notice('ok',
            h('p', h('a', { href: printed.url, target: '_blank', rel: 'noopener' }, t(S.talon))),
            h('p', h('a', { href: printed.verify_url, 'data-verify': '' }, t(S.verifyLink)))));
        } catch (problem) {
          outcome.replaceChildren(notice('warn', problem.detail));
        }
      },
    }, t(S.print)));
  }
  return h('section',
    heading(S.detail, { n: r.number }),
    h('p.verdict', badge(r.status)),
    facts([
      [S.regNumber, r.registration_number],
      [S.guest, r.guest.full_name],
      [S.birthDate, when(r.guest.birth_date)],
      [S.nationality, r.guest.nationality],
      [S.passportNumber, r.guest.document_number],
      [S.housing, `${r.housing.code} · ${r.housing.city}, ${r.housing.address}`],
      [S.stay, `${when(r.stay_from)} – ${when(r.stay_to)}`],
      [S.purpose, t(PURPOSES.find(([v]) => v === r.purpose)?.[1] ?? r.purpose)],
      [S.fee, `${r.fee.amount} ${r.fee.currency}`],
      [S.payment, t(PAYMENT[r.payment] ?? r.payment)],
      [S.submitted, when(r.submitted_at)],
      [S.due, when(r.decision_due_at)],
      [S.decided, when(r.decided_at)],
      [S.reason, r.refusal_reason],
    ]),
    actions,
    sure,
    outcome,
    h('p', link('/ereg', t(W.back))));
}

export async function housing() {
  const { housing: list } = await api('GET', '/v1/housing');
  const found = h('div', { 'aria-live': 'polite' });
  const checkButton = h('button', { type: 'button' }, t(W.check));
  const addForm = form({
    fields: [
      { name: 'housing_code', label: S.code, required: true, hint: S.codeHint },
      fileField({ name: 'document', label: S.techPassport, kind: 'technical_passport', store: ownUploads() }),
    ],
    submit: S.add,
    extra: [found],
    onSubmit: async (values) => {
      await api('POST', '/v1/housing', values);
      window.dispatchEvent(new Event('rerender'));
    },
  });
  addForm.querySelector('.actions').prepend(checkButton);
  checkButton.addEventListener('click', async () => {
    const code = addForm.elements.namedItem('housing_code').value.trim();
    try {
      const property = await api('POST', '/v1/housing/check', { housing_code: code });
      found.replaceChildren(notice('ok', t(S.found), ' ', `${property.city}, ${property.address}`));
    } catch (problem) {
      found.replaceChildren();
      showProblem(addForm, problem);
    }
  });
  return h('section',
    heading(S.housingTitle),
    table(S.yourHousing, [
      [S.code, (p) => p.code],
      [S.city, (p) => p.city],
      [S.address, (p) => p.address],
      [S.added, (p) => when(p.added_at)],
    ], list),
    h('h2', t(S.add)),
    h('p', t(S.housingIntro)),
    addForm);
}
