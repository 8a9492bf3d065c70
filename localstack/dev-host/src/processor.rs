//! The local card processor's checkout page: the order, its amount and the time left,
//! a card form with the test cards; paying charges the card at the processor and posts
//! the signed webhook (except for the card whose webhook is lost). Not part of the API:
//! it stands in for the processor's own site.

use adapters::processor::{CARD_DECLINED, CARD_SUCCEEDS, CARD_WEBHOOK_LOST, Card, LocalProcessor};
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::Html;
use axum::routing::get;
use domain::payment::EventStatus;
use serde::Deserialize;

pub(crate) fn routes(processor: LocalProcessor) -> Router {
    Router::new()
        .route("/local-processor/checkout/{order}", get(page).post(pay))
        .with_state(processor)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn layout(body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Local card processor</title></head>\
         <body style=\"font-family:sans-serif;max-width:32em;margin:2em auto\">{body}</body></html>"
    ))
}

async fn page(State(processor): State<LocalProcessor>, Path(order): Path<String>) -> Html<String> {
    let Some(session) = processor.session(&order) else {
        return layout("<h1>Unknown order</h1>");
    };
    let now = domain::clock::now_secs();
    let left = session.expires_at.saturating_sub(now);
    let amount = format!(
        "{} {}",
        domain::payment::amount_text(session.amount_minor),
        escape(&session.currency)
    );
    layout(&format!(
        "<h1>Номер заказа №{order}</h1>\
         <p>{description}</p>\
         <p>До окончания сессии осталось {minutes} мин. {seconds} сек.</p>\
         <form method=\"post\">\
         <label>Номер карты <input name=\"card\" autocomplete=\"cc-number\" required></label>\
         <button type=\"submit\">Оплатить {amount}</button></form>\
         <p>Test cards: {CARD_SUCCEEDS} succeeds, {CARD_DECLINED} is declined, \
         {CARD_WEBHOOK_LOST} is charged but its webhook is lost.</p>",
        order = escape(&order),
        description = escape(&session.description),
        minutes = left / 60,
        seconds = left % 60,
    ))
}

#[derive(Debug, Deserialize)]
struct CardForm {
    card: String,
}

async fn pay(
    State(processor): State<LocalProcessor>,
    Path(order): Path<String>,
    Form(form): Form<CardForm>,
) -> Html<String> {
    let Some(card) = Card::of(&form.card) else {
        return layout("<h1>Unknown test card</h1>");
    };
    let now = domain::clock::now_secs();
    if processor
        .session(&order)
        .is_some_and(|s| s.expires_at < now)
    {
        return layout("<h1>The payment session has ended</h1>");
    }
    let Some(event) = processor.charge(&order, card, now) else {
        return layout("<h1>Unknown order</h1>");
    };
    if card != Card::WebhookLost
        && let Err(err) = processor.deliver(&event).await
    {
        tracing::warn!(error = %err, "the local processor could not deliver its webhook");
    }
    // Processors send the buyer back to the shop's return address, set with the
    // merchant account; the portal's is `/payments/return`.
    let back = format!(
        "<p><a href=\"/payments/return?order={}\">Вернуться в магазин / Return to the shop</a></p>",
        escape(&order)
    );
    layout(&match event.status {
        EventStatus::Succeeded => format!("<h1>Payment successful</h1>{back}"),
        EventStatus::Failed => format!("<h1>Payment declined</h1>{back}"),
    })
}
