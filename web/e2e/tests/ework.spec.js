// e-work from both sides: an employer signs up (through the API) and confirms its email
// in the portal; a labour operator the admin created activates it in the console; the
// employer applies for quotas; the operator asks for a clarification; the employer reads
// the message, adds a document and sends the application again; the operator confirms
// it with an allocation; the employer sees it confirmed with the state fee due.
const { test, expect } = require('@playwright/test');
const {
  OPERATOR_PASSWORD, accessible, call, draftUpload, emailLink, fixture, operator, shot, signIn, solved, tab,
} = require('./support');

const EMPLOYER_PASSWORD = 'Kok-Jar7ly!';

/** An employer signed up through the API, its email not confirmed yet. */
async function signUpEmployer(n) {
  const challenge = await solved();
  const { draft_token: draft } = await call('POST', '/v1/registration-drafts');
  const staffList = await draftUpload(draft, 'staff_list', 'document.pdf');
  const certificate = await draftUpload(draft, 'certificate', 'document.pdf');
  const employer = { email: `employer${n}@example.kg`, login: `emp${n}`, legalName: `Ala-Too Kurulush ${n}` };
  await call('POST', '/v1/accounts', {
    body: {
      type: 'employer', consent: true, ...challenge,
      email: employer.email, login: employer.login, lang: 'en',
      password: EMPLOYER_PASSWORD, password_repeat: EMPLOYER_PASSWORD,
      representative_surname: 'Asanova', representative_name: 'Aigerim',
      legal_name: employer.legalName, registration_number: '123456-3301-OOO',
      tax_id: '01234567891234', founders: 'Asanova A.', activity: 'Construction',
      legal_address: '158 Toktogul Street, Bishkek', actual_address: '158 Toktogul Street, Bishkek',
      phones: ['+996312123456'], draft_token: draft, staff_list: staffList, registration_certificate: certificate,
    },
  });
  return employer;
}

/** The status the application's page states (its facts, not its history). */
const status = (page, text) => page.getByRole('definition').filter({ hasText: new RegExp(`^${text}$`) });

/** Opens `path` and waits for its heading. */
async function open(page, path, title) {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test('an employer applies for quotas, clarifies and gets them confirmed', async ({ browser }) => {
  const n = `${Date.now()}`.slice(-8);
  const [employer, labourLogin] = await Promise.all([signUpEmployer(n), operator('labour_operator')]);

  // The employer confirms its email with the emailed link.
  const employerTab = await tab(browser, 'ru');
  const confirmation = await emailLink(employer.email, 'Confirm your email address');
  expect(new URL(confirmation).pathname).toBe('/confirm-email');
  await employerTab.goto(confirmation);
  await expect(employerTab.locator('main h1')).toBeVisible();
  await expect(employerTab.getByText('Почта подтверждена.')).toBeVisible();
  await accessible(employerTab, 'the email confirmation');

  // The labour operator activates the account.
  const labourTab = await tab(browser, 'ru');
  await signIn(labourTab, labourLogin, OPERATOR_PASSWORD);
  await open(labourTab, '/labour/accounts', 'Учётные записи, ожидающие активации');
  await accessible(labourTab, 'the waiting accounts');
  await labourTab.getByRole('row').filter({ hasText: employer.email }).getByRole('link').click();
  await expect(labourTab.getByRole('heading', { level: 1, name: 'Учётная запись' })).toBeVisible();
  await expect(labourTab.getByText(employer.legalName).first()).toBeVisible();
  await expect(labourTab.getByText('Ожидает активации')).toBeVisible();
  await accessible(labourTab, 'the waiting account');
  await labourTab.getByRole('button', { name: 'Активировать' }).click();
  await expect(labourTab.getByText('Активна', { exact: true })).toBeVisible();

  // The employer signs in and fills a quota application.
  await signIn(employerTab, employer.login, EMPLOYER_PASSWORD);
  await open(employerTab, '/ework', 'Архив заявок');
  await accessible(employerTab, 'the archive');
  await employerTab.getByRole('link', { name: 'Подать заявку на получение квоты' }).click();
  await expect(employerTab.getByRole('heading', { level: 1, name: 'Подать заявку на получение квоты' })).toBeVisible();
  await accessible(employerTab, 'the quota form');

  const row1 = employerTab.getByRole('group', { name: 'Строка 1' });
  await row1.getByRole('textbox', { name: 'Страна', exact: true }).fill('CHN');
  await row1.getByLabel('Занимаемая должность').fill('Welder');
  await row1.getByLabel('Количество').fill('3');
  await employerTab.getByRole('button', { name: 'Добавить строку' }).click();
  const row2 = employerTab.getByRole('group', { name: 'Строка 2' });
  await row2.getByRole('textbox', { name: 'Страна', exact: true }).fill('TUR');
  await row2.getByLabel('Занимаемая должность').fill('Site engineer');
  await row2.getByLabel('Количество').fill('2');
  await expect(employerTab.getByLabel('Общее количество квот')).toHaveValue('5');
  await employerTab.getByLabel(/^Причины и основания/).fill('No certified welders among local applicants');
  const tax = employerTab.getByRole('group', { name: /в налоговую службу/ });
  const amounts = ['120000.00', '118500.50', '121000', '119999.99', '125000', '130000'];
  for (const [i, amount] of amounts.entries()) await tax.getByRole('textbox').nth(i).fill(amount);
  await employerTab.getByRole('group', { name: /в социальный фонд/ })
    .getByLabel('Если отчислений нет — причина').fill('The company registered with the fund this month');
  await employerTab.getByLabel('Текстовое обращение заявителя').fill('We ask for five quotas for the Osh bridge');
  await employerTab.getByLabel(/согласно штатного расписания/).fill('40');
  await employerTab.getByLabel('из них руководители').fill('5');
  await employerTab.getByRole('spinbutton', { name: 'рабочие', exact: true }).fill('33');
  await employerTab.getByRole('spinbutton', { name: 'вакансии', exact: true }).fill('4');
  await employerTab.getByLabel(/^Число обращений/).fill('2');
  const past = employerTab.getByRole('group', { name: 'ИРС за прошлые годы' });
  await past.getByRole('spinbutton').nth(0).fill('3');
  await past.getByRole('spinbutton').nth(1).fill('5');
  await employerTab.getByLabel('Штатное расписание').setInputFiles(fixture('document.pdf'));
  await expect(employerTab.locator('[data-field="staff_list"]').getByText('Проверено ✓')).toBeVisible();

  await employerTab.getByRole('button', { name: 'Проверить' }).click();
  await expect(employerTab.getByText('Форма заполнена верно.')).toBeVisible();
  await shot(employerTab, 'ework-quota-form');
  await expect(employerTab.getByText('8.00')).toBeVisible();
  await employerTab.getByRole('button', { name: 'Отправить заявку' }).click();
  await employerTab.waitForURL(/\/ework\/applications\/Q-\d{8}/);
  const number = new URL(employerTab.url()).pathname.split('/').pop();
  await expect(employerTab.getByRole('heading', { level: 1, name: `Заявка ${number}` })).toBeVisible();
  await expect(employerTab.getByText('Заявка подана на рассмотрение МТСОМ.')).toBeVisible();
  await expect(status(employerTab, 'Заявка подана')).toBeVisible();
  await accessible(employerTab, 'the submitted application');

  // The operator finds it in the queue and asks for a clarification.
  await open(labourTab, '/labour/applications', 'Очередь заявок');
  await accessible(labourTab, 'the queue');
  await labourTab.getByRole('link', { name: number }).click();
  await expect(labourTab.getByRole('heading', { level: 1, name: `Заявка ${number}` })).toBeVisible();
  await expect(labourTab.getByText(employer.legalName).first()).toBeVisible();
  await accessible(labourTab, 'the application under review');
  await shot(labourTab, 'labour-application');
  await labourTab.getByLabel('Что необходимо').fill('Attach the staff list signed by the director');
  await labourTab.getByRole('button', { name: 'Вернуть на уточнение' }).click();
  await expect(status(labourTab, 'Заявка в процессе уточнения с заявителем')).toBeVisible();

  // The employer reads the message, adds a document and sends the application again.
  await open(employerTab, '/ework/messages', 'Сообщения от МТСОМ');
  const message = employerTab.getByRole('listitem').filter({ hasText: `Сообщение по заявке ${number}` });
  await expect(message.getByText('Новое', { exact: true })).toBeVisible();
  await expect(message.getByText(/Attach the staff list signed by the director/)).toBeVisible();
  await accessible(employerTab, 'the messages');
  await shot(employerTab, 'ework-messages');
  await message.getByRole('button', { name: 'Отметить как прочитанное' }).click();
  await expect(message.getByText('Прочитано', { exact: true })).toBeVisible();
  await message.getByRole('link', { name: number }).click();
  await expect(employerTab.getByRole('heading', { level: 1, name: `Заявка ${number}` })).toBeVisible();
  await expect(status(employerTab, 'Заявка в процессе уточнения с заявителем')).toBeVisible();
  await accessible(employerTab, 'the application in clarification');
  await employerTab.getByLabel(/^Файл/).setInputFiles(fixture('document.pdf'));
  await expect(employerTab.getByText('Проверено ✓')).toBeVisible();
  await employerTab.getByRole('button', { name: 'Добавить документ' }).click();
  await expect(employerTab.getByRole('cell', { name: 'Добавлен при уточнении' })).toBeVisible();
  await employerTab.getByRole('button', { name: 'Отправить повторно' }).click();
  await expect(status(employerTab, 'Заявка подана')).toBeVisible();

  // The operator confirms it with an allocation.
  await open(labourTab, `/labour/applications/${number}`, `Заявка ${number}`);
  await expect(status(labourTab, 'Заявка подана')).toBeVisible();
  await labourTab.getByLabel('Номер протокола').fill('17-K');
  await labourTab.getByLabel('CHN — Welder (запрошено: 3)').fill('2');
  await labourTab.getByLabel('TUR — Site engineer (запрошено: 2)').fill('2');
  await labourTab.getByRole('button', { name: 'Подтвердить квоту' }).click();
  await expect(status(labourTab, 'Заявка подтверждена')).toBeVisible();
  await accessible(labourTab, 'the confirmed application');

  // The employer sees it confirmed, the allocation and the fee due.
  await open(employerTab, `/ework/applications/${number}`, `Заявка ${number}`);
  await expect(status(employerTab, 'Заявка подтверждена')).toBeVisible();
  await expect(employerTab.getByText('К оплате', { exact: true })).toBeVisible();
  await expect(employerTab.getByRole('button', { name: 'Оплатить: 4000.00 KGS' })).toBeVisible();
  await expect(employerTab.getByText('17-K', { exact: true })).toBeVisible();
  await expect(employerTab.getByRole('table', { name: 'Распределенные квоты' })).toContainText('Welder');
  await accessible(employerTab, 'the confirmed application');
  await open(employerTab, '/ework', 'Архив заявок');
  const archived = employerTab.getByRole('row').filter({ hasText: number });
  await expect(archived).toContainText('Заявка подтверждена');
  await expect(archived).toContainText('4000.00 KGS — К оплате');
  await accessible(employerTab, 'the archive with the confirmed application');
  await open(employerTab, '/ework/new/permit', 'Подать заявку на получение разрешения на работу');
  await accessible(employerTab, 'the work-permit form');
  await Promise.all([employerTab.context().close(), labourTab.context().close()]);
});

/** A foreign entrepreneur or Digital Nomad signed up through the API and activated. */
async function activeForeigner(kind, labourToken) {
  const n = `${Date.now()}`.slice(-8);
  const account = { email: `${kind}${n}@example.kg`, login: `u${n}${kind.length}` };
  const { draft_token: draft } = await call('POST', '/v1/registration-drafts');
  const photo = await draftUpload(draft, 'photo', 'photo.jpg');
  const page1 = await draftUpload(draft, 'passport_scan', 'document.pdf');
  const page2 = await draftUpload(draft, 'passport_scan', 'document.pdf');
  await call('POST', '/v1/accounts', {
    body: {
      type: kind, consent: true, ...(await solved()), lang: 'en', email: account.email, login: account.login,
      phone: `+996555${n.slice(-6)}`, password: EMPLOYER_PASSWORD, password_repeat: EMPLOYER_PASSWORD,
      surname: 'Muller', given_names: 'Anna', birth_date: '1988-02-29', sex: 'F', birth_place: 'Hamburg',
      document_type: 'ordinary_passport', document_country: 'D', document_number: 'C01X00T47',
      document_issued: '2021-06-01', document_expires: '2031-05-31',
      draft_token: draft, photo, passport_page1: page1, passport_page2: page2,
    },
  });
  const link = await emailLink(account.email, 'Confirm your email address');
  await call('GET', `/v1/accounts/confirm-email?${new URL(link).searchParams}`);
  const { accounts } = await call('GET', '/v1/operator/accounts', { token: labourToken });
  const waiting = accounts.find((a) => a.email === account.email);
  await call('POST', `/v1/operator/accounts/${waiting.account_id}/activation`, { token: labourToken });
  return account;
}

test('an entrepreneur and a Digital Nomad find their cabinets and forms', async ({ browser }) => {
  const labour = await call('POST', '/v1/sessions', {
    body: { login: await operator('labour_operator'), password: OPERATOR_PASSWORD },
  });
  for (const [kind, form] of [['foreign_entrepreneur', 'entrepreneur'], ['digital_nomad', 'nomad']]) {
    const account = await activeForeigner(kind, labour.token);
    const page = await tab(browser, 'en');
    await signIn(page, account.login, EMPLOYER_PASSWORD);
    await expect(page).toHaveURL(/\/ework$/);
    await expect(page.locator('main h1')).toBeVisible();
    await accessible(page, `the ${kind} archive`);
    await page.goto(`/ework/new/${form}`);
    await expect(page.locator('main form').first()).toBeVisible();
    await accessible(page, `the ${form} form`);
    await page.goto('/profile');
    await expect(page.getByText('MULLER ANNA').or(page.getByText('Muller Anna')).first()).toBeVisible();
    await accessible(page, `the ${kind} profile`);
    await page.context().close();
  }
});
