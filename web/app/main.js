// The portal's shell: the header with its language switch and the signed-in account's
// menu, and the router that renders a page module for each address.

import { LANGS, W, api, fill, h, lang, langName, link, session, setLang, t } from './core.js';
import { APPLICANTS, HOSTS, navigate } from './nav.js';

const STAFF = ['registration_operator', 'labour_operator'];
const SIGNED_IN = [...HOSTS, ...APPLICANTS, 'registration_operator', 'labour_operator', 'admin'];

const S = {
  site: ['Миграциялык электрондук кызматтар', 'Миграционные электронные услуги', 'Migration e-services'],
  state: ['Кыргыз Республикасы', 'Кыргызская Республика', 'Kyrgyz Republic'],
  registrations: ['Каттоолор', 'Регистрации', 'Registrations'],
  newRegistration: ['Чет элдикти каттоо', 'Зарегистрировать иностранца', 'Register a foreigner'],
  housing: ['Турак жай фонду', 'Жилой фонд', 'Housing'],
  profile: ['Профиль', 'Профиль', 'Profile'],
  applications: ['Арыздар', 'Заявки', 'Applications'],
  messages: ['Билдирүүлөр', 'Сообщения', 'Messages'],
  queue: ['Кезек', 'Очередь', 'Queue'],
  accounts: ['Аккаунттар', 'Учётные записи', 'Accounts'],
  operators: ['Операторлор', 'Операторы', 'Operators'],
  legalEntities: ['Юридикалык жактар', 'Юридические лица', 'Legal entities'],
  changeRequests: ['Өзгөртүү өтүнүчтөрү', 'Заявки на изменение', 'Change requests'],
  payments: ['Төлөмдөр', 'Платежи', 'Payments'],
  timeliness: ['Мөөнөттүүлүк', 'Своевременность', 'Timeliness'],
  signIn: ['Кирүү', 'Войти', 'Sign in'],
  register: ['Катталуу', 'Регистрация', 'Register'],
  notFound: ['Мындай бет жок.', 'Такой страницы нет.', 'There is no such page.'],
  forbidden: [
    'Бул бет сиздин аккаунтуңуз үчүн эмес.',
    'Эта страница не для вашей учётной записи.',
    'This page is not for your account.',
  ],
  authorities: [
    'Кыргыз Республикасынын Эмгек, социалдык камсыздоо жана миграция министрлиги · Калкты каттоо департаменти',
    'Министерство труда, социального обеспечения и миграции Кыргызской Республики · Департамент регистрации населения',
    'Ministry of Labour, Social Security and Migration of the Kyrgyz Republic · Department of Population Registration',
  ],
  menu: ['Негизги меню', 'Главное меню', 'Main menu'],
  languages: ['Тилди тандоо', 'Выбор языка', 'Choose the language'],
};

/** Each address: its page module, the function that renders it, and who may open it. */
const ROUTES = [
  ['/', 'public', 'home'],
  ['/status', 'public', 'status'],
  ['/verify', 'public', 'verify'],
  ['/confirm-email', 'public', 'confirmEmail'],
  ['/sign-in', 'account', 'signIn'],
  ['/register', 'account', 'register'],
  ['/activate', 'account', 'activate'],
  ['/forgot-password', 'account', 'forgotPassword'],
  ['/reset-password', 'account', 'resetPassword'],
  ['/set-password', 'account', 'resetPassword'],
  ['/payments/return', 'payments', 'paymentReturn', SIGNED_IN],
  ['/profile', 'profile', 'profile', SIGNED_IN],
  ['/ereg', 'ereg', 'archive', HOSTS],
  ['/ereg/housing', 'ereg', 'housing', HOSTS],
  ['/ereg/new', 'ereg-new', 'newRegistration', HOSTS],
  ['/ereg/registrations/:number', 'ereg', 'registration', HOSTS],
  ['/operator/registrations', 'review', 'queue', ['registration_operator']],
  ['/operator/registrations/:number', 'review', 'review', ['registration_operator']],
  ['/ework', 'ework', 'applications', APPLICANTS],
  ['/ework/new/:kind', 'ework', 'newApplication', APPLICANTS],
  ['/ework/applications/:number', 'ework', 'application', APPLICANTS],
  ['/ework/messages', 'ework', 'messages', APPLICANTS],
  ['/labour/applications', 'labour', 'queue', ['labour_operator']],
  ['/labour/applications/:number', 'labour', 'application', ['labour_operator']],
  ['/labour/accounts', 'labour', 'accounts', ['labour_operator']],
  ['/labour/accounts/:id', 'labour', 'account', ['labour_operator']],
  ['/admin/operators', 'admin', 'operators', ['admin']],
  ['/admin/timeliness', 'admin', 'timeliness', ['admin']],
  ['/operator/legal-entities', 'staff', 'legalEntities', ['registration_operator']],
  ['/operator/payments', 'staff', 'flaggedPayments', ['registration_operator']],
  ['/operator/change-requests', 'staff', 'changeRequests', STAFF],
  ['/operator/change-requests/:id', 'staff', 'changeRequest', STAFF],
];

function menuOf(type) {
  if (HOSTS.includes(type)) {
    return [['/ereg', S.registrations], ['/ereg/new', S.newRegistration], ['/ereg/housing', S.housing], ['/profile', S.profile]];
  }
  if (APPLICANTS.includes(type)) {
    return [['/ework', S.applications], ['/ework/messages', S.messages], ['/profile', S.profile]];
  }
  if (type === 'registration_operator') {
    return [['/operator/registrations', S.queue], ['/operator/legal-entities', S.legalEntities],
      ['/operator/change-requests', S.changeRequests], ['/operator/payments', S.payments], ['/profile', S.profile]];
  }
  if (type === 'labour_operator') {
    return [['/labour/applications', S.applications], ['/labour/accounts', S.accounts],
      ['/operator/change-requests', S.changeRequests], ['/profile', S.profile]];
  }
  if (type === 'admin') return [['/admin/operators', S.operators], ['/admin/timeliness', S.timeliness], ['/profile', S.profile]];
  return [['/sign-in', S.signIn], ['/register', S.register]];
}

function match(pattern, path) {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

function header() {
  const type = session.type();
  const here = location.pathname;
  const nav = h('nav', { 'aria-label': t(S.menu) },
    h('ul', menuOf(type).map(([href, label]) => h('li', link(href, t(label))))),
    type ? h('button.link', {
      type: 'button',
      onclick: async () => {
        try { await api('DELETE', '/v1/sessions/current'); } catch { /* ended anyway */ }
        session.clear();
        navigate('/sign-in');
      },
    }, t(W.signOut)) : null);
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === here) a.setAttribute('aria-current', 'page');
  }
  const switcher = h('div.langs', { role: 'group', 'aria-label': t(S.languages) },
    LANGS.map((code) => h('button', {
      type: 'button', lang: code, 'aria-pressed': String(code === lang()),
      onclick: () => setLang(code),
    }, langName(code))));
  return [
    h('a.skip', { href: '#main' }, t(W.skip)),
    h('div.bar',
      link('/', h('span.brand', h('span.state', t(S.state)), h('span', t(S.site)))),
      switcher),
    nav,
  ];
}

let rendering = 0;

/** Renders the page of the current address. */
async function render() {
  const run = ++rendering;
  document.documentElement.lang = lang();
  fill(document.getElementById('top'), header());
  fill(document.getElementById('foot'), h('p', t(S.authorities)));
  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  fill(main, h('p.empty', t(W.loading)));
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(location.search);
  let page;
  for (const [pattern, module, name, who] of ROUTES) {
    const params = match(pattern, path);
    if (!params) continue;
    if (who && !session.get()) {
      navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, true);
      return;
    }
    if (who && !who.includes(session.type())) {
      page = h('section', h('h1', { tabindex: '-1' }, t(S.forbidden)));
      break;
    }
    try {
      const mod = await import(`./pages/${module}.js`);
      page = await mod[name]({ params, query });
    } catch (error) {
      // The session ended: 'signedout' has already sent the person to sign in.
      if (error?.status === 401) return;
      page = h('section', h('h1', { tabindex: '-1' }, t(W.unexpected)), h('p', error?.detail ?? ''));
      if (!error?.detail) console.error(error);
    }
    break;
  }
  page ??= h('section', h('h1', { tabindex: '-1' }, t(S.notFound)), link('/', t(S.site)));
  if (run !== rendering) return;
  fill(main, page);
  main.removeAttribute('aria-busy');
  const title = main.querySelector('h1');
  document.title = `${title?.textContent ?? ''} — ${t(S.site)}`;
  if (moved) title?.focus();
  moved = true;
}

let moved = false;

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[data-link]');
  if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);
window.addEventListener('signedout', () => {
  if (location.pathname !== '/sign-in') {
    navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
});
// A language chosen halfway through a form keeps what was typed: the page is drawn
// again in the new language and its fields get their values back, checked uploads
// included (never passwords, files or an answered challenge, which is drawn anew).
// Steps a page added after its first drawing (a second factor's, extra rows) start over.
window.addEventListener('langchange', async () => {
  const kept = [...document.querySelectorAll('main [name]')]
    .filter((el) => !['password', 'file', 'submit'].includes(el.type) && !el.name.startsWith('challenge_'))
    .filter((el) => el.type !== 'hidden' || el.value)
    .map((el) => [el.name, el.type === 'checkbox' ? el.checked : el.value]);
  await render();
  for (const [name, value] of kept) {
    const el = document.querySelector(`main [name="${CSS.escape(name)}"]`);
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = value;
    else el.value = value;
    // A checked upload's field says so again (pages/upload.js).
    if (el.type === 'hidden') el.dispatchEvent(new Event('kept'));
  }
});
window.addEventListener('rerender', render);
render();
