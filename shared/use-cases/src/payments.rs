//! Payment orders and their settlement. An application has at most one open order;
//! asking again gives the same one until it expires. Every processor event is recorded
//! once, in an append-only ledger keyed by its event id, in the same write as the
//! change it makes to its order; what follows (the registration paid, the receipt) is
//! idempotent and runs again for a duplicate, so a crash between the two loses nothing.
//! Reconciliation asks the processor about orders whose webhook never came.

use std::time::Duration;

use domain::Code;
use domain::account::AccountId;
use domain::clock::{now_rfc3339, now_secs};
use domain::notification::{Recipient, Template};
use domain::payment::{EventStatus, LedgerEntry, NewOrder, Order, ProcessorEvent, Settlement};
use domain::ports::payments::OrderStore;
use domain::ports::stays::StayStore;
use domain::ports::{Contacts, Notifier, PaymentProcessor, PaymentSession};
use domain::stay::PaymentStatus;
use domain::{PortFailure, StoreError};

use crate::ework::{ApplicationError, StateFees};
use crate::stays::{MoveError, StayLifecycle};

/// What settling one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub outcome: Settlement,
    /// False when the event had been recorded before (a duplicate delivery).
    pub first_time: bool,
}

/// What one reconciliation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    /// Orders the processor says were paid, settled now.
    pub settled: usize,
    /// Orders nobody paid, expired now.
    pub expired: usize,
}

/// How often a settlement is tried again when another writer got in first.
const RETRIES: usize = 8;

/// Orders, settlement and reconciliation over the order store, the processor and what
/// the fees are for: ereg registrations (10-digit numbers) and the state fees of e-work
/// applications (`Q-` numbers).
#[derive(Debug, Clone)]
pub struct Payments<O, P, S, C, N, F> {
    orders: O,
    processor: P,
    stays: StayLifecycle<S, C, N>,
    fees: F,
    contacts: C,
    notifier: N,
}

/// A refusal about an e-work fee, as settlement reports refusals.
fn fee_refusal(err: ApplicationError) -> MoveError {
    match err {
        ApplicationError::Refused(code) => MoveError::Refused(code),
        ApplicationError::Documents(_) | ApplicationError::Ineligible(_) => {
            MoveError::Refused(Code::NotPayable)
        }
        ApplicationError::Store(err) => MoveError::Store(err),
        ApplicationError::Notify(err) => MoveError::Notify(err),
    }
}

impl<O, P, S, C, N, F> Payments<O, P, S, C, N, F>
where
    O: OrderStore,
    P: PaymentProcessor,
    S: StayStore,
    C: Contacts,
    N: Notifier,
    F: StateFees,
{
    /// `contacts` and `notifier` tell payers of their receipts; `stays` moves the
    /// registrations the fees are for, `fees` records e-work state fees.
    pub fn new(
        orders: O,
        processor: P,
        stays: StayLifecycle<S, C, N>,
        fees: F,
        contacts: C,
        notifier: N,
    ) -> Self {
        Self {
            orders,
            processor,
            stays,
            fees,
            contacts,
            notifier,
        }
    }

    /// The fee `owner` may pay now for `application` and the order's description: an
    /// e-work state fee for a `Q-` number, else an ereg registration's.
    async fn fee_for(
        &self,
        owner: &AccountId,
        application: &str,
    ) -> Result<(domain::payment::Amount, String), MoveError> {
        if domain::ework::number_kind(application).is_some() {
            let fee = self
                .fees
                .fee_due(owner, application)
                .await
                .map_err(fee_refusal)?;
            return Ok((fee, format!("ework {application}")));
        }
        let stay = self
            .stays
            .stay(application)
            .await?
            .filter(|s| &s.owner == owner)
            .ok_or(MoveError::Refused(Code::RegistrationNotFound))?;
        stay.payable().map_err(MoveError::Refused)?;
        Ok((stay.fee, format!("ereg {application}")))
    }

    /// The open order of an ereg registration or an e-work application `owner` owns
    /// and has not paid, or a new one (20 minutes) with the processor's checkout URL.
    pub async fn order_for_registration(
        &self,
        owner: &AccountId,
        application: &str,
    ) -> Result<Order, MoveError> {
        let (fee, description) = self.fee_for(owner, application).await?;
        for _ in 0..3 {
            let now = now_secs();
            let latest = self.orders.latest_order_of(application).await?;
            if let Some(open) = latest.as_ref().filter(|o| o.is_open(now)) {
                return Ok(open.clone());
            }
            let replacing = latest.map(|o| o.order_number);
            let order_number = domain::payment::order_number(application, now);
            let expires_at = now + domain::payment::EREG_PAYMENT_SECS;
            let checkout_url = self
                .processor
                .open_session(&PaymentSession {
                    order_number: order_number.clone(),
                    amount_minor: fee.amount_minor,
                    currency: fee.currency.clone(),
                    expires_at,
                    description: description.clone(),
                })
                .await
                .map_err(|e| MoveError::Processor(PortFailure::new("opening a session", e)))?;
            let order = Order::pending(
                NewOrder {
                    order_number,
                    application: application.to_owned(),
                    owner: owner.clone(),
                    amount: fee.clone(),
                    expires_at,
                    checkout_url,
                },
                &now_rfc3339(),
            );
            match self.orders.open_order(&order, replacing.as_deref()).await {
                Ok(()) => return Ok(order),
                Err(StoreError::Conflict) => {}
                Err(other) => return Err(other.into()),
            }
            // Another request made one meanwhile (or in the same second): take that.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(MoveError::Refused(Code::NotPayable))
    }

    /// Settles one processor event, once however often it comes.
    pub async fn settle(&self, event: &ProcessorEvent) -> Result<Settled, MoveError> {
        for _ in 0..RETRIES {
            if let Some(recorded) = self.orders.ledger_entry(&event.event_id).await? {
                if let Some(order) = self.orders.order(&event.order_number).await? {
                    self.follow_up(event, &order).await?;
                }
                return Ok(Settled {
                    outcome: recorded.outcome,
                    first_time: false,
                });
            }
            let entry = |outcome| LedgerEntry {
                event: event.clone(),
                received_at: now_rfc3339(),
                outcome,
            };
            let Some(order) = self.orders.order(&event.order_number).await? else {
                match self
                    .orders
                    .record_event(&entry(Settlement::UnknownOrder))
                    .await
                {
                    // Recorded by a parallel delivery: read it again.
                    Err(StoreError::Conflict) => continue,
                    Err(other) => return Err(other.into()),
                    Ok(()) => {}
                }
                tracing::warn!(event = %event.event_id, "processor event for an unknown order");
                return Ok(Settled {
                    outcome: Settlement::UnknownOrder,
                    first_time: true,
                });
            };
            let outcome = domain::payment::settle(&order, event);
            let entry = entry(outcome);
            let next = order.settled(outcome, event, &entry.received_at);
            let written = match &next {
                Some(next) => self.orders.save_order(next, Some(&entry)).await,
                None => self.orders.record_event(&entry).await,
            };
            match written {
                // The order changed or the event was recorded meanwhile: read again.
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
                Ok(()) => {}
            }
            self.follow_up(event, next.as_ref().unwrap_or(&order))
                .await?;
            return Ok(Settled {
                outcome,
                first_time: true,
            });
        }
        Err(MoveError::Refused(Code::AlreadyDecided))
    }

    /// What follows a settled payment, idempotent: the registration paid and the
    /// receipt. `order` is the event's order as it stands after the event.
    async fn follow_up(&self, event: &ProcessorEvent, order: &Order) -> Result<(), MoveError> {
        if order.paid_event.as_deref() != Some(event.event_id.as_str()) {
            return Ok(());
        }
        let refund_due = if domain::ework::number_kind(&order.application).is_some() {
            let application = self
                .fees
                .record_fee(&order.application, &order.amount)
                .await
                .map_err(fee_refusal)?;
            application
                .fee
                .is_some_and(|f| f.status == domain::ework::FeeStatus::RefundDue)
        } else {
            let stay = self
                .stays
                .record_payment(&order.application, &order.amount)
                .await?;
            stay.payment == PaymentStatus::RefundDue
        };
        if refund_due && !order.has_flag(Code::PaidAfterCancellation) {
            self.flag_paid_after_cancellation(&order.order_number)
                .await?;
        }
        let Some(host) = self.contacts.contact(&order.owner).await? else {
            return Ok(());
        };
        let template = Template::PaymentReceived {
            application: order.application.clone(),
            order_number: order.order_number.clone(),
            amount: order.amount.to_string(),
        };
        let to = Recipient {
            email: Some(host.email),
            phone: None,
        };
        self.notifier
            .notify(
                &format!("payment-received:{}", order.order_number),
                host.lang,
                to,
                template,
            )
            .await
            .map_err(MoveError::Notify)
    }

    /// The money came for a registration cancelled meanwhile: the order is marked for
    /// refund and flagged, once.
    async fn flag_paid_after_cancellation(&self, order_number: &str) -> Result<(), StoreError> {
        for _ in 0..RETRIES {
            let Some(current) = self.orders.order(order_number).await? else {
                return Ok(());
            };
            let Some(next) = current.paid_after_cancellation() else {
                return Ok(());
            };
            match self.orders.save_order(&next, None).await {
                Err(StoreError::Conflict) => continue,
                other => return other,
            }
        }
        Ok(())
    }

    /// Asks the processor about every pending order past its expiry: a payment it knows
    /// of is settled as its webhook would have; the rest expire.
    pub async fn reconcile(&self, now: u64) -> Result<Reconciled, MoveError> {
        let mut done = Reconciled {
            settled: 0,
            expired: 0,
        };
        for order in self.orders.pending_expired(now).await? {
            let event = self
                .processor
                .status(&order.order_number)
                .await
                .map_err(|e| MoveError::Processor(PortFailure::new("asking for a status", e)))?;
            match event {
                Some(event) if event.status == EventStatus::Succeeded => {
                    // Boxed: settling nests deep futures (payment, confirmation, notice).
                    Box::pin(self.settle(&event)).await?;
                    done.settled += 1;
                }
                _ => match self.orders.save_order(&order.lapsed(), None).await {
                    Ok(()) => done.expired += 1,
                    // Settled or expired meanwhile.
                    Err(StoreError::Conflict) => {}
                    Err(other) => return Err(other.into()),
                },
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests;
