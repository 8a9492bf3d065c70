// Signing in (with the second factor), registering each kind of account, activating an
// ereg host with the emailed and texted code, and setting a forgotten password.

import { W, api, field, form, h, heading, lang, link, notice, session, t } from '../core.js';
import { homeOf, navigate } from '../nav.js';
import { draftUploads, fileField } from './upload.js';
import { TYPES, typeFields } from './account-forms.js';

const S = {
  signIn: ['Жеке кабинетке кирүү', 'Вход в личный кабинет', 'Sign in'],
  login: ['Логин же электрондук почта', 'Логин или электронная почта', 'Login or email'],
  password: ['Сырсөз', 'Пароль', 'Password'],
  passwordRepeat: ['Сырсөздү кайталаңыз', 'Повторите пароль', 'Repeat the password'],
  signInButton: ['Кирүү', 'Войти', 'Sign in'],
  forgot: ['Сырсөздү унуттуңузбу?', 'Забыли пароль?', 'Forgot your password?'],
  noAccount: ['Аккаунтуңуз жокпу?', 'Нет учётной записи?', 'No account yet?'],
  register: ['Катталуу', 'Регистрация', 'Register'],
  secondFactor: ['Экинчи кадам: ырастоо коду', 'Второй шаг: код подтверждения', 'Second step: the code'],
  secondFactorHint: [
    'Аутентификатор тиркемесиндеги, SMS аркылуу келген же резервдик кодду жазыңыз.',
    'Введите код из приложения-аутентификатора, из SMS или резервный код.',
    'Enter the code from your authenticator app, the SMS, or a backup code.',
  ],
  code: ['Код', 'Код', 'Code'],
  challenge: ['Сүрөттөгү белгилерди жазыңыз', 'Введите символы с картинки', 'Type the characters in the picture'],
  challengeAlt: ['Роботтордон коргоо сүрөтү', 'Картинка защиты от роботов', 'Anti-bot picture'],
  newPicture: ['Башка сүрөт', 'Другая картинка', 'Another picture'],
  registerTitle: ['Жеке кабинетти каттоо', 'Регистрация личного кабинета', 'Registering an account'],
  who: ['Сиз кимсиз?', 'Кто вы?', 'Who are you?'],
  email: ['Электрондук почта', 'Электронная почта', 'Email'],
  consent: [
    'Колдонуучу келишиминин жана купуялуулук саясатынын шарттарын кабыл алам',
    'Я принимаю условия пользовательского соглашения и политики конфиденциальности',
    'I accept the user agreement and the privacy policy',
  ],
  passwordHint: [
    'Кеминде 8 белги: чоң жана кичине тамга, сан жана белги.',
    'Не менее 8 символов: заглавная и строчная буквы, цифра и знак.',
    'At least 8 characters: upper and lower case letters, a digit and a symbol.',
  ],
  documents: ['Документтер', 'Документы', 'Documents'],
  prefilled: [
    'Маалыматтар паспорттун машина окуй турган зонасынан толтурулду. Текшериңиз.',
    'Данные заполнены из машиночитаемой зоны паспорта. Проверьте их.',
    'The fields were filled from the passport’s machine-readable zone. Please check them.',
  ],
  centuryAsk: [
    'Туулган жылы эки түрдүү болушу мүмкүн: {a} же {b}. Туурасын тандаңыз.',
    'Год рождения может быть двояким: {a} или {b}. Выберите верный.',
    'The birth year could be {a} or {b}. Please choose the right one.',
  ],
  sentEmail: [
    'Электрондук почтаңызга шилтеме жөнөтүлдү. Аны ачып, почтаңызды ырастаңыз.',
    'На вашу почту отправлена ссылка. Откройте её, чтобы подтвердить почту.',
    'A link was sent to your email. Open it to confirm your address.',
  ],
  activateTitle: ['Аккаунтту активдештирүү', 'Активация учётной записи', 'Activating your account'],
  activateIntro: [
    'Активдештирүү коду электрондук почтаңызга жана телефонуңузга жөнөтүлдү.',
    'Код активации отправлен на вашу почту и телефон.',
    'The activation code was sent to your email and phone.',
  ],
  expiresIn: ['Коддун мөөнөтү бүтөт:', 'Код действует ещё:', 'The code expires in:'],
  expired: ['Коддун мөөнөтү бүттү. Жаңы код сураңыз.', 'Срок кода истёк. Запросите новый код.', 'The code has expired. Ask for a new one.'],
  resend: ['Жаңы код жөнөтүү', 'Отправить новый код', 'Send a new code'],
  resent: ['Жаңы код жөнөтүлдү.', 'Новый код отправлен.', 'A new code was sent.'],
  activate: ['Активдештирүү', 'Активировать', 'Activate'],
  activated: [
    'Аккаунт активдештирилди. Аракеттерди ырастоочу ПИН-код почтаңызга жана SMS менен жөнөтүлдү.',
    'Учётная запись активирована. ПИН-код для подтверждения действий отправлен на почту и по SMS.',
    'Your account is active. The PIN that confirms your actions was sent by email and SMS.',
  ],
  forgotTitle: ['Сырсөздү калыбына келтирүү', 'Восстановление пароля', 'Forgotten password'],
  forgotIntro: [
    'Электрондук почтаңызды жазыңыз: ага жаңы сырсөз коюу үчүн шилтеме жөнөтөбүз (1 саат жарактуу).',
    'Укажите вашу почту: мы отправим на неё ссылку для нового пароля (действует 1 час).',
    'Give your email: we will send it a link to set a new password (valid for one hour).',
  ],
  forgotSent: [
    'Эгер бул почта менен аккаунт бар болсо, шилтеме жөнөтүлдү.',
    'Если у этой почты есть учётная запись, ссылка отправлена.',
    'If this email has an account, the link is on its way.',
  ],
  resetTitle: ['Жаңы сырсөз', 'Новый пароль', 'A new password'],
  resetDone: ['Сырсөз коюлду. Эми кире аласыз.', 'Пароль установлен. Теперь можно войти.', 'Your password is set. You can sign in now.'],
  newPassword: ['Жаңы сырсөз', 'Новый пароль', 'New password'],
};

// ---------------------------------------------------------------- the anti-bot picture

/** The picture, its answer field and the hidden id; `renew()` asks for another. */
function challengeField() {
  const img = h('img', { alt: t(S.challengeAlt), width: 200, height: 70 });
  const id = h('input', { type: 'hidden', name: 'challenge_id' });
  const renew = async () => {
    const issued = await api('POST', '/v1/challenges');
    img.src = issued.image;
    img.setAttribute('data-challenge', issued.challenge_id);
    id.value = issued.challenge_id;
  };
  const box = h('div.challenge',
    img, id,
    field({ name: 'challenge_answer', label: S.challenge, required: true, attrs: { autocapitalize: 'off', spellcheck: 'false' } }),
    h('button.link', { type: 'button', onclick: renew }, t(S.newPicture)));
  return { box, renew };
}

// ---------------------------------------------------------------- sign in

/** `next` as a path of this portal, or `null` for anything that would leave it. */
function sameOrigin(next) {
  if (!next) return null;
  try {
    const url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

/** Puts `children` in place of what `section` shows and moves focus to its heading. */
function replaceWith(section, ...children) {
  section.replaceChildren(...children);
  section.querySelector('h1')?.focus();
}

export async function signIn({ query }) {
  const next = query.get('next');
  const section = h('section', heading(S.signIn));
  const done = (issued) => {
    session.set(issued);
    navigate(sameOrigin(next) ?? homeOf(issued.account.type));
  };
  let challenge = null;
  const signInForm = form({
    fields: [
      { name: 'login', label: S.login, required: true, autocomplete: 'username', value: query.get('login') ?? '' },
      { name: 'password', label: S.password, type: 'password', required: true, autocomplete: 'current-password' },
    ],
    submit: S.signInButton,
    onSubmit: async (values) => {
      try {
        const answer = await api('POST', '/v1/sessions', values);
        if (answer.sign_in_token) {
          replaceWith(section, heading(S.secondFactor), secondFactorForm(answer, done));
          section.querySelector('input[name="code"]')?.focus();
        }
        else done(answer);
      } catch (problem) {
        // Past several failures the API wants a solved picture beside the password.
        if (!challenge && problem.errors?.some((e) => e.field === 'challenge_answer')) {
          challenge = challengeField();
          signInForm.querySelector('.actions').before(challenge.box);
          await challenge.renew();
        } else if (challenge) {
          await challenge.renew();
        }
        throw problem;
      }
    },
  });
  section.append(signInForm,
    h('p', link('/forgot-password', t(S.forgot))),
    h('p', t(S.noAccount), ' ', link('/register', t(S.register))));
  return section;
}

function secondFactorForm(pending, done) {
  return form({
    fields: [{
      name: 'code', label: S.code, required: true, hint: S.secondFactorHint,
      autocomplete: 'one-time-code', inputmode: 'numeric',
    }],
    submit: S.signInButton,
    onSubmit: async ({ code }) => {
      done(await api('POST', '/v1/sessions/second-factor', { sign_in_token: pending.sign_in_token, code }));
    },
  });
}

// ---------------------------------------------------------------- register

export async function register({ query }) {
  const type = TYPES.some(([value]) => value === query.get('type')) ? query.get('type') : null;
  const chooser = h('nav', { 'aria-label': t(S.who) },
    h('h2', t(S.who)),
    h('ul', TYPES.map(([value, label, text]) => h('li',
      link(`/register?type=${value}`, t(label)), value === type ? h('span', ' ✓') : null, h('br'), h('small', t(text))))));
  if (!type) return h('section', heading(S.registerTitle), chooser);

  // One draft for every document of the form, even when two uploads start at once; kept
  // for this tab while it lasts, so a reload or another language keeps its uploads.
  const kept = JSON.parse(sessionStorage.getItem('draft') ?? 'null');
  let draft = kept && kept.until > Date.now() ? kept.token : null;
  let drafting = draft ? Promise.resolve(draft) : null;
  const draftToken = () => {
    drafting ??= api('POST', '/v1/registration-drafts').then(
      (issued) => {
        draft = issued.draft_token;
        sessionStorage.setItem('draft', JSON.stringify({
          token: draft, until: Date.now() + (issued.expires_in_secs - 60) * 1000,
        }));
        return draft;
      },
      (problem) => {
        drafting = null;
        throw problem;
      });
    return drafting;
  };
  const store = draftUploads(draftToken);
  const challenge = challengeField();
  const prefillNote = h('div', { 'aria-live': 'polite' });
  const fields = typeFields(type);
  const documents = fields.documents.map((doc) => fileField({
    ...doc,
    store,
    onChecked: doc.prefill ? (document) => prefill(formEl, store, document, prefillNote) : undefined,
  }));
  const formEl = form({
    fields: [
      { name: 'email', label: S.email, type: 'email', required: true, autocomplete: 'email' },
      ...fields.before,
      h('fieldset', h('legend', t(S.documents)), prefillNote, documents),
      ...fields.after,
      { name: 'password', label: S.password, type: 'password', required: true, autocomplete: 'new-password', hint: S.passwordHint },
      { name: 'password_repeat', label: S.passwordRepeat, type: 'password', required: true, autocomplete: 'new-password' },
      challenge.box,
      { name: 'consent', label: S.consent, type: 'checkbox', required: true },
    ],
    submit: S.register,
    onSubmit: async (values) => {
      const body = { ...fields.shape(values), type, lang: lang() };
      if (draft) body.draft_token = draft;
      try {
        const accepted = await api('POST', '/v1/accounts', body);
        sessionStorage.removeItem('draft');
        if (accepted.next === 'enter_activation_code') {
          rememberDeadline(values.email, accepted.code_expires_in_secs ?? 600);
          navigate(`/activate?email=${encodeURIComponent(values.email)}`);
        } else {
          const sent = notice('ok', t(S.sentEmail));
          sent.tabIndex = -1;
          formEl.replaceWith(sent);
          sent.focus();
        }
      } catch (problem) {
        await challenge.renew();
        throw problem;
      }
    },
  });
  await challenge.renew();
  return h('section', heading(S.registerTitle), chooser, h('h2', t(TYPES.find(([v]) => v === type)[1])), formEl);
}

/** Fills the form from the scan's zone, asking about the century when it is unsure. */
async function prefill(formEl, store, document, note) {
  let zone;
  try {
    zone = await store.mrz(document.upload_id);
  } catch {
    return; // no zone to read: the person types the data
  }
  const f = zone.prefill;
  if (!f) return;
  const set = (name, value) => {
    const el = formEl.elements.namedItem(name);
    if (el && value) el.value = value;
  };
  set('surname', f.surname);
  set('given_names', f.given_names);
  set('birth_date', f.birth_date);
  set('sex', f.sex);
  set('document_country', f.document_country);
  set('document_number', f.document_number);
  set('document_expires', f.document_expires);
  set('document_type', f.document_type);
  note.replaceChildren(notice('info', t(S.prefilled),
    f.birth_date_alternative ? h('p', t(S.centuryAsk, { a: f.birth_date, b: f.birth_date_alternative })) : null));
}

// ---------------------------------------------------------------- activation

const deadlineKey = (email) => `code-deadline:${email}`;

function rememberDeadline(email, seconds) {
  sessionStorage.setItem(deadlineKey(email), String(Date.now() + seconds * 1000));
}

export async function activate({ query }) {
  const email = query.get('email') ?? '';
  const clock = h('span.countdown', { role: 'timer', 'aria-live': 'off' });
  const status = h('div', { 'aria-live': 'polite' });
  const tick = () => {
    if (!clock.isConnected && clock.dataset.started) return;
    clock.dataset.started = '1';
    const deadline = Number(sessionStorage.getItem(deadlineKey(email)) ?? 0);
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    clock.textContent = `${String(Math.floor(left / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
    if (left === 0 && deadline) status.replaceChildren(notice('warn', t(S.expired)));
    else setTimeout(tick, 1000);
  };
  if (!sessionStorage.getItem(deadlineKey(email))) rememberDeadline(email, 600);
  tick();
  const resend = h('button', {
    type: 'button',
    onclick: async () => {
      try {
        await api('POST', '/v1/accounts/activation/code', { email });
        rememberDeadline(email, 600);
        tick();
        status.replaceChildren(notice('ok', t(S.resent)));
      } catch (problem) {
        status.replaceChildren(notice('warn', problem.detail));
      }
    },
  }, t(S.resend));
  const section = h('section', heading(S.activateTitle), h('p', t(S.activateIntro)),
    h('p', t(S.expiresIn), ' ', clock), status);
  section.append(form({
    fields: [
      { name: 'email', label: S.email, type: 'email', required: true, value: email, autocomplete: 'email' },
      { name: 'code', label: S.code, required: true, inputmode: 'numeric', autocomplete: 'one-time-code' },
    ],
    submit: S.activate,
    extra: [resend],
    onSubmit: async (values) => {
      await api('POST', '/v1/accounts/activation', values);
      sessionStorage.removeItem(deadlineKey(email));
      replaceWith(section, heading(S.activateTitle), notice('ok', t(S.activated)),
        h('p', link(`/sign-in?login=${encodeURIComponent(values.email)}`, t(S.signInButton))));
    },
  }));
  return section;
}

// ---------------------------------------------------------------- passwords

export async function forgotPassword() {
  const challenge = challengeField();
  const section = h('section', heading(S.forgotTitle), h('p', t(S.forgotIntro)));
  const formEl = form({
    fields: [{ name: 'email', label: S.email, type: 'email', required: true, autocomplete: 'email' }, challenge.box],
    onSubmit: async (values) => {
      try {
        await api('POST', '/v1/password-resets', values);
      } catch (problem) {
        await challenge.renew();
        throw problem;
      }
      const sent = notice('ok', t(S.forgotSent));
      sent.tabIndex = -1;
      formEl.replaceWith(sent);
      sent.focus();
    },
  });
  await challenge.renew();
  section.append(formEl);
  return section;
}

export async function resetPassword({ query }) {
  const token = query.get('token') ?? '';
  const section = h('section', heading(S.resetTitle));
  section.append(form({
    fields: [
      { name: 'password', label: S.newPassword, type: 'password', required: true, autocomplete: 'new-password', hint: S.passwordHint },
      { name: 'password_repeat', label: S.passwordRepeat, type: 'password', required: true, autocomplete: 'new-password' },
    ],
    submit: W.save,
    onSubmit: async (values) => {
      await api('POST', '/v1/password-resets/complete', { ...values, token });
      replaceWith(section, heading(S.resetTitle), notice('ok', t(S.resetDone)), link('/sign-in', t(S.signInButton)));
    },
  }));
  return section;
}


