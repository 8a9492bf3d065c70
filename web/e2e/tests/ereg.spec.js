// A citizen host from sign-up to a printed talon, in the browser: registers with the
// code the emulator received by SMS, adds housing, registers a foreigner from a passport
// scan (the form fills from its zone), pays at the local checkout; a registration
// operator confirms in the console; the host prints the talon, and the link its QR code
// carries (read off the PDF) opens the verification page, which says "valid"; the public
// status check finds it.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const {
  OPERATOR_PASSWORD, accessible, fixture, operator, qrCodeOf, shot, signIn, smsCode, solveChallenge, tab, unique,
} = require('./support');

const PASSWORD = 'Tash-Rabat#1994';
const OWN_HOME = '1-04-03-0178-9183-097';

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('a host registers a foreigner from a passport scan, pays, and prints a talon that verifies', async ({ page, browser }) => {
  const { email, phone } = unique();

  // Kyrgyz until the person chooses; the choice is remembered.
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ky');
  await accessible(page, 'home');
  await shot(page, 'home');
  await page.getByRole('button', { name: 'English' }).click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // Registration of a citizen host.
  await page.getByRole('link', { name: 'Register' }).first().click();
  await accessible(page, 'register: account types');
  await page.getByRole('link', { name: 'Host — a citizen of the Kyrgyz Republic' }).click();
  const field = (name) => page.locator(`[name="${name}"]`);
  await field('email').fill(email);
  await field('surname').fill('Asanov');
  await field('given_names').fill('Aibek');
  await field('birth_date').fill('1990-05-15');
  await field('sex').selectOption('M');
  await field('personal_number').fill('21505199012345');
  await field('document_number').fill('AC1234567');
  await field('document_issued').fill('2020-01-10');
  await field('document_expires').fill('2030-01-09');
  await field('phone').fill(phone);
  await page.locator('input[type="file"][data-kind="passport_scan"]').setInputFiles(fixture('document.pdf'));
  await page.locator('input[type="file"][data-kind="photo"]').setInputFiles(fixture('photo.jpg'));
  await expect(page.getByText('Checked ✓')).toHaveCount(2);
  await field('password').fill(PASSWORD);
  await field('password_repeat').fill(PASSWORD);
  await field('challenge_answer').fill(await solveChallenge(page));
  await field('consent').check();
  await accessible(page, 'register: host citizen form');
  await shot(page, 'register-host');
  await page.getByRole('button', { name: 'Register' }).click();

  // The activation code, as the phone received it.
  await expect(page.getByRole('heading', { name: 'Activating your account' })).toBeVisible();
  await expect(page.getByRole('timer')).toHaveText(/^(10:00|09:\d\d)$/);
  await accessible(page, 'activation');
  await page.locator('[name="code"]').fill(await smsCode(phone, 1));
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText('Your account is active.')).toBeVisible();
  const pin = await smsCode(phone, 2);

  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await page.locator('[name="password"]').fill(PASSWORD);
  await accessible(page, 'sign in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Registrations' })).toBeVisible();
  await accessible(page, 'registrations archive (empty)');
  // A filter the API cannot take is said beside it, and the page stays usable.
  await page.locator('[name="number"]').fill('12');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.locator('[data-field="number"] .error')).toBeVisible();
  await expect(page.locator('[name="number"]')).toHaveAttribute('aria-invalid', 'true');

  // Housing from the property registry, with its technical passport.
  await page.getByRole('link', { name: 'Housing' }).click();
  await page.locator('[name="housing_code"]').fill(OWN_HOME);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByText('Found in the registry:')).toBeVisible();
  await page.locator('input[type="file"][data-kind="technical_passport"]').setInputFiles(fixture('document.pdf'));
  await expect(page.getByText('Checked ✓')).toBeVisible();
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('cell', { name: OWN_HOME })).toBeVisible();
  await accessible(page, 'housing');

  // The foreigner, from the passport's zone.
  const zone = fs.readFileSync(fixture('passport.mrz'), 'utf8').split('\n');
  const surname = zone[0].slice(5).split('<<')[0].replace(/</g, ' ');
  await page.getByRole('link', { name: 'Register a foreigner' }).first().click();
  await page.locator('input[type="file"][data-kind="passport_scan"]').setInputFiles(fixture('passport.jpg'));
  await expect(page.getByText('The fields were filled from the passport’s machine-readable zone.')).toBeVisible();
  await expect(field('surname')).toHaveValue(surname);
  await expect(field('document_number')).toHaveValue(zone[1].slice(0, 9).replace(/</g, ''));
  await page.locator('input[type="file"][data-kind="photo"]').setInputFiles(fixture('photo.jpg'));
  await expect(page.getByText('Checked ✓')).toHaveCount(2);
  await field('phone').fill('996700123456');
  await field('email').fill('guest@example.com');
  await field('document_issued').fill('2021-05-17');
  await field('entry_date').fill(day(-2));
  await field('stay_from').fill(day(-1));
  await field('stay_to').fill(day(60));
  await field('purpose').selectOption('tourism');
  await accessible(page, 'new registration, filled');
  await shot(page, 'ereg-new-registration');
  await page.getByRole('button', { name: 'Check data' }).click();
  await expect(page.getByText('The data are in order. The fee: 103.00 KGS')).toBeVisible();
  await page.locator('[name="pin"]').fill(pin);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('Awaiting payment')).toBeVisible();
  await accessible(page, 'registration awaiting payment');
  await shot(page, 'ereg-registration');
  const number = page.url().split('/').pop();

  // The local card processor's checkout, and back.
  await page.getByRole('button', { name: /^Pay 103\.00 KGS$/ }).click();
  await page.locator('[name="card"]').fill('4111111111111111');
  await page.getByRole('button', { name: /Оплатить/ }).click();
  await expect(page.getByText('Payment successful')).toBeVisible();
  await page.getByRole('link', { name: /Return to the shop/ }).click();
  await expect(page.getByText('The payment was received.')).toBeVisible();
  await accessible(page, 'payment result');
  await page.getByRole('link', { name: 'Back to the application' }).click();
  await expect(page.getByText('Paid, awaiting confirmation')).toBeVisible();

  // A registration operator confirms it in the console.
  const desk = await tab(browser, 'en');
  await signIn(desk, await operator('registration_operator'), OPERATOR_PASSWORD);
  await expect(desk.getByRole('heading', { name: 'Registrations waiting for a decision' })).toBeVisible();
  await accessible(desk, 'operator queue');
  await desk.getByRole('link', { name: number }).click();
  await expect(desk.getByRole('heading', { name: `Registration ${number}` })).toBeVisible();
  await accessible(desk, 'operator review');
  await shot(desk, 'operator-review');
  await desk.getByRole('button', { name: 'Confirm' }).click();
  await expect(desk.getByText('Registration valid').first()).toBeVisible();
  await desk.context().close();

  // The host prints the talon; its QR link opens the verification page.
  await page.reload();
  await expect(page.getByText('Registration valid')).toBeVisible();
  const registrationNumber = (await page.locator('dt:has-text("Registration number") + dd').textContent()).trim();
  expect(registrationNumber).toMatch(/^\d{14}$/);
  await page.getByRole('button', { name: 'Print the talon' }).click();
  const talon = page.getByRole('link', { name: /The talon \(PDF/ });
  await expect(talon).toBeVisible();
  const pdf = Buffer.from(await (await fetch(await talon.getAttribute('href'))).arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // What a phone's camera reads off the paper is the link the page offers, and it opens
  // the verification page.
  const scanned = qrCodeOf(pdf);
  const offered = page.getByRole('link', { name: /The QR code’s link/ });
  expect(scanned).toBe(await offered.getAttribute('href'));
  expect(new URL(scanned).pathname).toBe('/verify');
  await page.goto(scanned);
  await expect(page.getByRole('heading', { name: 'Check a printed document' })).toBeVisible();
  await expect(page.locator('.verdict')).toHaveText('Valid');
  await accessible(page, 'verification');
  await shot(page, 'verify');

  // The public status check.
  await page.goto('/status');
  await field('passport_number').fill(zone[1].slice(0, 9).replace(/</g, ''));
  await field('registration_number').fill(registrationNumber);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.locator('.verdict')).toHaveText('Registration valid');
  await accessible(page, 'status check');
});
