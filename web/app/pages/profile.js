// The signed-in account's own page ("Общие данные" of the ereg cabinet): its general
// data, the password, the action PIN of ereg hosts, the second factor, the phone, a
// change of general data an operator approves, and signing out everywhere.

import { Problem, W, api, facts, form, h, heading, notice, session, t, when } from '../core.js';
import { HOSTS, navigate } from '../nav.js';

/** Accounts that registered themselves: they ask an operator to change their data. */
const SELF_REGISTERED = ['host_citizen', 'host_foreign_owner', 'employer', 'foreign_entrepreneur', 'digital_nomad'];
/** The general fields the change form offers, when the account has them. */
const CHANGEABLE = ['surname', 'given_names', 'patronymic', 'birth_date', 'birth_place', 'sex',
  'document_country', 'document_number', 'document_issued', 'document_expires',
  'representative_surname', 'representative_name', 'legal_name', 'activity', 'legal_address', 'actual_address'];
const DATES = ['birth_date', 'document_issued', 'document_expires'];

/** Labels of profile fields, shared with the operators' change-request pages. */
export const FIELDS = {
  surname: ['Фамилиясы', 'Фамилия', 'Surname'],
  given_names: ['Аты', 'Имя', 'Given names'],
  patronymic: ['Атасынын аты', 'Отчество', 'Patronymic'],
  birth_date: ['Туулган күнү', 'Дата рождения', 'Date of birth'],
  birth_place: ['Туулган жери', 'Место рождения', 'Place of birth'],
  sex: ['Жынысы', 'Пол', 'Sex'],
  document_type: ['Документтин түрү', 'Вид документа', 'Document type'],
  document_country: ['Паспорттун өлкөсү', 'Страна паспорта', 'Passport country'],
  document_number: ['Паспорттун номери', 'Номер паспорта', 'Passport number'],
  document_issued: ['Паспорт берилген күн', 'Дата выдачи паспорта', 'Passport issued on'],
  document_expires: ['Паспорттун жарактуулук мөөнөтү', 'Дата действительности паспорта', 'Passport valid until'],
  personal_number: ['ПИН (жеке номер)', 'ПИН (персональный номер)', 'Personal number (PIN)'],
  stateless: ['Жарандыгы жок адам', 'Лицо без гражданства', 'Stateless'],
  education: ['Билими', 'Образование', 'Education'],
  marital_status: ['Үй-бүлөлүк абалы', 'Семейное положение', 'Marital status'],
  whatsapp: ['WhatsApp', 'WhatsApp', 'WhatsApp'],
  viber: ['Viber', 'Viber', 'Viber'],
  representative_surname: ['Өкүлдүн фамилиясы', 'Фамилия представителя', 'Representative’s surname'],
  representative_name: ['Өкүлдүн аты', 'Имя представителя', 'Representative’s name'],
  legal_name: ['Юридикалык жактын аталышы', 'Наименование юридического лица', 'Legal name'],
  registration_number: ['Мамлекеттик каттоо номери', 'Номер государственной регистрации', 'State registration number'],
  tax_id: ['ИСН', 'ИНН', 'Tax ID (INN)'],
  founders: ['Негиздөөчүлөр', 'Учредители', 'Founders'],
  activity: ['Негизги ишмердүүлүгү', 'Основная деятельность', 'Main activity'],
  legal_address: ['Юридикалык дареги', 'Юридический адрес', 'Legal address'],
  actual_address: ['Иш жүзүндөгү дареги', 'Фактический адрес', 'Actual address'],
  latitude: ['Кеңдик', 'Широта', 'Latitude'],
  longitude: ['Узундук', 'Долгота', 'Longitude'],
  phones: ['Телефондор', 'Телефоны', 'Phones'],
  photo: ['Сүрөт', 'Фото', 'Photo'],
  passport_scan: ['Паспорттун скан-көчүрмөсү', 'Скан паспорта', 'Passport scan'],
  passport_page1: ['Паспорттун 1-бети', 'Страница паспорта 1', 'Passport page 1'],
  passport_page2: ['Паспорттун 2-бети', 'Страница паспорта 2', 'Passport page 2'],
  email: ['Электрондук почта', 'Адрес эл. почты', 'Email'],
  phone: ['Мобилдик телефон', 'Номер мобильного телефона', 'Mobile phone'],
  lang: ['Тил', 'Язык', 'Language'],
};

/** Account types, shared with the operators' pages. */
export const TYPES = {
  host_citizen: ['Турак жай ээси — КР жараны', 'Собственник жилья — гражданин КР', 'Host: citizen of the Kyrgyz Republic'],
  host_foreign_owner: ['Турак жай ээси — чет элдик', 'Собственник жилья — иностранный гражданин', 'Host: foreign owner'],
  host_legal_entity: ['Юридикалык жак', 'Юридическое лицо', 'Host: legal entity'],
  employer: ['Иш берүүчү', 'Работодатель', 'Employer'],
  foreign_entrepreneur: ['Чет элдик жеке ишкер', 'Иностранный индивидуальный предприниматель', 'Foreign entrepreneur'],
  digital_nomad: ['Санарип көчмөн', 'Цифровой кочевник', 'Digital Nomad'],
  registration_operator: ['Каттоо оператору', 'Оператор регистрации', 'Registration operator'],
  labour_operator: ['Эмгек министрлигинин оператору', 'Оператор Министерства труда', 'Labour operator'],
  admin: ['Администратор', 'Администратор', 'Administrator'],
};

/** Where a change request is, shared with the operators' pages. */
export const CHANGE_STATUS = {
  pending: ['Оператордун кароосунда', 'На рассмотрении у оператора', 'Waiting for an operator'],
  approved: ['Бекитилди', 'Одобрена', 'Approved'],
  refused: ['Четке кагылды', 'Отклонена', 'Refused'],
};

const VALUES = {
  M: ['Эркек', 'Мужской', 'Male'],
  F: ['Аял', 'Женский', 'Female'],
  X: ['Көрсөтүлгөн эмес', 'Не указан', 'Unspecified'],
  ordinary_passport: ['Жалпы жарандык паспорт', 'Общегражданский паспорт', 'Ordinary passport'],
  diplomatic_passport: ['Дипломатиялык паспорт', 'Дипломатический паспорт', 'Diplomatic passport'],
  service_passport: ['Кызматтык паспорт', 'Служебный паспорт', 'Service passport'],
  id_card: ['ID-карта', 'ID-карта', 'ID card'],
  true: ['Ооба', 'Да', 'Yes'],
  false: ['Жок', 'Нет', 'No'],
};

const S = {
  title: ['Профиль', 'Профиль', 'Profile'],
  general: ['Жалпы маалыматтар', 'Общие данные', 'General data'],
  name: ['Аты-жөнү', 'ФИО', 'Name'],
  type: ['Аккаунттун түрү', 'Тип учётной записи', 'Account type'],
  created: ['Аккаунт түзүлгөн', 'Учётная запись создана', 'Account created'],
  verified: ['ырасталган', 'подтверждён', 'confirmed'],
  unverified: ['ырасталган эмес', 'не подтверждён', 'not confirmed'],
  uploaded: ['Жүктөлгөн', 'Загружен', 'Uploaded'],
  password: ['Сырсөздү өзгөртүү', 'Изменить пароль', 'Change the password'],
  currentPassword: ['Учурдагы сырсөз', 'Текущий пароль', 'Current password'],
  newPassword: ['Жаңы сырсөз', 'Новый пароль', 'New password'],
  repeatPassword: ['Жаңы сырсөздү кайталаңыз', 'Повторить пароль', 'Repeat the new password'],
  passwordRules: [
    'Кеминде 8 белги: латын тамгаларынын кичинеси жана баш тамгасы, сан жана атайын белги.',
    'Не менее 8 символов: строчные и прописные латинские буквы, цифры и специальные символы.',
    'At least 8 characters: lower- and upper-case Latin letters, a digit and a special character.',
  ],
  passwordNote: [
    'Сырсөз өзгөргөндөн кийин бардык сеанстар жабылат: кайра кириңиз.',
    'После смены пароля все сеансы завершаются: войдите снова.',
    'Once the password changes every session ends: sign in again.',
  ],
  pin: ['ПИН-код', 'ПИН-код', 'Action PIN'],
  pinAbout: [
    'ПИН-код — сайттагы аракеттериңизди ырастоочу туруктуу код. Аны жоготуп алсаңыз, жаңысын алыңыз: мурункусу иштебей калат.',
    'ПИН-код является постоянным кодом для подтверждения ваших действий на сайте. Если вы его потеряли, получите новый: прежний перестанет действовать.',
    'The PIN is the permanent code that confirms your actions on the site. If you lost it, get a new one: the old one stops working.',
  ],
  restorePin: ['ПИН-кодду калыбына келтирүү', 'Восстановить ПИН-код', 'Restore the PIN'],
  pinSent: [
    'Жаңы ПИН-код электрондук почтаңызга жана {phone} номерине SMS аркылуу жөнөтүлдү. Мурунку ПИН-код мындан ары иштебейт.',
    'Новый ПИН-код отправлен на вашу электронную почту и по SMS на номер {phone}. Прежний ПИН-код больше не действует.',
    'A new PIN was sent to your email and by SMS to {phone}. The old PIN no longer works.',
  ],
  factor: ['Эки факторлуу аутентификация', 'Двухфакторная аутентификация', 'Two-factor authentication'],
  factorNow: ['Учурда', 'Сейчас', 'Now'],
  factorOff: ['Өчүрүлгөн: кирүү үчүн сырсөз гана керек', 'Выключена: для входа нужен только пароль', 'Off: signing in takes the password only'],
  factorTotp: ['Аутентификатор тиркемесинен код', 'Код из приложения-аутентификатора', 'A code from an authenticator app'],
  factorSms: ['SMS аркылуу код', 'Код по SMS', 'A code by SMS'],
  totp: ['Аутентификатор тиркемеси', 'Приложение-аутентификатор', 'Authenticator app'],
  totpAbout: [
    'Телефонуңузга каалаган Authenticator тиркемесин орнотуңуз. Сырсөзүңүздү киргизиңиз, андан кийин QR-кодду тиркеме менен сканерлеңиз.',
    'Установите на телефон любое приложение Authenticator. Введите пароль, затем отсканируйте QR-код приложением.',
    'Install any authenticator app on your phone. Enter your password, then scan the QR code with the app.',
  ],
  totpStart: ['Аутентификаторду туташтыруу', 'Подключить аутентификатор', 'Set up an authenticator'],
  qrAlt: [
    'Аутентификатор тиркемеси үчүн QR-код',
    'QR-код для приложения-аутентификатора',
    'QR code for the authenticator app',
  ],
  secret: ['Кол менен киргизүү үчүн ачкыч', 'Ключ для ввода вручную', 'Key to type in by hand'],
  code: ['Текшерүү коду', 'Проверочный код', 'Verification code'],
  codeFromApp: ['Тиркемедеги 6 орундуу код', '6-значный код из приложения', 'The 6-digit code from the app'],
  confirm: ['Ырастоо', 'Подтвердить', 'Confirm'],
  backupTitle: ['Резервдик коддор', 'Резервные коды', 'Backup codes'],
  backupOn: [
    'Аутентификатор туташтырылды. Кирүүдө тиркемедеги код суралат.',
    'Аутентификатор подключён. При входе будет запрошен код из приложения.',
    'The authenticator is on. Signing in will ask for a code from the app.',
  ],
  backupAbout: [
    'Бул он код бир гана жолу көрсөтүлөт. Ар бири тиркеменин ордуна бир жолу иштейт. Аларды көчүрүп же басып чыгарып, ишенимдүү жерде сактаңыз жана үчүнчү жактарга бербеңиз.',
    'Эти десять кодов показываются только один раз. Каждый действует один раз вместо приложения. Скопируйте или распечатайте их, храните в надёжном месте и не передавайте третьим лицам.',
    'These ten codes are shown only this once. Each works once instead of the app. Copy or print them, keep them somewhere safe and share them with no one.',
  ],
  backupDone: ['Коддорду сактадым', 'Я сохранил коды', 'I have saved the codes'],
  sms: ['SMS аркылуу коддор', 'Коды по SMS', 'Codes by SMS'],
  smsAbout: [
    'Кирүүдө {phone} номерине бир жолку код SMS аркылуу келет.',
    'При входе на номер {phone} будет приходить SMS с одноразовым кодом.',
    'Signing in will send a one-time code by SMS to {phone}.',
  ],
  smsStart: ['SMS аркылуу код алуу', 'Получать коды по SMS', 'Get codes by SMS'],
  smsOn: ['Эми кирүүдө SMS аркылуу код суралат.', 'Теперь при входе будет запрашиваться код из SMS.', 'Signing in now asks for a code sent by SMS.'],
  proveFirst: [
    'Адегенде телефонуңузду ырастаңыз: ага код жөнөтөбүз. Ошол эле номерди калтырсаңыз болот.',
    'Сначала подтвердите телефон: мы отправим на него код. Номер можно оставить прежним.',
    'First prove your phone: we will send a code to it. You may keep the same number.',
  ],
  off: ['Эки факторлуу аутентификацияны өчүрүү', 'Отключить двухфакторную аутентификацию', 'Turn off two-factor authentication'],
  offDone: ['Эки факторлуу аутентификация өчүрүлдү.', 'Двухфакторная аутентификация отключена.', 'Two-factor authentication is off.'],
  accountPassword: ['Аккаунттун сырсөзү', 'Пароль учётной записи', 'Your password'],
  changePhone: ['Телефон номерин өзгөртүү', 'Изменить номер телефона', 'Change the phone number'],
  newPhone: ['Жаңы мобилдик телефон номери', 'Новый номер мобильного телефона', 'New mobile phone number'],
  hostPhoneHint: [
    'Кыргыз операторунун номери: 996XXXXXXXXX',
    'Номер мобильного телефона КР оператора: 996XXXXXXXXX',
    'A Kyrgyz mobile number: 996XXXXXXXXX',
  ],
  phoneHint: ['Эл аралык форматта, мисалы +996555123456', 'В международном формате, например +996555123456', 'In international format, e.g. +996555123456'],
  sendCode: ['Текшерүү кодун жөнөтүү', 'Отправить проверочный код', 'Send the verification code'],
  codeSent: [
    '{phone} номерине код жөнөтүлдү. Ал {minutes} мүнөт жарактуу.',
    'Код отправлен на номер {phone}. Он действует {minutes} мин.',
    'A code was sent to {phone}. It is valid for {minutes} minutes.',
  ],
  phoneChanged: ['Телефон номери ырасталды.', 'Номер телефона подтверждён.', 'The phone number is confirmed.'],
  changes: ['Жалпы маалыматтарды өзгөртүү', 'Изменение общих данных', 'Change your general data'],
  changesAbout: [
    'Өзгөртүүлөр оператор бекиткенден кийин гана күчүнө кирет. Өзгөртүлбөгөн талааларды ошол бойдон калтырыңыз.',
    'Изменения вступают в силу только после одобрения оператором. Поля, которые не меняются, оставьте как есть.',
    'Changes take effect only once an operator approves them. Leave the fields you do not change as they are.',
  ],
  numberHint: ['Өзгөрбөсө бош калтырыңыз', 'Оставьте пустым, если номер не меняется', 'Leave empty if it does not change'],
  sendChanges: ['Өзгөртүүнү суроо', 'Отправить на изменение', 'Ask for the change'],
  noChanges: ['Сиз эч нерсени өзгөрткөн жоксуз.', 'Вы ничего не изменили.', 'You have changed nothing.'],
  changeSent: ['Өтүнүч операторго жөнөтүлдү.', 'Заявка отправлена оператору.', 'Your request went to an operator.'],
  request: ['Өзгөртүү өтүнүчү', 'Заявка на изменение', 'Change request'],
  requested: ['Суралган өзгөртүүлөр', 'Запрошенные изменения', 'Changes asked for'],
  sent: ['Жөнөтүлгөн', 'Отправлена', 'Sent'],
  reason: ['Себеби', 'Причина', 'Reason'],
  legalEntityChanges: [
    'Юридикалык жактын маалыматтарын өзгөртүү үчүн Калкты каттоо департаментине кат жазыңыз.',
    'Чтобы изменить данные юридического лица, направьте письмо в Департамент регистрации населения.',
    'To change a legal entity’s data, write to the Department of Population Registration.',
  ],
  everywhere: ['Бардык түзмөктөрдөн чыгуу', 'Выйти на всех устройствах', 'Sign out everywhere'],
  everywhereAbout: [
    'Бул аккаунттун бардык ачык сеанстары, ушул сеанс да, жабылат.',
    'Все открытые сеансы этой учётной записи, включая текущий, будут завершены.',
    'Every open session of this account ends, this one too.',
  ],
};

/** A message kept across one re-render, to say what just happened. */
let flash = null;

function done(message) {
  flash = message;
  window.dispatchEvent(new Event('rerender'));
}

/** A field's value as people read it. */
export function shown(key, value) {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.map((v) => shown(key, v)).join(', ');
  if (typeof value === 'boolean') return t(VALUES[String(value)]);
  if (typeof value === 'object') return JSON.stringify(value);
  if (['photo', 'passport_scan', 'passport_page1', 'passport_page2'].includes(key)) return t(S.uploaded);
  if (DATES.includes(key) && /^\d{4}-\d{2}-\d{2}$/.test(value)) return when(value);
  if (VALUES[value] && ['sex', 'document_type'].includes(key)) return t(VALUES[value]);
  return String(value);
}

/** Field names in the order of the registration form; unknown ones last. */
export function inOrder(keys) {
  const order = Object.keys(FIELDS);
  const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

/** A live region: what a form's action answered is read out when it changes. */
const outlet = () => h('div', { 'aria-live': 'polite' });

const section = (title, ...children) => h('section', { 'aria-labelledby': `${title}-h` },
  h('h2', { id: `${title}-h` }, t(S[title])), ...children);

export async function profile() {
  const [me, general] = await Promise.all([api('GET', '/v1/me'), api('GET', '/v1/me/profile')]);
  const message = flash;
  flash = null;
  const phoneDigits = HOSTS.includes(me.type);
  return h('section',
    heading(S.title),
    message ? notice('ok', t(message)) : null,
    section('general', overview(me, general)),
    await changeSection(me, general),
    section('password', passwordForm()),
    HOSTS.includes(me.type) ? section('pin', pinForm(me)) : null,
    section('factor', secondFactor(me, phoneDigits)),
    section('changePhone', phoneFlow(me, phoneDigits, () => done(S.phoneChanged))),
    section('everywhere', everywhereForm()));
}

function overview(me, general) {
  const phone = `${me.phone} (${t(me.phone_verified ? S.verified : S.unverified)})`;
  const data = inOrder(Object.keys(general.data ?? {}))
    .filter((key) => !['email', 'phone'].includes(key))
    .map((key) => [FIELDS[key] ?? key, shown(key, general.data[key])]);
  return [
    facts([
      [S.name, me.name],
      [S.type, t(TYPES[me.type] ?? me.type)],
      [FIELDS.email, me.email],
      [FIELDS.phone, phone],
      [S.created, when(me.registered_at)],
    ]),
    data.length ? facts(data) : null,
  ];
}

// ---------------------------------------------------------------- password, PIN

function passwordForm() {
  return [
    h('p.hint', t(S.passwordNote)),
    form({
      fields: [
        { name: 'current_password', label: S.currentPassword, type: 'password', required: true, autocomplete: 'current-password' },
        { name: 'password', label: S.newPassword, type: 'password', required: true, autocomplete: 'new-password', hint: S.passwordRules },
        { name: 'password_repeat', label: S.repeatPassword, type: 'password', required: true, autocomplete: 'new-password' },
      ],
      submit: S.password,
      onSubmit: async (v) => {
        await api('PUT', '/v1/me/password', {
          current_password: v.current_password ?? '', password: v.password ?? '', password_repeat: v.password_repeat ?? '',
        });
        session.clear();
        navigate('/sign-in');
      },
    }),
  ];
}

function pinForm(me) {
  const out = outlet();
  return [
    h('p', t(S.pinAbout)),
    out,
    form({
      fields: [],
      submit: S.restorePin,
      onSubmit: async () => {
        await api('POST', '/v1/me/pin');
        out.replaceChildren(notice('ok', t(S.pinSent, { phone: me.phone })));
      },
    }),
  ];
}

// ---------------------------------------------------------------- second factor

function secondFactor(me, phoneDigits) {
  const state = { totp: S.factorTotp, sms: S.factorSms }[me.second_factor] ?? S.factorOff;
  const parts = [facts([[S.factorNow, t(state)]])];
  if (me.second_factor !== 'totp') parts.push(h('h3', t(S.totp)), authenticator());
  if (me.second_factor !== 'sms') parts.push(h('h3', t(S.sms)), smsCodes(me, phoneDigits));
  if (me.second_factor) {
    parts.push(h('h3', t(S.off)), form({
      fields: [passwordField()],
      submit: S.off,
      onSubmit: async (v) => {
        await api('DELETE', '/v1/me/second-factor', { password: v.password ?? '' });
        done(S.offDone);
      },
    }));
  }
  return parts;
}

const passwordField = () => ({
  name: 'password', label: S.accountPassword, type: 'password', required: true, autocomplete: 'current-password',
});

/** Turning on an authenticator: the password, the QR code, a code from the app, the backup codes. */
function authenticator() {
  const box = h('div');
  box.append(h('p', t(S.totpAbout)), form({
    fields: [passwordField()],
    submit: S.totpStart,
    onSubmit: async (v) => {
      const enrolment = await api('POST', '/v1/me/second-factor/totp', { password: v.password ?? '' });
      box.replaceChildren(
        h('img.qr', { src: enrolment.qr_png, alt: t(S.qrAlt), width: 200, height: 200 }),
        h('p', t(S.secret), ': ', h('code.secret', enrolment.secret)),
        form({
          fields: [{ name: 'code', label: S.code, hint: S.codeFromApp, required: true, inputmode: 'numeric', autocomplete: 'one-time-code' }],
          submit: S.confirm,
          onSubmit: async (c) => {
            const on = await api('POST', '/v1/me/second-factor/totp/confirm', { code: c.code ?? '' });
            box.replaceChildren(backupCodes(on.backup_codes));
            box.querySelector('h3').focus();
          },
        }));
      box.querySelector('input')?.focus();
    },
  }));
  return box;
}

function backupCodes(codes) {
  return h('div.backup',
    notice('ok', t(S.backupOn)),
    h('h3', { tabindex: '-1' }, t(S.backupTitle)),
    h('p', h('strong', t(S.backupAbout))),
    h('ol.codes', codes.map((code) => h('li', h('code', code)))),
    h('div.actions', h('button.primary', {
      type: 'button', onclick: () => window.dispatchEvent(new Event('rerender')),
    }, t(S.backupDone))));
}

/** SMS codes: the password; when the phone is not proven yet, prove it first. */
function smsCodes(me, phoneDigits) {
  const box = h('div');
  const turnOn = (password) => api('PUT', '/v1/me/second-factor/sms', { password });
  box.append(h('p', t(S.smsAbout, { phone: me.phone })), form({
    fields: [passwordField()],
    submit: S.smsStart,
    onSubmit: async (v) => {
      try {
        await turnOn(v.password ?? '');
        done(S.smsOn);
      } catch (problem) {
        if (problem.code !== 'phone_not_verified') throw problem;
        box.replaceChildren(notice('info', t(S.proveFirst)), phoneFlow(me, phoneDigits, async (password) => {
          await turnOn(password);
          done(S.smsOn);
        }));
        box.querySelector('input')?.focus();
      }
    },
  }));
  return box;
}

// ---------------------------------------------------------------- phone

/** A new (or the same) phone: a code is sent to it, and coming back proves it. */
function phoneFlow(me, phoneDigits, after) {
  const box = h('div');
  const number = (raw) => (phoneDigits ? raw.replace(/\D/g, '') : raw.replace(/[\s()-]/g, ''));
  box.append(form({
    fields: [
      {
        name: 'phone', label: S.newPhone, type: 'tel', required: true, autocomplete: 'tel',
        value: phoneDigits ? me.phone.replace(/\D/g, '') : me.phone,
        hint: phoneDigits ? S.hostPhoneHint : S.phoneHint,
      },
      passwordField(),
    ],
    submit: S.sendCode,
    onSubmit: async (v) => {
      const phone = number(v.phone ?? '');
      const password = v.password ?? '';
      const sent = await api('POST', '/v1/me/phone', { phone, password });
      const minutes = Math.round(sent.code_expires_in_secs / 60);
      box.replaceChildren(
        notice('info', t(S.codeSent, { phone, minutes })),
        form({
          fields: [{ name: 'code', label: S.code, required: true, inputmode: 'numeric', autocomplete: 'one-time-code' }],
          submit: S.confirm,
          onSubmit: async (c) => {
            const account = await api('POST', '/v1/me/phone/confirm', { code: c.code ?? '' });
            const current = session.get();
            if (current) session.set({ token: current.token, account });
            await after(password);
          },
        }));
      box.querySelector('input')?.focus();
    },
  }));
  return box;
}

// ---------------------------------------------------------------- change requests

const lastRequestKey = (me) => `change-request:${me.account_id}`;

async function changeSection(me, general) {
  if (me.type === 'host_legal_entity') return section('changes', h('p', t(S.legalEntityChanges)));
  if (!SELF_REGISTERED.includes(me.type)) return null;
  const id = general.pending_change ?? localStorage.getItem(lastRequestKey(me));
  let request = null;
  if (id) {
    try {
      request = await api('GET', `/v1/me/change-requests/${encodeURIComponent(id)}`);
    } catch (problem) {
      if (problem.status !== 404) throw problem;
      localStorage.removeItem(lastRequestKey(me));
    }
  }
  const pending = request?.status === 'pending';
  return section('changes',
    request ? requestState(request) : null,
    pending ? null : [h('p', t(S.changesAbout)), changeForm(me, general.data ?? {})]);
}

/** A change request as its holder sees it. */
export function requestState(request) {
  const kind = { approved: 'ok', refused: 'warn' }[request.status] ?? 'info';
  return h('div.request',
    h('h3', t(S.request)),
    notice(kind, t(CHANGE_STATUS[request.status] ?? request.status)),
    facts([
      [W.number, request.request_id],
      [S.sent, when(request.created_at)],
      [S.reason, request.reason],
    ]),
    h('h4', t(S.requested)),
    facts(inOrder(Object.keys(request.changes ?? {})).map((key) => [FIELDS[key] ?? key, shown(key, request.changes[key])])));
}

function changeForm(me, data) {
  const offered = CHANGEABLE.filter((key) => key in data);
  const spec = (key) => {
    const base = { name: key, label: FIELDS[key], value: data[key] ?? '' };
    if (DATES.includes(key)) return { ...base, type: 'date' };
    if (key === 'sex') return { ...base, options: ['M', 'F', 'X'].map((v) => [v, VALUES[v]]), required: true };
    if (key === 'document_number') return { ...base, value: '', hint: S.numberHint };
    return base;
  };
  return form({
    fields: offered.map(spec),
    submit: S.sendChanges,
    onSubmit: async (v) => {
      const changes = {};
      for (const key of offered) {
        const value = v[key] ?? '';
        if (key === 'document_number' && !value) continue;
        if (value !== String(data[key] ?? '')) changes[key] = value;
      }
      if (!Object.keys(changes).length) {
        throw new Problem({ status: 422, code: 'no_changes', detail: t(S.noChanges) });
      }
      const request = await api('POST', '/v1/me/change-requests', { changes });
      localStorage.setItem(lastRequestKey(me), request.request_id);
      done(S.changeSent);
    },
  });
}

// ---------------------------------------------------------------- sign out everywhere

function everywhereForm() {
  return [
    h('p', t(S.everywhereAbout)),
    form({
      fields: [],
      submit: S.everywhere,
      onSubmit: async () => {
        await api('DELETE', '/v1/sessions');
        session.clear();
        navigate('/sign-in');
      },
    }),
  ];
}
