// The sign-up form of each account type: its fields, the documents it names and how the
// values become the API's body.

const L = {
  surname: ['Фамилиясы', 'Фамилия', 'Surname'],
  givenNames: ['Аты', 'Имя', 'Given names'],
  patronymic: ['Атасынын аты', 'Отчество', 'Patronymic'],
  birthDate: ['Туулган күнү', 'Дата рождения', 'Date of birth'],
  birthPlace: ['Туулган жери', 'Место рождения', 'Place of birth'],
  sex: ['Жынысы', 'Пол', 'Sex'],
  male: ['Эркек', 'Мужской', 'Male'],
  female: ['Аял', 'Женский', 'Female'],
  country: ['Паспортту берген мамлекет (ISO коду: KAZ, DEU…)', 'Государство, выдавшее паспорт (код ISO: KAZ, DEU…)', 'Issuing state (ISO code: KAZ, DEU…)'],
  documentType: ['Паспорттун түрү', 'Тип паспорта', 'Passport type'],
  documentNumber: ['Паспорттун номери', 'Номер паспорта', 'Passport number'],
  issued: ['Берилген күнү', 'Дата выдачи', 'Date of issue'],
  expires: ['Жарактуулук мөөнөтү', 'Срок действия', 'Date of expiry'],
  personalNumber: ['Жеке номери (ПИН, 14 сан)', 'Персональный номер (ПИН, 14 цифр)', 'Personal number (PIN, 14 digits)'],
  phone: ['Мобилдик телефон', 'Мобильный телефон', 'Mobile phone'],
  phoneHint: ['Эл аралык форматта: 996700123456', 'В международном формате: 996700123456', 'International format: 996700123456'],
  login: ['Логин', 'Логин', 'Login'],
  passportScan: ['Паспорттун сканерленген сүрөтү', 'Сканированное изображение паспорта', 'Passport scan'],
  photo: ['Сүрөт (3×4, ачык фондо)', 'Фотография (3×4, на светлом фоне)', 'Photo (3×4, light background)'],
  page1: ['Паспорттун 1-бети', 'Паспорт, страница 1', 'Passport, page 1'],
  page2: ['Паспорттун 2-бети', 'Паспорт, страница 2', 'Passport, page 2'],
  legalName: ['Уюмдун аталышы', 'Наименование организации', 'Name of the organisation'],
  registrationNumber: ['Каттоо номери', 'Регистрационный номер', 'Registration number'],
  taxId: ['ИНН (14 сан)', 'ИНН (14 цифр)', 'Tax number (INN, 14 digits)'],
  founders: ['Негиздөөчүлөр', 'Учредители', 'Founders'],
  activity: ['Ишмердүүлүктүн түрү', 'Вид деятельности', 'Activity'],
  licensed: ['Лицензияланган ишмердүүлүк', 'Лицензируемый вид деятельности', 'A licensed activity'],
  legalAddress: ['Юридикалык дареги', 'Юридический адрес', 'Legal address'],
  actualAddress: ['Иш жүзүндөгү дареги', 'Фактический адрес', 'Actual address'],
  repSurname: ['Өкүлдүн фамилиясы', 'Фамилия представителя', 'Representative’s surname'],
  repName: ['Өкүлдүн аты', 'Имя представителя', 'Representative’s name'],
  orgPhone: ['Телефон', 'Телефон', 'Phone'],
  staffList: ['Штаттык тизме', 'Штатное расписание', 'Staff list'],
  certificate: ['Мамлекеттик каттоо күбөлүгү', 'Свидетельство о государственной регистрации', 'Certificate of state registration'],
  licence: ['Лицензия', 'Лицензия', 'Licence'],
  ordinary: ['Жалпы жарандык паспорт', 'Общегражданский паспорт', 'Ordinary passport'],
  diplomatic: ['Дипломатиялык паспорт', 'Дипломатический паспорт', 'Diplomatic passport'],
  service: ['Кызматтык паспорт', 'Служебный паспорт', 'Service passport'],
  idCard: ['ID-карта', 'ID-карта', 'Identity card'],
  travel: ['Жол жүрүү документи', 'Проездной документ', 'Travel document'],
};

/** The account types that register themselves: value, name, who it is for. */
export const TYPES = [
  ['host_citizen', ['Кабыл алуучу тарап — Кыргыз Республикасынын жараны', 'Принимающая сторона — гражданин Кыргызской Республики', 'Host — a citizen of the Kyrgyz Republic'],
    ['Чет элдикти өз үйүңүздө каттоо үчүн', 'Чтобы регистрировать иностранцев в своём жилье', 'To register foreigners staying in your home']],
  ['host_foreign_owner', ['Кабыл алуучу тарап — турак жайдын ээси чет элдик', 'Принимающая сторона — иностранец-собственник жилья', 'Host — a foreign owner of housing'],
    ['Кыргызстанда турак жайы бар чет элдик', 'Иностранец, владеющий жильём в Кыргызстане', 'A foreigner who owns housing in Kyrgyzstan']],
  ['employer', ['Иш берүүчү', 'Работодатель', 'Employer'],
    ['Квотага жана иштөөгө уруксатка арыз берүү үчүн', 'Для заявок на квоту и разрешения на работу', 'To apply for quotas and work permits']],
  ['foreign_entrepreneur', ['Чет элдик ишкер', 'Иностранный предприниматель', 'Foreign entrepreneur'],
    ['Ишкердик үчүн уруксат', 'Разрешение на предпринимательскую деятельность', 'A permit for your own business']],
  ['digital_nomad', ['Санарип көчмөн', 'Цифровой кочевник', 'Digital Nomad'],
    ['«Санарип көчмөн» статусу', 'Статус «Цифровой кочевник»', 'The Digital Nomad status']],
];

export const SEX = [['M', L.male], ['F', L.female]];
export const DOCUMENT_TYPES = [
  ['ordinary_passport', L.ordinary], ['diplomatic_passport', L.diplomatic], ['service_passport', L.service],
  ['id_card', L.idCard], ['travel_document', L.travel],
];

/** A person's identity fields, as the passport gives them. */
export const PERSON = [
  { name: 'surname', label: L.surname, required: true, autocomplete: 'family-name' },
  { name: 'given_names', label: L.givenNames, required: true, autocomplete: 'given-name' },
  { name: 'birth_date', label: L.birthDate, type: 'date', required: true, autocomplete: 'bday' },
  { name: 'sex', label: L.sex, options: SEX, required: true },
];

const passport = (country) => [
  country ? null : { name: 'document_country', label: L.country, required: true, attrs: { maxlength: 3, autocapitalize: 'characters' } },
  { name: 'document_number', label: L.documentNumber, required: true, attrs: { autocapitalize: 'characters' } },
  { name: 'document_issued', label: L.issued, type: 'date', required: true },
  { name: 'document_expires', label: L.expires, type: 'date', required: true },
].filter(Boolean);

const phone = { name: 'phone', label: L.phone, type: 'tel', required: true, autocomplete: 'tel', hint: L.phoneHint };
const login = { name: 'login', label: L.login, required: true, autocomplete: 'username' };
const plain = (values) => values;

/** The form of `type`: fields before and after its documents, and its body. */
export function typeFields(type) {
  switch (type) {
    case 'host_citizen':
      return {
        // No patronymic: ereg takes the names as the passport's zone writes them.
        before: [...PERSON,
          { name: 'personal_number', label: L.personalNumber, required: true, inputmode: 'numeric', attrs: { maxlength: 14 } },
          ...passport('KGZ'), phone],
        documents: [
          { name: 'passport_scan', label: L.passportScan, kind: 'passport_scan' },
          { name: 'photo', label: L.photo, kind: 'photo', accept: 'image/jpeg,image/png' },
        ],
        after: [],
        shape: (values) => ({ ...values, document_country: 'KGZ' }),
      };
    case 'host_foreign_owner':
      return {
        before: [],
        documents: [
          { name: 'passport_scan', label: L.passportScan, kind: 'passport_scan', prefill: true },
          { name: 'photo', label: L.photo, kind: 'photo', accept: 'image/jpeg,image/png' },
        ],
        after: [...PERSON, ...passport(), phone],
        shape: plain,
      };
    case 'employer':
      return {
        before: [login,
          { name: 'legal_name', label: L.legalName, required: true, autocomplete: 'organization' },
          { name: 'registration_number', label: L.registrationNumber, required: true },
          { name: 'tax_id', label: L.taxId, required: true, inputmode: 'numeric', attrs: { maxlength: 14 } },
          { name: 'founders', label: L.founders, required: true },
          { name: 'activity', label: L.activity, required: true },
          { name: 'licensed_activity', label: L.licensed, type: 'checkbox' },
          { name: 'legal_address', label: L.legalAddress, required: true },
          { name: 'actual_address', label: L.actualAddress, required: true },
          { name: 'representative_surname', label: L.repSurname, required: true },
          { name: 'representative_name', label: L.repName, required: true },
          { name: 'phones', label: L.orgPhone, type: 'tel', required: true, hint: L.phoneHint }],
        documents: [
          { name: 'staff_list', label: L.staffList, kind: 'staff_list' },
          { name: 'registration_certificate', label: L.certificate, kind: 'certificate' },
          { name: 'licence', label: L.licence, kind: 'licence', required: false },
        ],
        after: [],
        shape: (values) => ({ ...values, phones: values.phones ? [values.phones] : [] }),
      };
    default: // foreign_entrepreneur, digital_nomad
      return {
        before: [login],
        documents: [
          { name: 'passport_page1', label: L.page1, kind: 'passport_scan', prefill: true },
          { name: 'passport_page2', label: L.page2, kind: 'passport_scan' },
          { name: 'photo', label: L.photo, kind: 'photo', accept: 'image/jpeg,image/png' },
        ],
        after: [...PERSON, { name: 'patronymic', label: L.patronymic },
          type === 'foreign_entrepreneur' ? { name: 'birth_place', label: L.birthPlace, required: true } : null,
          { name: 'document_type', label: L.documentType, options: DOCUMENT_TYPES, required: true },
          ...passport(), phone].filter(Boolean),
        shape: plain,
      };
  }
}
