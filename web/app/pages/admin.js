// The administrator's pages: the staff, creating operators of both authorities, and how timely
// the registration operators decided the registrations due on a day.

import { LANGS, Problem, api, facts, form, h, heading, langName, notice, showProblem, table, t, when } from '../core.js';
import { navigate } from '../nav.js';

const S = {
  operators: ['Операторлор', 'Операторы', 'Operators'],
  newOperator: ['Жаңы оператор', 'Новый оператор', 'New operator'],
  about: [
    'Операторлор өздөрү катталбайт. Түзүлгөн оператор электрондук почтасына сырсөз коюу үчүн шилтеме алат (72 саат жарактуу).',
    'Операторы не регистрируются сами. Созданный оператор получит на электронную почту ссылку для установки пароля (действует 72 часа).',
    'Operators never sign up themselves. The new operator is emailed a link to set the password (valid 72 hours).',
  ],
  role: ['Ролу', 'Роль', 'Role'],
  labour: [
    'Эмгек министрлигинин оператору (e-work)',
    'Оператор Министерства труда (e-work)',
    'Ministry of Labour operator (e-work)',
  ],
  registration: [
    'Калкты каттоо департаментинин оператору (ereg)',
    'Оператор Департамента регистрации населения (ereg)',
    'Department of Population Registration operator (ereg)',
  ],
  login: ['Логин', 'Логин', 'Login'],
  loginHint: ['Латын тамгалары жана сандар, 4төн 32ге чейин', 'Латинские буквы и цифры, от 4 до 32', 'Latin letters and digits, 4 to 32'],
  email: ['Электрондук почта', 'Адрес эл. почты', 'Email'],
  emailHint: ['Сырсөз коюу шилтемеси ушул дарекке келет', 'На этот адрес придёт ссылка для установки пароля', 'The set-password link goes here'],
  phone: ['Телефон', 'Телефон', 'Phone'],
  phoneHint: ['Эл аралык форматта, мисалы +996312610000', 'В международном формате, например +996312610000', 'In international format, e.g. +996312610000'],
  surname: ['Фамилиясы', 'Фамилия', 'Surname'],
  givenNames: ['Аты', 'Имя', 'Given names'],
  lang: ['Кат алышуу тили', 'Язык уведомлений', 'Language of messages'],
  create: ['Операторду түзүү', 'Создать оператора', 'Create the operator'],
  created: [
    'Оператор түзүлдү. {email} дарегине сырсөз коюу үчүн шилтеме жөнөтүлдү: ал 72 саат жарактуу.',
    'Оператор создан. На адрес {email} отправлена ссылка для установки пароля: она действует 72 часа.',
    'The operator is created. A link to set the password was sent to {email}: it is valid 72 hours.',
  ],
  name: ['Аты-жөнү', 'ФИО', 'Name'],
  staff: ['Операторлор жана администраторлор', 'Операторы и администраторы', 'Operators and administrators'],
  admin: ['Администратор', 'Администратор', 'Administrator'],
  status: ['Абалы', 'Статус', 'Status'],
  active: ['Активдүү', 'Активен', 'Active'],
  since: ['Түзүлгөн', 'Создан', 'Created'],
  account: ['Аккаунттун ID', 'ID учётной записи', 'Account ID'],
  timeliness: ['Мөөнөттүүлүк', 'Своевременность', 'Timeliness'],
  timelinessAbout: [
    'Төлөнгөн каттоо боюнча чечим төлөмдөн кийинки биринчи иш күнү саат 18:00гө чейин (Бишкек убактысы) чыгарылышы керек.',
    'Решение по оплаченной регистрации должно быть принято до 18:00 (время Бишкека) первого рабочего дня после оплаты.',
    'A paid registration must be decided by 18:00 (Bishkek time) on the first working day after the payment.',
  ],
  day: ['Чечим чыгаруу мөөнөтү өтүүчү күн', 'День срока решения', 'Day the decisions were due'],
  show: ['Көрсөтүү', 'Показать', 'Show'],
  figures: ['{day} күнү чечилиши керек болгон каттоолор', 'Регистрации со сроком решения {day}', 'Registrations due on {day}'],
  figure: ['Көрсөткүч', 'Показатель', 'Figure'],
  value: ['Мааниси', 'Значение', 'Value'],
  due: ['Ушул күнгө мөөнөтү бар төлөнгөн каттоолор', 'Оплаченных регистраций со сроком в этот день', 'Paid registrations due that day'],
  inTime: ['Мөөнөтүндө чечилген', 'Решено в срок', 'Decided in time'],
  late: ['Кечигип чечилген', 'Решено с опозданием', 'Decided late'],
  overdue: ['Мөөнөтү өттү, дагы эле күтүүдө', 'Срок истёк, всё ещё ждут решения', 'Past due, still waiting'],
  waiting: ['Күтүүдө, мөөнөтү өтө элек', 'Ждут решения, срок не истёк', 'Waiting, not yet due'],
  withdrawn: ['Ээси жокко чыгарган (үлүшкө кирбейт)', 'Отменены заявителем (не учитываются в доле)', 'Cancelled by the host (not counted in the share)'],
  share: ['Мөөнөтүндө чечилгендердин үлүшү', 'Доля решённых в срок', 'Share decided in time'],
  noShare: ['— (чечилген же мөөнөтү өткөн жок)', '— (нет решённых или просроченных)', '— (none decided or past due)'],
};

const STAFF_STATUS = { active: S.active };

const ROLES = [['registration_operator', S.registration], ['labour_operator', S.labour]];
const ROLE_NAMES = { ...Object.fromEntries(ROLES), admin: S.admin };

/** Everyone on staff, oldest first: the admin's list. */
async function staffTable() {
  const { operators: staff } = await api('GET', '/v1/operators');
  return table(S.staff, [
    [S.login, (o) => o.login],
    [S.name, (o) => o.name],
    [S.role, (o) => t(ROLE_NAMES[o.type] ?? o.type)],
    [S.email, (o) => o.email],
    [S.phone, (o) => o.phone],
    [S.status, (o) => t(STAFF_STATUS[o.status] ?? o.status)],
    [S.since, (o) => when(o.created_at)],
  ], staff);
}

export async function operators() {
  const list = h('div', await staffTable());
  const result = h('div', { 'aria-live': 'polite' });
  const create = form({
    fields: [
      { name: 'role', label: S.role, options: ROLES, required: true },
      { name: 'login', label: S.login, hint: S.loginHint, required: true, autocomplete: 'off' },
      { name: 'email', label: S.email, hint: S.emailHint, type: 'email', required: true },
      { name: 'phone', label: S.phone, hint: S.phoneHint, type: 'tel', required: true },
      { name: 'surname', label: S.surname, required: true },
      { name: 'given_names', label: S.givenNames, required: true },
      { name: 'lang', label: S.lang, required: true, options: LANGS.map((code) => [code, [langName(code), langName(code), langName(code)]]) },
    ],
    submit: S.create,
    onSubmit: async (v, el) => {
      const created = await api('POST', '/v1/operators', {
        role: v.role, login: v.login, email: v.email, phone: v.phone?.replace(/[\s()-]/g, ''),
        surname: v.surname, given_names: v.given_names, lang: v.lang,
      });
      el.reset();
      result.replaceChildren(
        notice('ok', t(S.created, { email: created.account.email })),
        facts([
          [S.login, created.login],
          [S.name, created.account.name],
          [S.role, t(ROLE_NAMES[created.account.type] ?? created.account.type)],
          [S.email, created.account.email],
          [S.phone, created.account.phone],
          [S.account, created.account.account_id],
        ]));
      list.replaceChildren(await staffTable());
    },
  });
  return h('section',
    heading(S.operators),
    list,
    h('h2', t(S.newOperator)),
    h('p', t(S.about)),
    result,
    create);
}

/** Today in Bishkek, `YYYY-MM-DD`. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bishkek' }).format(new Date());

export async function timeliness({ query }) {
  const day = query.get('day') || today();
  const pick = form({
    fields: [{ name: 'day', label: S.day, type: 'date', required: true, value: day }],
    submit: S.show,
    onSubmit: async (v) => {
      navigate(`/admin/timeliness?day=${encodeURIComponent(v.day ?? '')}`);
    },
  });
  let figures = null;
  let problem = null;
  try {
    figures = await api('GET', `/v1/admin/registrations/timeliness?day=${encodeURIComponent(day)}`);
  } catch (error) {
    if (!(error instanceof Problem) || error.status === 401) throw error;
    problem = error;
  }
  const page = h('section',
    heading(S.timeliness),
    h('p', t(S.timelinessAbout)),
    pick,
    figures ? figuresTable(figures) : null);
  if (problem) showProblem(pick, problem);
  return page;
}

function figuresTable(f) {
  const share = f.share_in_time === null || f.share_in_time === undefined
    ? t(S.noShare)
    : `${Math.round(f.share_in_time * 1000) / 10} %`;
  const rows = [
    [S.due, f.due], [S.inTime, f.decided_in_time], [S.late, f.decided_late],
    [S.overdue, f.overdue], [S.waiting, f.waiting], [S.withdrawn, f.withdrawn], [S.share, share],
  ];
  return table(t(S.figures, { day: when(f.day) }),
    [[S.figure, ([label]) => t(label)], [S.value, ([, value]) => String(value)]],
    rows);
}
