// Every public page, in each of the three languages: it renders its heading in that
// language, has no serious or critical accessibility violation, and answers a bad link
// with a message a person can act on, not a blank page.
const { test, expect } = require('@playwright/test');
const { accessible } = require('./support');

const PAGES = [
  ['/', { ky: 'Миграциялык электрондук кызматтар', ru: 'Миграционные электронные услуги', en: 'Migration e-services' }],
  ['/sign-in', { ky: 'Жеке кабинетке кирүү', ru: 'Вход в личный кабинет', en: 'Sign in' }],
  ['/register', { ky: 'Жеке кабинетти каттоо', ru: 'Регистрация личного кабинета', en: 'Registering an account' }],
  ['/register?type=employer', { en: 'Registering an account' }],
  ['/register?type=host_foreign_owner', { en: 'Registering an account' }],
  ['/register?type=foreign_entrepreneur', { en: 'Registering an account' }],
  ['/register?type=digital_nomad', { en: 'Registering an account' }],
  ['/activate?email=someone%40example.kg', { ru: 'Активация учётной записи', en: 'Activating your account' }],
  ['/forgot-password', { ru: 'Восстановление пароля', en: 'Forgotten password' }],
  ['/reset-password?token=x', { ru: 'Новый пароль', en: 'A new password' }],
  ['/set-password?token=x', { en: 'A new password' }],
  ['/status', { ky: 'Каттоонун абалын текшерүү', ru: 'Проверка статуса регистрации', en: 'Check a registration' }],
  ['/verify', { ru: 'Проверка документа', en: 'Check a printed document' }],
  ['/confirm-email?token=nonsense', { ru: 'Подтверждение электронной почты', en: 'Confirming your email' }],
  ['/no-such-page', { ru: 'Такой страницы нет.', en: 'There is no such page.' }],
];

const NAMES = { ky: 'Кыргызча', ru: 'Русский', en: 'English' };

for (const lang of ['ky', 'ru', 'en']) {
  test(`every public page in ${lang}`, async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: NAMES[lang] }).click();
    for (const [path, headings] of PAGES) {
      await page.goto(path);
      const heading = page.locator('main h1');
      if (headings[lang]) await expect(heading).toHaveText(headings[lang]);
      else await expect(heading).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await accessible(page, `${path} in ${lang}`);
    }
  });
}

test('a signed-out visit to a cabinet page asks to sign in first, keeping where it was going', async ({ page }) => {
  await page.goto('/ereg/housing');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fereg%2Fhousing$/);
});

test('a tampered email link says so in words', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await page.goto('/confirm-email?token=nonsense');
  await expect(page.getByRole('alert')).not.toBeEmpty();
});

test('the registration form is usable by keyboard alone, in order', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await page.goto('/register?type=host_citizen');
  await expect(page.locator('main h1')).toBeVisible();
  // Tab through the page: every control of the form is reached, in the order it shows
  // (a date field takes several presses, one per part).
  const controls = await page.locator('main form :is(input:not([type="hidden"]), select, textarea, button)')
    .evaluateAll((els) => els.map((el) => el.name || el.dataset.kind || el.textContent.trim()));
  const reached = [];
  for (let i = 0; i < 80 && reached.length < controls.length; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.closest('main form') ? (el.name || el.dataset.kind || el.textContent.trim()) : null;
    });
    if (name !== null && reached[reached.length - 1] !== name) reached.push(name);
  }
  expect(reached).toEqual(controls);
  // And the visible focus ring is there for whoever cannot see a mouse pointer.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  expect(outline).not.toBe('none');
});

test('choosing another language halfway through a form keeps what was typed', async ({ page }) => {
  await page.goto('/status');
  await page.locator('[name="passport_number"]').fill('FA1234567');
  await page.locator('[name="birth_date"]').fill('1990-05-15');
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.locator('main h1')).toHaveText('Проверка статуса регистрации');
  await expect(page.locator('[name="passport_number"]')).toHaveValue('FA1234567');
  await expect(page.locator('[name="birth_date"]')).toHaveValue('1990-05-15');
});
