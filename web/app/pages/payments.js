// Back from the card processor's checkout: the order's state, and the way back to what
// was paid for. The processor tells the system by its webhook, so a paid order may take
// a moment to show as paid here.

import { api, h, heading, link, notice, session, t } from '../core.js';
import { HOSTS } from '../nav.js';

const S = {
  title: ['Төлөмдүн жыйынтыгы', 'Результат оплаты', 'Payment result'],
  paid: ['Төлөм кабыл алынды.', 'Оплата получена.', 'The payment was received.'],
  pending: [
    'Төлөм али ырастала элек. Бир аздан кийин бул бетти жаңыртыңыз.',
    'Оплата ещё не подтверждена. Обновите страницу чуть позже.',
    'The payment is not confirmed yet. Refresh this page in a moment.',
  ],
  expired: ['Төлөм сессиясынын мөөнөтү бүттү.', 'Сессия оплаты истекла.', 'The payment session has expired.'],
  order: ['Заказ №{n}: {amount} {currency}', 'Заказ № {n}: {amount} {currency}', 'Order {n}: {amount} {currency}'],
  open: ['Арызга кайтуу', 'Вернуться к заявке', 'Back to the application'],
  refresh: ['Жаңыртуу', 'Обновить', 'Refresh'],
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function paymentReturn({ query }) {
  const number = query.get('order') ?? '';
  let order = await api('GET', `/v1/payments/orders/${encodeURIComponent(number)}`);
  // The webhook usually lands within a second or two of the redirect.
  for (let i = 0; i < 10 && order.status === 'pending'; i++) {
    await sleep(1000);
    order = await api('GET', `/v1/payments/orders/${encodeURIComponent(number)}`);
  }
  const back = HOSTS.includes(session.type())
    ? `/ereg/registrations/${order.application}`
    : `/ework/applications/${order.application}`;
  const state = { paid: ['ok', S.paid], pending: ['info', S.pending], expired: ['warn', S.expired] }[order.status];
  return h('section',
    heading(S.title),
    h('p', t(S.order, { n: order.order_number, amount: order.amount, currency: order.currency })),
    notice(state[0], t(state[1])),
    h('div.actions',
      link(back, t(S.open)),
      order.status === 'pending'
        ? h('button', { type: 'button', onclick: () => window.dispatchEvent(new Event('rerender')) }, t(S.refresh))
        : null));
}
