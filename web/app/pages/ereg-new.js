// Registering a foreigner: the housing, the passport scan (the form fills from its
// zone), the photo with what its check found, "check data" (the fee and what an
// operator will look at), then the host's PIN.

import { W, api, field, form, h, heading, link, notice, showProblem, t, values } from '../core.js';
import { navigate } from '../nav.js';
import { DOCUMENT_TYPES, SEX } from './account-forms.js';
import { PURPOSES } from './ereg.js';
import { fileField, ownUploads } from './upload.js';

const S = {
  title: ['Чет элдик жаранды каттоо', 'Регистрация иностранного гражданина', 'Registering a foreigner'],
  noHousing: [
    'Адегенде турак жай фондуна турак жай кошуңуз.',
    'Сначала добавьте жильё в жилой фонд.',
    'First add housing to your housing list.',
  ],
  addHousing: ['Турак жай кошуу', 'Добавить жильё', 'Add housing'],
  housing: ['Турак жай фондун тандаңыз', 'Выберите жилой фонд', 'Choose the housing'],
  documents: ['Документтер', 'Документы', 'Documents'],
  scan: ['Паспорттун сканерленген сүрөтүн тандаңыз', 'Выберите сканированное изображение паспорта', 'Choose the passport scan'],
  scanHint: [
    'Машина окуй турган зонасы (паспорттун ылдыйкы эки сабы) толук көрүнсүн: форма андан толтурулат.',
    'Машиночитаемая зона (две строки внизу страницы) должна быть видна целиком: форма заполнится из неё.',
    'The machine-readable zone (the two lines at the bottom of the page) must show whole: the form fills from it.',
  ],
  photo: ['Чет элдик жарандын сүрөтү', 'Фотография иностранного гражданина', 'Photo of the foreigner'],
  photoHint: [
    'Бети ачык, түз карап, жарык фондо; көз айнексиз жана баш кийимсиз.',
    'Лицо открыто, взгляд прямо, светлый фон; без очков и головного убора.',
    'Face uncovered, looking straight, light background; no glasses or headwear.',
  ],
  guest: ['Чет элдик жаран', 'Иностранный гражданин', 'The foreigner'],
  passport: ['Паспорт', 'Паспорт', 'Passport'],
  stay: ['Жашоо', 'Пребывание', 'The stay'],
  surname: ['Фамилиясы', 'Фамилия', 'Surname'],
  givenNames: ['Аты', 'Имя', 'Given names'],
  birthDate: ['Туулган күнү', 'Дата рождения', 'Date of birth'],
  sex: ['Жынысы', 'Пол', 'Sex'],
  nationality: ['Жарандыгы (ISO коду, мис. UZB)', 'Гражданство (код ISO, напр. UZB)', 'Citizenship (ISO code, e.g. UZB)'],
  documentType: ['Паспорттун түрү', 'Тип паспорта', 'Passport type'],
  country: ['Паспортту берген мамлекет', 'Государство, выдавшее паспорт', 'Issuing state'],
  number: ['Паспорттун номери', 'Номер паспорта', 'Passport number'],
  issued: ['Берилген күнү', 'Дата выдачи', 'Date of issue'],
  expires: ['Жарактуулук мөөнөтү', 'Срок действия', 'Date of expiry'],
  entry: ['Кыргызстанга кирген күнү', 'Дата въезда в Кыргызстан', 'Date of entry into Kyrgyzstan'],
  from: ['Жашоонун башталышы', 'Дата начала пребывания', 'Stay from'],
  to: ['Жашоонун аягы', 'Дата окончания пребывания', 'Stay until'],
  purpose: ['Келүү максаты', 'Цель визита', 'Purpose of the visit'],
  phone: ['Чет элдиктин телефону', 'Телефон иностранца', 'The foreigner’s phone'],
  email: ['Чет элдиктин электрондук почтасы', 'Электронная почта иностранца', 'The foreigner’s email'],
  checkData: ['Маалыматтарды текшерүү', 'Проверка данных', 'Check data'],
  checked: ['Маалыматтар туура. Төлөм:', 'Данные проверены. Сумма оплаты:', 'The data are in order. The fee:'],
  flags: [
    'Оператор караштыра турган нерселер:',
    'На что обратит внимание оператор:',
    'What an operator will look at:',
  ],
  pin: ['ПИН-кодду жазыңыз', 'Введите ПИН код', 'Enter your PIN'],
  pinHint: [
    'Аккаунт активдештирилгенде почтага жана SMS менен келген ПИН-код.',
    'ПИН-код, присланный на почту и по SMS при активации учётной записи.',
    'The PIN sent by email and SMS when your account was activated.',
  ],
  confirm: ['Ырастоо', 'Подтвердить', 'Confirm'],
  prefilled: [
    'Маалыматтар паспорттун машина окуй турган зонасынан толтурулду. Паспорт менен салыштырып текшериңиз.',
    'Данные заполнены из машиночитаемой зоны паспорта. Сверьте их с паспортом.',
    'The fields were filled from the passport’s machine-readable zone. Compare them with the passport.',
  ],
  unsure: [
    'Зона так окулган жок: {fields}. Бул талааларды өзгөчө текшериңиз.',
    'Зона прочитана неуверенно: {fields}. Проверьте эти поля особенно внимательно.',
    'The zone was read unsurely: {fields}. Check these fields with particular care.',
  ],
  century: [
    'Туулган жылы {a} же {b} болушу мүмкүн: туурасын жазыңыз.',
    'Год рождения может быть {a} или {b}: укажите верный.',
    'The birth year could be {a} or {b}: enter the right one.',
  ],
  noZone: [
    'Зона окулган жок: маалыматтарды паспорттон жазыңыз.',
    'Зона не прочитана: заполните данные по паспорту.',
    'The zone could not be read: type the data from the passport.',
  ],
};

const TRUSTED = 0.7;

/** The zone's field names as the form names them (the rest are the same). */
const ZONE_FIELDS = {
  issuing_state: ['document_country'],
  expiry_date: ['document_expires'],
  names: ['surname', 'given_names'],
};

/** The label a person sees for the form's field `name`. */
function labelOf(formEl, name) {
  const label = formEl.querySelector(`[data-field="${CSS.escape(name)}"] label`);
  return label ? label.firstChild.textContent.trim() : null;
}

export async function newRegistration() {
  const { housing } = await api('GET', '/v1/housing');
  if (!housing.length) {
    return h('section', heading(S.title), notice('info', t(S.noHousing)), link('/ereg/housing', t(S.addHousing)));
  }
  const uploads = ownUploads();
  const note = h('div', { 'aria-live': 'polite' });
  const result = h('div', { 'aria-live': 'polite' });
  let registrationForm;
  const fillFromZone = async (document) => {
    try {
      const zone = await uploads.mrz(document.upload_id);
      const f = zone.prefill;
      if (!f) throw new Error('no prefill');
      for (const [name, value] of Object.entries(f)) {
        const el = registrationForm.elements.namedItem(name);
        if (el && value) el.value = value;
      }
      const unsure = Object.entries(zone.confidence ?? {}).filter(([, c]) => c < TRUSTED)
        .flatMap(([name]) => ZONE_FIELDS[name] ?? [name])
        .map((name) => labelOf(registrationForm, name))
        .filter(Boolean);
      note.replaceChildren(notice('info', t(S.prefilled),
        unsure.length ? h('p', t(S.unsure, { fields: unsure.join(', ') })) : null,
        f.birth_date_alternative ? h('p', t(S.century, { a: f.birth_date, b: f.birth_date_alternative })) : null));
    } catch {
      note.replaceChildren(notice('warn', t(S.noZone)));
    }
  };
  registrationForm = form({
    fields: [
      { name: 'housing_code', label: S.housing, required: true, options: housing.map((p) => [p.code, `${p.code} — ${p.city}, ${p.address}`]) },
      h('fieldset', h('legend', t(S.documents)),
        fileField({ name: 'passport_scan', label: S.scan, hint: S.scanHint, kind: 'passport_scan', store: uploads, onChecked: fillFromZone }),
        note,
        fileField({ name: 'photo', label: S.photo, hint: S.photoHint, kind: 'photo', store: uploads, accept: 'image/jpeg,image/png' })),
      h('fieldset', h('legend', t(S.guest)), [
        { name: 'surname', label: S.surname, required: true },
        { name: 'given_names', label: S.givenNames, required: true },
        { name: 'birth_date', label: S.birthDate, type: 'date', required: true },
        { name: 'sex', label: S.sex, options: [...SEX, ['X', ['Көрсөтүлгөн эмес', 'Не указан', 'Unspecified']]], required: true },
        { name: 'nationality', label: S.nationality, required: true, attrs: { maxlength: 3 } },
        { name: 'phone', label: S.phone, type: 'tel', required: true },
        { name: 'email', label: S.email, type: 'email', required: true },
      ].map(field)),
      h('fieldset', h('legend', t(S.passport)), [
        { name: 'document_type', label: S.documentType, options: DOCUMENT_TYPES, required: true },
        { name: 'document_country', label: S.country, required: true, attrs: { maxlength: 3 } },
        { name: 'document_number', label: S.number, required: true },
        { name: 'document_issued', label: S.issued, type: 'date', required: true },
        { name: 'document_expires', label: S.expires, type: 'date', required: true },
      ].map(field)),
      h('fieldset', h('legend', t(S.stay)), [
        { name: 'entry_date', label: S.entry, type: 'date', required: true },
        { name: 'stay_from', label: S.from, type: 'date', required: true },
        { name: 'stay_to', label: S.to, type: 'date', required: true },
        { name: 'purpose', label: S.purpose, options: PURPOSES, required: true },
      ].map(field)),
    ],
    submit: S.checkData,
    onSubmit: async (values) => {
      result.replaceChildren();
      const checked = await api('POST', '/v1/registrations/check', values);
      result.append(
        notice('ok', `${t(S.checked)} ${checked.fee.amount} ${checked.fee.currency}`),
        checked.flags.length
          ? notice('info', t(S.flags), h('ul', checked.flags.map((f) => h('li', f.message))))
          : null,
        pinForm(registrationForm));
      result.querySelector('input[name="pin"]')?.focus();
    },
  });
  return h('section', heading(S.title), registrationForm, result, h('p', link('/ereg', t(W.back))));
}

function pinForm(registrationForm) {
  return form({
    fields: [{ name: 'pin', label: S.pin, hint: S.pinHint, type: 'password', required: true, inputmode: 'numeric', autocomplete: 'off' }],
    submit: S.confirm,
    onSubmit: async ({ pin }) => {
      try {
        const submitted = await api('POST', '/v1/registrations', { ...values(registrationForm), pin });
        navigate(`/ereg/registrations/${submitted.registration.number}`);
      } catch (problem) {
        // Errors of the registration's own fields belong beside them.
        if (problem.errors?.some((e) => e.field !== 'pin')) {
          showProblem(registrationForm, problem);
          return;
        }
        throw problem;
      }
    },
  });
}
