// Staff pages and a host's profile, each opened by the account it is for: the admin
// creates a registration operator and looks at timeliness; that operator makes a
// legal-entity host from its letter, looks at flagged payments and approves a host's
// change of general data; the host sees its data and restores its PIN.
const { test, expect } = require('@playwright/test');
const support = require('./support');

const {
  ADMIN_PASSWORD, OPERATOR_PASSWORD, accessible, call, draftUpload, emailLink, fixture, shot, smsCode, smsTo, solved, tab, unique,
} = support;
const HOST_PASSWORD = 'Tash-Rabat#1994';

/** A new tab in Russian (the seeds' labels), signed in at /sign-in and sent on to `next`. */
async function signedIn(browser, login, password, next) {
  const page = await tab(browser, 'ru');
  await support.signIn(page, login, password, next);
  await expect(page).toHaveURL(new RegExp(`${next}$`));
  return page;
}

/** A citizen ereg host signed up through the API and activated by its SMS code. */
async function eregHost() {
  const { email, phone } = unique();
  const { draft_token: draft } = await call('POST', '/v1/registration-drafts');
  const scan = await draftUpload(draft, 'passport_scan', 'document.pdf');
  const photo = await draftUpload(draft, 'photo', 'photo.jpg');
  await call('POST', '/v1/accounts', { body: {
    type: 'host_citizen', consent: true, ...(await solved()),
    email, phone, password: HOST_PASSWORD, password_repeat: HOST_PASSWORD,
    surname: 'Asanov', given_names: 'Aibek', birth_date: '1990-05-15', sex: 'M', document_country: 'KGZ',
    document_number: 'AC1234567', document_issued: '2020-01-10', document_expires: '2030-01-09',
    personal_number: '21505199012345', passport_scan: scan, photo, draft_token: draft,
  } });
  await call('POST', '/v1/accounts/activation', { body: { email, code: await smsCode(phone, 1) } });
  await smsCode(phone, 2); // the PIN
  return { email, phone };
}

test('staff pages and a host profile', async ({ browser }) => {
  // The admin creates a registration operator in the browser.
  const admin = await signedIn(browser, 'admin', ADMIN_PASSWORD, '/admin/operators');
  await expect(admin.getByRole('heading', { level: 1, name: 'Операторы' })).toBeVisible();
  await accessible(admin, 'the operators page');
  const login = `op${Date.now().toString(36)}`;
  const operatorEmail = `${login}@example.kg`;
  await admin.getByLabel('Роль').selectOption('registration_operator');
  await admin.getByRole('textbox', { name: 'Логин', exact: true }).fill(login);
  await admin.getByLabel('Адрес эл. почты').fill(operatorEmail);
  await admin.getByRole('textbox', { name: 'Телефон', exact: true }).fill('+996312610000');
  await admin.getByRole('textbox', { name: 'Фамилия', exact: true }).fill('Осмонова');
  await admin.getByRole('textbox', { name: 'Имя', exact: true }).fill('Жылдыз');
  await admin.getByLabel('Язык уведомлений').selectOption('en');
  await admin.getByRole('button', { name: 'Создать оператора' }).click();
  await expect(admin.getByText(`На адрес ${operatorEmail} отправлена ссылка для установки пароля`)).toBeVisible();
  await expect(admin.locator('dl.facts')).toContainText(login);
  await expect(admin.locator('dl.facts')).toContainText('Оператор Департамента регистрации населения (ereg)');
  // The staff list has it now, beside the admin.
  const staff = admin.getByRole('table', { name: 'Операторы и администраторы' });
  await expect(staff.getByRole('cell', { name: login, exact: true })).toBeVisible();
  await expect(staff.getByRole('cell', { name: 'admin', exact: true })).toBeVisible();
  await accessible(admin, 'the operators page with the new operator');
  await shot(admin, 'admin-operators');

  await admin.goto('/admin/timeliness');
  await admin.getByLabel('День срока решения').fill('2026-01-05');
  await admin.getByRole('button', { name: 'Показать' }).click();
  await expect(admin.getByRole('table', { name: 'Регистрации со сроком решения 05.01.2026' })).toBeVisible();
  await expect(admin.getByRole('cell', { name: 'Решено в срок' })).toBeVisible();
  await accessible(admin, 'the timeliness page');

  // The operator sets its password by the emailed link, then signs in.
  const link = await emailLink(operatorEmail, 'Set the password for your account');
  const token = new URL(link).searchParams.get('token');
  await call('POST', '/v1/password-resets/complete', { body: { token, password: OPERATOR_PASSWORD, password_repeat: OPERATOR_PASSWORD } });
  const operator = await signedIn(browser, login, OPERATOR_PASSWORD, '/operator/payments');
  await expect(operator.getByRole('heading', { level: 1, name: 'Платежи, требующие внимания' })).toBeVisible();
  await accessible(operator, 'the flagged payments');

  // A legal-entity host from its letter, then its housing.
  await operator.goto('/operator/legal-entities');
  await expect(operator.getByRole('heading', { level: 1, name: 'Юридические лица' })).toBeVisible();
  await accessible(operator, 'the legal entities page');
  const entity = unique();
  await operator.getByLabel('Наименование юридического лица').fill('Ala-Too Hotel LLC');
  await operator.getByLabel('ИНН').fill('02345678912345');
  await operator.getByLabel('Фамилия представителя').fill('Tokonov');
  await operator.getByLabel('Имя представителя').fill('Bakyt');
  await operator.getByLabel('Юридический адрес').fill('1 Kievskaya Street, Bishkek');
  await operator.getByLabel('Адрес эл. почты (логин)').fill(entity.email);
  await operator.getByLabel('Номер мобильного телефона КР оператора').fill(entity.phone);
  for (const [label, name] of [['Письмо на имя руководителя ДРН', 'letter'],
    ['Технический паспорт жилого или иного помещения', 'technical_passport']]) {
    await operator.getByLabel(label).setInputFiles(fixture('document.pdf'));
    await expect(operator.locator(`[data-field="${name}"]`).getByText('Проверено ✓')).toBeVisible();
  }
  await operator.getByRole('button', { name: 'Создать личный кабинет' }).click();
  const created = operator.locator('.created');
  await expect(created.getByText('Личный кабинет «Tokonov Bakyt (Ala-Too Hotel LLC)» создан')).toBeVisible();
  expect(await smsCode(entity.phone, 1)).toMatch(/^\d{6}$/);
  await created.getByLabel('Код имущества').fill('1-04-03-0178-9183-097');
  await created.getByRole('button', { name: 'Добавить' }).click();
  await expect(created.getByText('Жильё добавлено: г. Бишкек')).toBeVisible();
  await accessible(operator, 'the legal entities page with the new host');

  // A host's profile: its data, a new PIN, and a change of its given names.
  const host = await eregHost();
  const hostPage = await signedIn(browser, host.email, HOST_PASSWORD, '/profile');
  await expect(hostPage.getByRole('heading', { level: 1, name: 'Профиль' })).toBeVisible();
  await expect(hostPage.getByText('ASANOV AIBEK')).toBeVisible();
  await expect(hostPage.getByText('AC***67')).toBeVisible();
  await accessible(hostPage, 'the host profile');
  await shot(hostPage, 'profile');
  await hostPage.getByRole('button', { name: 'Восстановить ПИН-код' }).click();
  await expect(hostPage.getByText('Новый ПИН-код отправлен на вашу электронную почту и по SMS')).toBeVisible();
  expect(await smsCode(host.phone, 3)).toMatch(/^\d{6}$/);
  expect((await smsTo(host.phone)).length).toBe(3);

  await hostPage.getByRole('textbox', { name: 'Имя', exact: true }).fill('AIDAR');
  await hostPage.getByRole('button', { name: 'Отправить на изменение' }).click();
  await expect(hostPage.getByText('Заявка отправлена оператору.')).toBeVisible();
  await expect(hostPage.getByText('На рассмотрении у оператора')).toBeVisible();
  await accessible(hostPage, 'the host profile with a waiting change');
  const requestId = await hostPage.locator('.request dd').first().innerText();

  // The operator sees the data now and as they would become, and approves.
  await operator.goto('/operator/change-requests');
  await expect(operator.getByRole('heading', { level: 1, name: 'Заявки на изменение данных' })).toBeVisible();
  await accessible(operator, 'the change requests');
  await operator.getByRole('link', { name: requestId }).click();
  await expect(operator.getByRole('heading', { level: 1, name: 'Заявка на изменение данных' })).toBeVisible();
  const row = operator.getByRole('row').filter({ has: operator.getByRole('cell', { name: 'Имя', exact: true }) });
  await expect(row).toContainText('AIBEK');
  await expect(row).toContainText('AIDAR');
  await expect(row).not.toContainText('без изменений');
  await accessible(operator, 'a change request');
  await operator.getByRole('button', { name: 'Одобрить' }).click();
  await expect(operator.getByText('Заявка одобрена: данные изменены.')).toBeVisible();

  await hostPage.reload();
  await expect(hostPage.getByText('Одобрена', { exact: true })).toBeVisible();
  await expect(hostPage.getByText('ASANOV AIDAR')).toBeVisible();
});
