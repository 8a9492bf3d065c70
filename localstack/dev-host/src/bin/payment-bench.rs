//! `payment-bench`: webhook latency and settlement throughput on a dev host of its own
//! (fresh resources under a random prefix on the local endpoint). It stores N
//! registrations awaiting payment, opens an order for each, charges each at the local
//! processor and delivers its signed webhook one after another (timing each call), then
//! waits until every registration is paid.
//!
//! ```sh
//! ./localstack/emulator.sh start
//! cargo run --release --bin payment-bench -- --orders 200
//! ```

use std::time::{Duration, Instant};

use adapters::processor::Card;
use anyhow::{Context, bail};
use dev_host::{Config, DevHost};
use domain::account::AccountId;
use domain::stay::{Actor, PaymentStatus, Place, Stay, StayForm, StayPolicy};

/// A registration awaiting payment, for passport number `FB<seq>`.
fn registration(owner: &AccountId, seq: usize) -> anyhow::Result<Stay> {
    let today = domain::clock::today_in_bishkek();
    let day = |d: i64| (today + time::Duration::days(d)).to_string();
    let form = StayForm {
        housing_code: Some("1-04-03-0178-9183-097".into()),
        passport_scan: Some(format!("upl_{:032x}", seq)),
        photo: Some(format!("upl_{:032x}", seq + 1_000_000)),
        surname: Some("Karimov".into()),
        given_names: Some("Rustam".into()),
        patronymic: None,
        birth_date: Some("1988-03-02".into()),
        sex: Some("M".into()),
        nationality: Some("UZB".into()),
        document_type: None,
        document_country: Some("UZB".into()),
        document_number: Some(format!("FB{seq:07}")),
        document_issued: Some("2021-05-17".into()),
        document_expires: Some("2031-05-16".into()),
        entry_date: Some(day(-1)),
        phone: Some("996700123456".into()),
        email: Some("guest@example.com".into()),
        stay_from: Some(day(0)),
        stay_to: Some(day(30)),
        purpose: Some("tourism".into()),
        pin: None,
    };
    let request = form
        .parse(today, &StayPolicy::default())
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let place = Place {
        housing_code: request.housing_code.to_string(),
        city: "Бишкек".into(),
        address: "г. Бишкек, ул. Исанова, 16, кв. 97".into(),
    };
    Ok(Stay::submitted(
        domain::stay::application_number(),
        owner.clone(),
        request,
        place,
        Vec::new(),
        &domain::clock::now_rfc3339(),
    ))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut orders = 200;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--orders" => orders = value.parse()?,
            other => bail!("unknown flag {other}; use [--orders N]"),
        }
    }
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into());
    let prefix = format!("bench{}", &domain::secrets::random_token()[..8]);
    let host = DevHost::start(Config {
        endpoint,
        bind: "127.0.0.1:0".parse()?,
        prefix,
        mail_from: "no-reply@migration.local".into(),
        visibility_timeout_secs: Some(5),
        poll_wait_secs: 1,
        secret_key: domain::secrets::SecretKey::new(hex::decode(domain::secrets::random_token())?)
            .map_err(anyhow::Error::msg)?,
        public_url: None,
        admin: None,
        ereg: StayPolicy::default(),
        ework: Default::default(),
        portal: None,
    })
    .await?;
    let owner = AccountId::new();
    let stays = host.deps.stays();
    let payments = host.deps.payments();
    let mut order_numbers = Vec::new();
    let mut numbers = Vec::new();
    for seq in 0..orders {
        let record = registration(&owner, seq)?;
        stays
            .submit(&record, &Actor::System, &[])
            .await
            .with_context(|| format!("storing registration {seq}"))?;
        let order = payments
            .order_for_registration(&owner, &record.number)
            .await?;
        order_numbers.push(order.order_number);
        numbers.push(record.number);
    }
    eprintln!("{orders} registrations and orders ready");

    let processor = host.deps.processor.clone();
    let started = Instant::now();
    let mut latencies = Vec::new();
    for order in &order_numbers {
        let event = processor
            .charge(order, Card::Succeeds, domain::clock::now_secs())
            .context("the processor knows the order")?;
        let sent = Instant::now();
        let status = processor.deliver(&event).await?;
        latencies.push(sent.elapsed());
        if status != 200 {
            bail!("the webhook answered {status}");
        }
    }
    let delivered = started.elapsed();
    let mut waiting = numbers.clone();
    while !waiting.is_empty() {
        let mut still = Vec::new();
        for number in waiting {
            let paid = stays
                .get(&number)
                .await?
                .is_some_and(|r| r.payment == PaymentStatus::Paid);
            if !paid {
                still.push(number);
            }
        }
        waiting = still;
        if started.elapsed() > Duration::from_secs(600) {
            bail!("{} orders not settled after ten minutes", waiting.len());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let settled = started.elapsed();
    println!("webhook: {}", dev_host::percentiles(latencies, "calls"));
    println!(
        "settled {orders} orders in {:.2} s from the first webhook ({:.1} orders/s; webhooks took {:.2} s)",
        settled.as_secs_f64(),
        orders as f64 / settled.as_secs_f64(),
        delivered.as_secs_f64()
    );
    host.stop().await;
    Ok(())
}
