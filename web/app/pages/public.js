// Pages anyone may open: the home page, the registration status check, the printed
// document check (a QR code's link lands here) and the email-link landing.

import { W, api, facts, form, h, heading, link, notice, session, t, when } from '../core.js';
import { homeOf } from '../nav.js';

const S = {
  title: ['Миграциялык электрондук кызматтар', 'Миграционные электронные услуги', 'Migration e-services'],
  intro: [
    'Чет элдик жарандарды жашаган жери боюнча каттоо жана чет элдик эмгек күчүн тартуу — бир порталда.',
    'Регистрация иностранцев по месту пребывания и привлечение иностранной рабочей силы — на одном портале.',
    'Registering foreigners at their place of stay and employing foreign workers, in one portal.',
  ],
  ereg: ['Чет элдиктерди онлайн каттоо', 'Онлайн регистрация иностранных граждан', 'Online registration of foreigners'],
  eregText: [
    'Үй ээлери чет элдик жарандарды жашаган жери боюнча каттайт, төлөйт жана талонду басып чыгарат.',
    'Принимающая сторона регистрирует иностранца по месту пребывания, оплачивает и распечатывает талон.',
    'Hosts register the foreigners staying with them, pay the fee and print the talon.',
  ],
  ework: ['e-work: эмгек миграциясы', 'e-work: трудовая миграция', 'e-work: labour migration'],
  eworkText: [
    'Иш берүүчүлөр квотага жана уруксатка арыз берет; чет элдик ишкерлер жана санарип көчмөндөр — статуска.',
    'Работодатели подают заявки на квоту и разрешения; иностранные предприниматели и цифровые кочевники — на статус.',
    'Employers apply for quotas and work permits; foreign entrepreneurs and Digital Nomads for their status.',
  ],
  cabinet: ['Жеке кабинетке кирүү', 'Войти в личный кабинет', 'Go to your account'],
  signIn: ['Кирүү', 'Войти', 'Sign in'],
  register: ['Катталуу', 'Регистрация', 'Register'],
  statusTitle: ['Каттоонун абалын текшерүү', 'Проверка статуса регистрации', 'Check a registration'],
  verifyTitle: ['Документти текшерүү', 'Проверка документа', 'Check a printed document'],
  statusIntro: [
    'Паспорттун номерин жана каттоонун номерин же туулган күнүн жазыңыз.',
    'Укажите номер паспорта и номер регистрации либо дату рождения.',
    'Give the passport number and the registration number or the date of birth.',
  ],
  passport: ['Паспорттун номери', 'Номер паспорта', 'Passport number'],
  regNumber: ['Каттоонун номери (14 сан)', 'Номер регистрации (14 цифр)', 'Registration number (14 digits)'],
  birthDate: ['Туулган күнү', 'Дата рождения', 'Date of birth'],
  found: ['Табылган каттоо', 'Найденная регистрация', 'The registration found'],
  city: ['Шаар', 'Город', 'City'],
  validFrom: ['Башталышы', 'Действует с', 'Valid from'],
  validTo: ['Аяктаганы', 'Действует по', 'Valid to'],
  documentType: ['Документтин түрү', 'Тип документа', 'Document'],
  name: ['Аты-жөнү', 'ФИО', 'Name'],
  noPayload: [
    'Шилтемеде документтин коду жок. QR-кодду кайра сканерлеңиз.',
    'В ссылке нет кода документа. Отсканируйте QR-код ещё раз.',
    'The link carries no document code. Scan the QR code again.',
  ],
  confirmTitle: ['Электрондук почтаны ырастоо', 'Подтверждение электронной почты', 'Confirming your email'],
  confirmed: [
    'Почта ырасталды. Аккаунтуңузду министрликтин кызматкери карап чыгат; жыйынтыгы почтага келет.',
    'Почта подтверждена. Учётную запись проверит сотрудник министерства; результат придёт на почту.',
    'Your email is confirmed. A ministry officer will review the account; you will hear by email.',
  ],
};

/** `valid`, `expired`… as people read them. */
export const STAY_STATUS = {
  awaiting_payment: ['Төлөм күтүлүүдө', 'Ожидает оплаты', 'Awaiting payment'],
  paid: ['Төлөндү, ырастоо күтүлүүдө', 'Оплачено, ожидает подтверждения', 'Paid, awaiting confirmation'],
  valid: ['Каттоо жарактуу', 'Регистрация действительна', 'Registration valid'],
  refused: ['Баш тартылды', 'Отказано', 'Refused'],
  cancelled: ['Жокко чыгарылды', 'Отменена', 'Cancelled'],
  expired: ['Мөөнөтү бүттү', 'Срок истёк', 'Expired'],
};

const DOCUMENT_TYPES = {
  registration_talon: ['Жашаган жери боюнча каттоо талону', 'Талон регистрации по месту пребывания', 'Registration talon'],
  work_permit: ['Иштөөгө уруксат', 'Разрешение на работу', 'Work permit'],
  protocol_extract: ['Протоколдон көчүрмө', 'Выписка из протокола', 'Protocol extract'],
  digital_nomad_card: ['«Санарип көчмөн» электрондук картасы', 'Электронная карта «Цифровой кочевник»', 'Digital Nomad card'],
};

const REASONS = {
  superseded: [
    'Документ кайра басылып чыккан: жаңы нускасы гана жарактуу.',
    'Документ перепечатан: действительна только новая версия.',
    'The document was printed again: only the newer print is valid.',
  ],
  revoked: ['Документ жокко чыгарылган.', 'Документ отозван.', 'The document was revoked.'],
};

const VERDICT = {
  valid: ['Жарактуу', 'Действителен', 'Valid'],
  expired: ['Мөөнөтү бүткөн', 'Срок истёк', 'Expired'],
  revoked: ['Жокко чыгарылган', 'Отозван', 'Revoked'],
  unknown: ['Мындай документ жок', 'Такого документа нет', 'No such document'],
};

export async function home() {
  const type = session.type();
  const start = type
    ? h('div.actions', link(homeOf(type), t(S.cabinet)))
    : h('div.actions', link('/sign-in', t(S.signIn)), link('/register', t(S.register)));
  return h('section',
    heading(S.title),
    h('p', t(S.intro)),
    start,
    h('ul.cards',
      h('li', h('h2', t(S.ereg)), h('p', t(S.eregText))),
      h('li', h('h2', t(S.ework)), h('p', t(S.eworkText))),
      h('li', h('h2', t(S.statusTitle)), h('p', link('/status', t(S.statusTitle)))),
      h('li', h('h2', t(S.verifyTitle)), h('p', link('/verify', t(S.verifyTitle))))));
}

export async function status() {
  const answer = h('div', { 'aria-live': 'polite' });
  return h('section',
    heading(S.statusTitle),
    h('p', t(S.statusIntro)),
    form({
      fields: [
        { name: 'passport_number', label: S.passport, required: true },
        { name: 'registration_number', label: S.regNumber, inputmode: 'numeric' },
        { name: 'birth_date', label: S.birthDate, type: 'date' },
      ],
      submit: W.check,
      onSubmit: async (values) => {
        answer.replaceChildren();
        const found = await api('POST', '/v1/public/registration-status', values);
        answer.append(h('h2', t(S.found)),
          h('p.verdict', h(`span.badge.${found.status}`, t(STAY_STATUS[found.status] ?? found.status))),
          facts([[S.city, found.city], [S.validFrom, when(found.valid_from)], [S.validTo, when(found.valid_to)]]));
      },
    }),
    answer);
}

export async function verify({ query }) {
  const payload = query.get('d');
  if (!payload) return h('section', heading(S.verifyTitle), notice('warn', t(S.noPayload)));
  const verdict = await api('GET', `/v1/public/documents/verify?d=${encodeURIComponent(payload)}`);
  return h('section',
    heading(S.verifyTitle),
    h('p.verdict', h(`span.badge.${verdict.status}`, t(VERDICT[verdict.status] ?? verdict.status))),
    verdict.reason ? h('p', t(REASONS[verdict.reason] ?? verdict.reason)) : null,
    facts([
      [S.documentType, verdict.document_type && t(DOCUMENT_TYPES[verdict.document_type] ?? verdict.document_type)],
      [S.name, verdict.name],
      [S.validFrom, when(verdict.valid_from)],
      [S.validTo, when(verdict.valid_to)],
    ]));
}

export async function confirmEmail({ query }) {
  const token = query.get('token') ?? '';
  try {
    await api('GET', `/v1/accounts/confirm-email?token=${encodeURIComponent(token)}`);
  } catch (problem) {
    return h('section', heading(S.confirmTitle), notice('warn', problem.detail));
  }
  return h('section', heading(S.confirmTitle), notice('ok', t(S.confirmed)), link('/sign-in', t(S.signIn)));
}
